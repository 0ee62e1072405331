package ddbstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/idempotency"
)

func TestCreateCandidacyIdempotency(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		now := time.Date(2024, 8, 20, 10, 0, 0, 0, time.UTC)
		st := ddbstore.New(c, table).WithClock(func() time.Time { return now })
		s := st.Calls()
		rec := idempotency.New(calls.ApplyScope, "key-1", "fp", 201, []byte(`{"id":"x"}`), now)

		first := testCandidacy(1, "copil-2024", now)
		if err := s.CreateCandidacy(ctx, first, testEmail("link1", now), &rec); err != nil {
			t.Fatal(err)
		}
		// Same key again: nothing written (no candidacy, no email), ErrRecorded.
		second := testCandidacy(2, "copil-2024", now)
		err := s.CreateCandidacy(ctx, second, testEmail("link2", now), &rec)
		if !errors.Is(err, idempotency.ErrRecorded) {
			t.Fatalf("second create: err = %v, want ErrRecorded", err)
		}
		if _, err := s.GetCandidacy(ctx, second.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("the refused transaction stored its candidacy: %v", err)
		}
		pending, _, err := st.Outbox().ListPending(ctx, 10, "")
		if err != nil || len(pending) != 1 || pending[0].ID != "link1" {
			t.Errorf("pending emails = %v %v, want link1 only", pending, err)
		}
		got, err := s.GetIdempotency(ctx, calls.ApplyScope, idempotency.HashKey("key-1"))
		if err != nil || got.Fingerprint != "fp" || got.Status != 201 || string(got.Body) != `{"id":"x"}` {
			t.Errorf("record = %+v %v", got, err)
		}
		// The id taken without a key is still a conflict, not a replay.
		if err := s.CreateCandidacy(ctx, first, testEmail("link3", now), nil); !apperr.Is(err, apperr.Conflict) || errors.Is(err, idempotency.ErrRecorded) {
			t.Errorf("same id, no key: %v, want conflict", err)
		}
		// Another key with the id taken is a conflict too.
		other := idempotency.New(calls.ApplyScope, "key-2", "fp", 201, nil, now)
		if err := s.CreateCandidacy(ctx, first, testEmail("link4", now), &other); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("same id, new key: %v, want conflict", err)
		}
		if _, err := s.GetIdempotency(ctx, calls.ApplyScope, idempotency.HashKey("key-2")); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a refused transaction recorded its key: %v", err)
		}
	})
}
