package idempotency_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/idempotency"
)

func TestParseKey(t *testing.T) {
	cases := []struct {
		key     string
		present bool
		ok      bool
	}{
		{"", false, true}, // no header: no key
		{"a", true, true},
		{"550e8400-e29b-41d4-a716-446655440000", true, true},
		{strings.Repeat("k", 100), true, true},
		{"", true, false}, // an empty header is an error
		{strings.Repeat("k", 101), true, false},
		{"with space", true, false},
		{"tab\t", true, false},
		{"é", true, false},
		{"line\nbreak", true, false},
		{"\x7f", true, false},
	}
	for _, c := range cases {
		key, err := idempotency.ParseKey(c.key, c.present)
		if got := err == nil; got != c.ok {
			t.Errorf("ParseKey(%q, %v) = %v, want ok=%v", c.key, c.present, err, c.ok)
		}
		if err != nil {
			e, _ := apperr.As(err)
			if e == nil || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "Idempotency-Key" {
				t.Errorf("ParseKey(%q) error = %v, want invalid field Idempotency-Key", c.key, err)
			}
			if key != "" {
				t.Errorf("ParseKey(%q) returned key %q with its error", c.key, key)
			}
		} else if string(key) != c.key {
			t.Errorf("ParseKey(%q) = %q", c.key, key)
		}
	}
}

type store map[string]idempotency.Record

func (s store) GetIdempotency(_ context.Context, scope, keyHash string) (idempotency.Record, error) {
	r, ok := s[scope+"#"+keyHash]
	if !ok {
		return idempotency.Record{}, apperr.New(apperr.NotFound, "")
	}
	return r, nil
}

func TestEarlierReplaysTheSameRequestOnly(t *testing.T) {
	type body struct {
		A string `json:"a"`
		B int    `json:"b"`
	}
	type receipt struct {
		ID string `json:"id"`
	}
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	first, err := idempotency.Begin("scope", "key", body{"x", 1})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := first.Record(201, receipt{"r1"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if rec.KeyHash == "key" || len(rec.KeyHash) != 64 || len(rec.Fingerprint) != 64 || !rec.ExpiresAt.Equal(now.Add(24*time.Hour)) {
		t.Fatalf("record = %+v", rec)
	}
	st := store{}
	if _, ok, err := idempotency.Earlier[receipt](ctx, st, first); ok || err != nil {
		t.Fatalf("Earlier before anything is recorded = %v, %v; want nothing", ok, err)
	}
	st[rec.Scope+"#"+rec.KeyHash] = *rec

	retry, _ := idempotency.Begin("scope", "key", body{"x", 1})
	got, ok, err := idempotency.Earlier[receipt](ctx, st, retry)
	if !ok || err != nil || got.ID != "r1" {
		t.Errorf("retry: Earlier = %+v, %v, %v; want the first receipt", got, ok, err)
	}
	other, _ := idempotency.Begin("scope", "key", body{"x", 2})
	if _, ok, err := idempotency.Earlier[receipt](ctx, st, other); !ok || !apperr.Is(err, apperr.Unprocessable) {
		t.Errorf("same key, other body: Earlier = %v, %v; want unprocessable", ok, err)
	}
	otherScope, _ := idempotency.Begin("other", "key", body{"x", 1})
	if _, ok, _ := idempotency.Earlier[receipt](ctx, st, otherScope); ok {
		t.Errorf("the same key in another scope replayed")
	}

	none, err := idempotency.Begin("scope", "", body{"x", 1})
	if none != nil || err != nil {
		t.Fatalf("Begin without a key = %v, %v; want nil", none, err)
	}
	if r, err := none.Record(201, receipt{"r"}, now); r != nil || err != nil {
		t.Errorf("nil request recorded %v, %v", r, err)
	}
	if _, ok, err := idempotency.Earlier[receipt](ctx, st, none); ok || err != nil {
		t.Errorf("nil request: Earlier = %v, %v", ok, err)
	}
}
