// Package idempotency makes a retried request safe: a client sends the same
// Idempotency-Key header with each attempt, the first attempt records its
// response in the same transaction as the data it created, and any retry
// with that key gets the recorded response back instead of creating the data
// again. The same key with a different body is refused (422).
package idempotency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"espaceosc/shared/apperr"
)

// Header is the request header that carries the key.
const Header = "Idempotency-Key"

// MaxKeyLength is the longest key accepted.
const MaxKeyLength = 100

// TTL is how long a key is remembered.
const TTL = 24 * time.Hour

// Record is what the first request with a key left for its retries.
type Record struct {
	Scope       string // the operation, e.g. "observations.submit"
	KeyHash     string // HashKey of the key (keys are never stored as sent)
	Fingerprint string // Fingerprint of the request
	Status      int    // the response's HTTP status
	Body        []byte // the response body
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

// Store reads records; they are written by the transaction of the request
// they belong to.
type Store interface {
	// GetIdempotency returns the record of (scope, keyHash), read strongly
	// consistently. It returns apperr.NotFound if there is none and
	// apperr.Unavailable when the table is down.
	GetIdempotency(ctx context.Context, scope, keyHash string) (Record, error)
}

// ErrRecorded is returned (wrapped) by a store whose transaction failed
// because the key already has a record: read it and replay.
var ErrRecorded = errors.New("idempotency key already recorded")

// ValidateKey checks a key sent in the Idempotency-Key header: 1..100 visible
// ASCII characters. The error is Invalid, field "Idempotency-Key".
func ValidateKey(key string) error {
	ok := len(key) >= 1 && len(key) <= MaxKeyLength
	for i := 0; ok && i < len(key); i++ {
		ok = key[i] > 0x20 && key[i] < 0x7f
	}
	if ok {
		return nil
	}
	var fs apperr.Fields
	fs.Add(Header, "idempotency_key", nil)
	return fs.Err()
}

// HashKey is the stored form of a key.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Fingerprint is the SHA-256 of the canonical form of a request: v (the
// decoded body) marshalled as JSON, so that spacing and key order of the
// original body do not matter.
func Fingerprint(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("fingerprint request: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// New returns the record of a first request's response.
func New(scope, key, fingerprint string, status int, body []byte, now time.Time) Record {
	return Record{
		Scope: scope, KeyHash: HashKey(key), Fingerprint: fingerprint,
		Status: status, Body: body, CreatedAt: now, ExpiresAt: now.Add(TTL),
	}
}

// Replay returns nil when a retry with fingerprint may get r's response, and
// an Unprocessable error (idempotency_mismatch) when the key was used for a
// different request.
func (r Record) Replay(fingerprint string) error {
	if r.Fingerprint != fingerprint {
		return apperr.New(apperr.Unprocessable, "idempotency_mismatch")
	}
	return nil
}

// Lookup returns the response recorded under rec's scope and key, decoded
// into T; ok is false when nothing is recorded (the original outcome
// stands). A record made for a different request (fingerprint) is an
// Unprocessable error with ok true.
func Lookup[T any](ctx context.Context, store Store, rec *Record, fingerprint string) (v T, ok bool, err error) {
	prev, err := store.GetIdempotency(ctx, rec.Scope, rec.KeyHash)
	if apperr.Is(err, apperr.NotFound) {
		return v, false, nil
	}
	if err != nil {
		return v, false, fmt.Errorf("read idempotency record: %w", err)
	}
	if err := prev.Replay(fingerprint); err != nil {
		return v, true, err
	}
	if err := json.Unmarshal(prev.Body, &v); err != nil {
		return v, true, fmt.Errorf("decode recorded response: %w", err)
	}
	return v, true, nil
}
