// Package idempotency makes a retried create safe: a client sends the same
// Idempotency-Key header with each attempt, the first attempt records its
// response in the same transaction as the data it created, and any retry
// with that key gets the recorded response back instead of creating the data
// again. The same key with a different body is refused (422).
//
// A create is written once, in this shape:
//
//	req, err := idempotency.Begin(Scope, key, input) // nil when no key was sent
//	...build the data and the response...
//	rec, err := req.Record(http.StatusCreated, receipt, now) // nil without a key
//	err = store.Create(ctx, data, email, rec) // one transaction
//	if err != nil && idempotency.Retried(err) {
//		if prev, ok, perr := idempotency.Earlier[Receipt](ctx, store, req); ok || perr != nil {
//			return prev, perr // an earlier attempt with this key won
//		}
//	}
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

// Key is an Idempotency-Key that passed ParseKey; "" means none was sent.
type Key string

// ParseKey reads the Idempotency-Key header (value, and whether it was sent
// at all): absent is no key; present, it must be 1..100 visible ASCII
// characters (an empty header is an error, not a missing one). The error is
// Invalid, field "Idempotency-Key".
func ParseKey(value string, present bool) (Key, error) {
	if !present {
		return "", nil
	}
	ok := len(value) >= 1 && len(value) <= MaxKeyLength
	for i := 0; ok && i < len(value); i++ {
		ok = value[i] > 0x20 && value[i] < 0x7f
	}
	if !ok {
		var fs apperr.Fields
		fs.Add(Header, "idempotency_key", nil)
		return "", fs.Err()
	}
	return Key(value), nil
}

// Record is what the first request with a key left for its retries.
type Record struct {
	Scope       string // the operation, e.g. "observations.submit"
	KeyHash     string // SHA-256 of the key (keys are never stored as sent)
	Fingerprint string // SHA-256 of the request
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

// Request is one create that a client may retry under its key.
type Request struct {
	scope, keyHash, fingerprint string
}

// Begin starts a create of scope under key with the decoded request body
// (its canonical JSON is the fingerprint, so spacing and key order of the
// original body do not matter). Without a key it returns nil: every method
// of a nil *Request does nothing.
func Begin(scope string, key Key, request any) (*Request, error) {
	if key == "" {
		return nil, nil
	}
	b, err := json.Marshal(request)
	if err != nil {
		return nil, fmt.Errorf("fingerprint request: %w", err)
	}
	return &Request{scope: scope, keyHash: sha256Hex([]byte(key)), fingerprint: sha256Hex(b)}, nil
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Record returns the record of this first attempt's response (status, and
// body marshalled as JSON), to write in the create's transaction; nil
// without a key.
func (r *Request) Record(status int, body any, now time.Time) (*Record, error) {
	if r == nil {
		return nil, nil
	}
	b, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("marshal recorded response: %w", err)
	}
	return &Record{
		Scope: r.scope, KeyHash: r.keyHash, Fingerprint: r.fingerprint,
		Status: status, Body: b, CreatedAt: now, ExpiresAt: now.Add(TTL),
	}, nil
}

// Retried reports whether a create that failed with err may have lost to an
// earlier attempt with the same key (its record exists, or the table could
// not say): look for that attempt's response with Earlier.
func Retried(err error) bool {
	return errors.Is(err, ErrRecorded) || apperr.Is(err, apperr.Unavailable)
}

// Earlier returns the response an earlier attempt with r's key recorded,
// decoded into T; ok is false when there is none (or r is nil): the failure
// at hand stands. A record made for a different request is an Unprocessable
// error (idempotency_mismatch) with ok true.
func Earlier[T any](ctx context.Context, store Store, r *Request) (v T, ok bool, err error) {
	if r == nil {
		return v, false, nil
	}
	prev, err := store.GetIdempotency(ctx, r.scope, r.keyHash)
	if apperr.Is(err, apperr.NotFound) {
		return v, false, nil
	}
	if err != nil {
		return v, false, fmt.Errorf("read idempotency record: %w", err)
	}
	if prev.Fingerprint != r.fingerprint {
		return v, true, apperr.New(apperr.Unprocessable, "idempotency_mismatch")
	}
	if err := json.Unmarshal(prev.Body, &v); err != nil {
		return v, true, fmt.Errorf("decode recorded response: %w", err)
	}
	return v, true, nil
}
