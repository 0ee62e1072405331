package idempotency

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"espaceosc/shared/apperr"
)

// Transitional API, removed once every capability uses Begin/Record/Earlier.

// ValidateKey checks a key sent in the Idempotency-Key header.
func ValidateKey(key string) error {
	_, err := ParseKey(key, true)
	return err
}

// HashKey is the stored form of a key.
func HashKey(key string) string { return sha256Hex([]byte(key)) }

// Fingerprint is the SHA-256 of the canonical JSON of a request.
func Fingerprint(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("fingerprint request: %w", err)
	}
	return sha256Hex(b), nil
}

// New returns the record of a first request's response.
func New(scope, key, fingerprint string, status int, body []byte, now time.Time) Record {
	return Record{
		Scope: scope, KeyHash: HashKey(key), Fingerprint: fingerprint,
		Status: status, Body: body, CreatedAt: now, ExpiresAt: now.Add(TTL),
	}
}

// Replay refuses a retry of another request under the same key.
func (r Record) Replay(fingerprint string) error {
	if r.Fingerprint != fingerprint {
		return apperr.New(apperr.Unprocessable, "idempotency_mismatch")
	}
	return nil
}

// Lookup returns the response recorded under rec's scope and key.
func Lookup[T any](ctx context.Context, store Store, rec *Record, fingerprint string) (v T, ok bool, err error) {
	return Earlier[T](ctx, store, &Request{scope: rec.Scope, keyHash: rec.KeyHash, fingerprint: fingerprint})
}
