package observationsdb_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/observationsdb"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/observations"
)

func testObservation(i int, created time.Time, status observations.Status) observations.Observation {
	return observations.Observation{
		ID: fmt.Sprintf("obs%023d", i), Reference: fmt.Sprintf("OBS-2026-%06d", i), Topic: "open_data",
		Subject: "Jeux de données", Message: "Publier les budgets communaux.", Name: "Amina", Email: "Amina@Example.org",
		Lang: i18n.AR, Status: status, TokenHash: "abc",
		Consent:   observations.Consent{Given: true, At: created, NoticeVersion: "2026-11-01"},
		CreatedAt: created, UpdatedAt: created, ExpiresAt: created.Add(observations.Retention), Version: 1,
	}
}

func TestObservationsCreateGetList(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		base := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		st := ddbstore.New(c, table).WithClock(func() time.Time { return base })
		s := observationsdb.New(st)
		statuses := []observations.Status{observations.Received, observations.InReview, observations.Received}
		for i, status := range statuses {
			o := testObservation(i, base.Add(time.Duration(i)*time.Minute), status)
			if err := s.CreateObservation(ctx, o, ddbtest.Email(fmt.Sprintf("ack%d", i), o.CreatedAt), nil); err != nil {
				t.Fatalf("CreateObservation: %v", err)
			}
		}
		got, err := s.GetObservation(ctx, testObservation(1, base, "").ID)
		if err != nil {
			t.Fatal(err)
		}
		want := testObservation(1, base.Add(time.Minute), observations.InReview)
		if got.Reference != want.Reference || got.Email != want.Email || got.Lang != i18n.AR || !got.CreatedAt.Equal(want.CreatedAt) ||
			!got.Consent.At.Equal(want.CreatedAt) || got.Consent.NoticeVersion != "2026-11-01" || got.Version != 1 || got.Status != observations.InReview {
			t.Errorf("GetObservation = %+v, want %+v", got, want)
		}
		if _, err := s.GetObservation(ctx, "missing"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("missing: err = %v, want not found", err)
		}

		page, next, err := s.ListObservations(ctx, "", 2, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != 2 || page[0].ID != testObservation(2, base, "").ID || page[1].ID != testObservation(1, base, "").ID || next == "" {
			t.Fatalf("first page: %d items, next %q", len(page), next)
		}
		page, next, err = s.ListObservations(ctx, "", 2, next)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != 1 || page[0].ID != testObservation(0, base, "").ID || next != "" {
			t.Fatalf("second page: %d items, next %q", len(page), next)
		}
		page, _, err = s.ListObservations(ctx, observations.Received, 10, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != 2 || page[0].ID != testObservation(2, base, "").ID {
			t.Errorf("received: %d items", len(page))
		}
		// A cursor of one listing is refused by another.
		_, allNext, _ := s.ListObservations(ctx, "", 1, "")
		if _, _, err := s.ListObservations(ctx, observations.Received, 1, allNext); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("foreign cursor: err = %v, want invalid", err)
		}

		pending, _, err := st.Outbox().ListPending(ctx, 10, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) != 3 {
			t.Errorf("pending emails = %d, want 3 (one per observation)", len(pending))
		}
	})
}

func TestObservationsIdempotencyAndVersions(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		st := ddbstore.New(c, table).WithClock(func() time.Time { return now })
		s := observationsdb.New(st)
		req, err := idempotency.Begin(observations.IdempotencyScope, "key-1", "request")
		if err != nil {
			t.Fatal(err)
		}
		rec, err := req.Record(201, map[string]string{"id": "x"}, now)
		if err != nil {
			t.Fatal(err)
		}

		o := testObservation(1, now, observations.Received)
		if err := s.CreateObservation(ctx, o, ddbtest.Email("a1", now), rec); err != nil {
			t.Fatal(err)
		}
		// Same key again: nothing written, ErrRecorded.
		o2 := testObservation(2, now, observations.Received)
		err = s.CreateObservation(ctx, o2, ddbtest.Email("a2", now), rec)
		if !errors.Is(err, idempotency.ErrRecorded) {
			t.Fatalf("second create: err = %v, want ErrRecorded", err)
		}
		if _, err := s.GetObservation(ctx, o2.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("the refused transaction stored its observation: %v", err)
		}
		got, ok, err := idempotency.Earlier[map[string]string](ctx, s, req)
		if err != nil || !ok || got["id"] != "x" {
			t.Errorf("recorded response = %v, %v, %v", got, ok, err)
		}
		other, _ := idempotency.Begin(observations.IdempotencyScope, "other", "request")
		if _, ok, err := idempotency.Earlier[map[string]string](ctx, s, other); ok || err != nil {
			t.Errorf("unknown key: %v, %v; want nothing", ok, err)
		}

		// Optimistic locking: an update on a stale version is a conflict.
		next := o
		next.Status, next.Version = observations.Answered, 2
		next.Response = &observations.Response{Text: "Merci.", AnsweredAt: now}
		answer := ddbtest.Email("answer", now)
		if err := s.UpdateObservation(ctx, next, 1, &answer); err != nil {
			t.Fatalf("UpdateObservation: %v", err)
		}
		if err := s.UpdateObservation(ctx, next, 1, nil); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale update: err = %v, want conflict", err)
		}
		stored, err := s.GetObservation(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored.Status != observations.Answered || stored.Response == nil || stored.Response.Text != "Merci." || stored.Version != 2 {
			t.Errorf("stored = %+v", stored)
		}
		answered, _, err := s.ListObservations(ctx, observations.Answered, 10, "")
		if err != nil || len(answered) != 1 {
			t.Errorf("answered listing = %d items, %v", len(answered), err)
		}
		received, _, err := s.ListObservations(ctx, observations.Received, 10, "")
		if err != nil || len(received) != 0 {
			t.Errorf("received listing = %d items, %v; want 0", len(received), err)
		}
		pending, _, _ := st.Outbox().ListPending(ctx, 10, "")
		if len(pending) != 2 || pending[1].ID != "answer" && pending[0].ID != "answer" {
			t.Errorf("pending emails = %v, want the ack and the answer", ddbtest.IDs(pending))
		}
	})
}
