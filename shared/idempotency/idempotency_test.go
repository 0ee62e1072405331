package idempotency_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/idempotency"
)

func TestValidateKey(t *testing.T) {
	cases := []struct {
		key string
		ok  bool
	}{
		{"a", true},
		{"550e8400-e29b-41d4-a716-446655440000", true},
		{strings.Repeat("k", 100), true},
		{"", false},
		{strings.Repeat("k", 101), false},
		{"with space", false},
		{"tab\t", false},
		{"é", false},
		{"line\nbreak", false},
		{"\x7f", false},
	}
	for _, c := range cases {
		err := idempotency.ValidateKey(c.key)
		if got := err == nil; got != c.ok {
			t.Errorf("ValidateKey(%q) = %v, want ok=%v", c.key, err, c.ok)
		}
		if err != nil {
			e, _ := apperr.As(err)
			if e == nil || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "Idempotency-Key" {
				t.Errorf("ValidateKey(%q) error = %v, want invalid field Idempotency-Key", c.key, err)
			}
		}
	}
}

func TestReplay(t *testing.T) {
	type body struct {
		A string `json:"a"`
		B int    `json:"b"`
	}
	fp1, _ := idempotency.Fingerprint(body{"x", 1})
	fp2, _ := idempotency.Fingerprint(body{"x", 2})
	if fp1 == fp2 || len(fp1) != 64 {
		t.Fatalf("fingerprints %q %q", fp1, fp2)
	}
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	r := idempotency.New("scope", "key", fp1, 201, []byte(`{}`), now)
	if r.KeyHash == "key" || r.KeyHash != idempotency.HashKey("key") || !r.ExpiresAt.Equal(now.Add(24*time.Hour)) {
		t.Errorf("record = %+v", r)
	}
	if err := r.Replay(fp1); err != nil {
		t.Errorf("same fingerprint: %v", err)
	}
	if err := r.Replay(fp2); !apperr.Is(err, apperr.Unprocessable) {
		t.Errorf("other fingerprint: %v, want unprocessable", err)
	}
}

type mapStore map[string]idempotency.Record

func (m mapStore) GetIdempotency(_ context.Context, scope, keyHash string) (idempotency.Record, error) {
	r, ok := m[scope+"#"+keyHash]
	if !ok {
		return idempotency.Record{}, apperr.New(apperr.NotFound, "")
	}
	return r, nil
}

func TestLookup(t *testing.T) {
	type receipt struct{ ID string }
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	stored := idempotency.New("s", "key-1", "fp", 201, []byte(`{"ID":"obs-1"}`), now)
	store := mapStore{"s#" + stored.KeyHash: stored}

	tests := []struct {
		name        string
		key, fp     string
		wantOK      bool
		wantCode    apperr.Code
		wantReceipt string
	}{
		{"nothing recorded", "key-2", "fp", false, "", ""},
		{"same request", "key-1", "fp", true, "", "obs-1"},
		{"other request, same key", "key-1", "other", true, apperr.Unprocessable, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := idempotency.New("s", tt.key, tt.fp, 0, nil, now)
			got, ok, err := idempotency.Lookup[receipt](context.Background(), store, &rec, tt.fp)
			if ok != tt.wantOK || apperr.CodeOf(err) != tt.wantCode || got.ID != tt.wantReceipt {
				t.Fatalf("Lookup = %+v, %v, %v; want %q, %v, %q", got, ok, err, tt.wantReceipt, tt.wantOK, tt.wantCode)
			}
		})
	}
}
