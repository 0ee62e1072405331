package ddbstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/outbox"
)

func testEmail(id string, created time.Time) outbox.Email { return ddbtest.Email(id, created) }

func TestOutboxLifecycle(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		ob := ddbstore.New(c, table).WithClock(clock).Outbox()

		for i := range 3 {
			if err := ob.Put(ctx, testEmail(fmt.Sprintf("e%d", i), now.Add(time.Duration(i)*time.Second))); err != nil {
				t.Fatalf("Put: %v", err)
			}
		}
		if err := ob.Put(ctx, testEmail("e0", now)); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("Put twice: err = %v, want conflict", err)
		}

		// Oldest first, paginated, with the content intact.
		page, next, err := ob.ListPending(ctx, 2, "")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ids(page), "e0,e1"; got != want || next == "" {
			t.Fatalf("first page = %s (next %q), want %s and a cursor", got, next, want)
		}
		e := page[0]
		if e.To != "amina@example.org" || e.Lang != "fr" || e.Kind != "test.kind" || string(e.Data) != `{"name":"Amina"}` || !e.CreatedAt.Equal(now) {
			t.Errorf("listed email = %+v", e)
		}
		page, next, err = ob.ListPending(ctx, 2, next)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ids(page), "e2"; got != want || next != "" {
			t.Fatalf("second page = %s (next %q), want %s and no cursor", got, next, want)
		}
		if _, _, err := ob.ListPending(ctx, 2, "garbage"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("bad cursor: err = %v, want invalid", err)
		}

		// A claim excludes a second claim until it is released or expires.
		if err := ob.Claim(ctx, "e0", now.Add(time.Minute)); err != nil {
			t.Fatalf("Claim: %v", err)
		}
		if err := ob.Claim(ctx, "e0", now.Add(time.Minute)); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second Claim: err = %v, want conflict", err)
		}
		if err := ob.Release(ctx, "e0", "unavailable"); err != nil {
			t.Fatalf("Release: %v", err)
		}
		if err := ob.Claim(ctx, "e0", now.Add(time.Minute)); err != nil {
			t.Fatalf("Claim after release: %v", err)
		}
		later := ddbstore.New(c, table).WithClock(func() time.Time { return now.Add(2 * time.Minute) }).Outbox()
		if err := later.Claim(ctx, "e0", now.Add(4*time.Minute)); err != nil {
			t.Fatalf("Claim after the lease expired: %v", err)
		}
		if err := ob.MarkSent(ctx, e, "msg-1"); err != nil {
			t.Fatalf("MarkSent: %v", err)
		}
		if err := ob.Claim(ctx, "e0", now.Add(10*time.Minute)); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("Claim of a sent email: err = %v, want conflict", err)
		}
		if err := ob.MarkSent(ctx, e, "msg-2"); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("MarkSent twice: err = %v, want conflict", err)
		}
		if err := ob.Claim(ctx, "missing", now.Add(time.Minute)); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("Claim of a missing email: err = %v, want conflict", err)
		}

		page, _, err = ob.ListPending(ctx, 10, "")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := ids(page), "e1,e2"; got != want {
			t.Errorf("pending after sending e0 = %s, want %s", got, want)
		}
	})
}

func TestOutboxReleaseCountsAttempts(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		ob := ddbstore.New(c, table).WithClock(func() time.Time { return now }).Outbox()
		if err := ob.Put(ctx, testEmail("e", now)); err != nil {
			t.Fatal(err)
		}
		// Two refusals count; SES being down or throttling does not.
		for _, attemptErr := range []string{"internal", "unavailable", "internal", "unavailable"} {
			if err := ob.Claim(ctx, "e", now.Add(time.Minute)); err != nil {
				t.Fatal(err)
			}
			if err := ob.Release(ctx, "e", attemptErr); err != nil {
				t.Fatal(err)
			}
		}
		page, _, err := ob.ListPending(ctx, 10, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != 1 || page[0].Attempts != 2 {
			t.Fatalf("pending = %+v, want e with 2 attempts", page)
		}
	})
}

func ids(es []outbox.Email) string {
	s := ""
	for i, e := range es {
		if i > 0 {
			s += ","
		}
		s += e.ID
	}
	return s
}
