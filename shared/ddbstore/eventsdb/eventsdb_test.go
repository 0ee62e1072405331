package eventsdb_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/eventsdb"
	"espaceosc/shared/events"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/outbox"
)

var base = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func testEvent(id string, capacity, waitlist int, status events.Status, created time.Time) events.Event {
	return events.Event{
		ID: id, Kind: "workshop",
		Title:       i18n.Text{FR: "Atelier de co-création", AR: "ورشة الإنشاء المشترك"},
		Description: i18n.Text{FR: "Plan d'action", AR: "خطة العمل"},
		StartsAt:    base.Add(72 * time.Hour), EndsAt: base.Add(75 * time.Hour),
		Venue:    &events.Venue{Address: "12 rue Tarik", City: "Casablanca", Region: "Casablanca-Settat"},
		Capacity: capacity, WaitlistSize: waitlist,
		RegistrationOpensAt: base.Add(-time.Hour), RegistrationClosesAt: base.Add(70 * time.Hour),
		Questions: []events.Question{{ID: "role", Type: events.SingleChoice, Required: true, Label: i18n.Text{FR: "Rôle", AR: "الصفة"},
			Options: []events.Option{{ID: "a", Label: i18n.Text{FR: "A", AR: "أ"}}, {ID: "b", Label: i18n.Text{FR: "B", AR: "ب"}}}}},
		ReminderHours: 48, Status: status, CreatedAt: created, UpdatedAt: created, Version: 1,
	}
}

func testRegistration(eventID string, i int, status events.RegStatus, position int) events.Registration {
	at := base.Add(time.Duration(i) * time.Second)
	return events.Registration{
		ID: fmt.Sprintf("reg%023d", i), EventID: eventID, Status: status, Position: position,
		Code: fmt.Sprintf("C%07d", i), FullName: "Salma Idrissi", Email: fmt.Sprintf("P%d@Example.org", i),
		Answers: map[string][]string{"role": {"a"}}, Lang: i18n.AR, TokenHash: "hash",
		Consent:   events.Consent{Given: true, At: at, NoticeVersion: "2026-11-01"},
		CreatedAt: at, UpdatedAt: at, ConfirmedAt: at, ExpiresAt: base.Add(75*time.Hour + events.Retention), Version: 1,
	}
}

// register writes r as a seat or at the next waitlist position read as seq.
func register(ctx context.Context, s eventsdb.Store, r events.Registration, seat bool, seq int, rec *idempotency.Record) error {
	return s.Register(ctx, events.Registering{
		Registration: r, Seat: seat, ReadWaitlistSeq: seq, Email: ddbtest.Email("mail-"+r.ID, r.CreatedAt), Idempotency: rec,
	})
}

func TestEventsCreateGetUpdateList(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		s := eventsdb.New(ddbstore.New(c, table))
		for i, st := range []events.Status{events.Published, events.Draft, events.Published} {
			e := testEvent(fmt.Sprintf("event-%d", i), 10, 5, st, base.Add(time.Duration(i)*time.Minute))
			e.StartsAt = base.Add(time.Duration(24*(3-i)) * time.Hour)
			if i == 2 {
				e.Venue, e.Online, e.OnlineURL, e.Questions = nil, true, "https://visio.example.org/x", nil
			}
			if err := s.CreateEvent(ctx, e); err != nil {
				t.Fatalf("CreateEvent %d: %v", i, err)
			}
		}
		if err := s.CreateEvent(ctx, testEvent("event-0", 1, 0, events.Draft, base)); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("id taken: err = %v, want conflict", err)
		}
		got, err := s.GetEvent(ctx, "event-0")
		if err != nil {
			t.Fatal(err)
		}
		want := testEvent("event-0", 10, 5, events.Published, base)
		if got.Title != want.Title || *got.Venue != *want.Venue || len(got.Questions) != 1 || got.Questions[0].Options[1].Label.AR != "ب" ||
			!got.RegistrationClosesAt.Equal(want.RegistrationClosesAt) || !got.CreatedAt.Equal(base) || got.Version != 1 || got.ReminderHours != 48 {
			t.Errorf("GetEvent = %+v", got)
		}
		online, err := s.GetEvent(ctx, "event-2")
		if err != nil || online.Venue != nil || !online.Online || online.Questions != nil {
			t.Errorf("online event = %+v, %v", online, err)
		}
		if _, err := s.GetEvent(ctx, "missing"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("missing: err = %v, want not found", err)
		}

		// Published events only; upcoming soonest first, or all latest first.
		up, next, err := s.ListPublishedEvents(ctx, base.Add(30*time.Hour), 10, "")
		if err != nil || len(up) != 1 || up[0].ID != "event-0" || next != "" {
			t.Errorf("upcoming = %v, %q, %v", ids(up), next, err)
		}
		all, next, err := s.ListPublishedEvents(ctx, time.Time{}, 1, "")
		if err != nil || len(all) != 1 || all[0].ID != "event-0" || next == "" {
			t.Fatalf("published page 1 = %v, %q, %v", ids(all), next, err)
		}
		all, next, err = s.ListPublishedEvents(ctx, time.Time{}, 1, next)
		if err != nil || len(all) != 1 || all[0].ID != "event-2" || next != "" {
			t.Errorf("published page 2 = %v, %q, %v; want the last page without a cursor", ids(all), next, err)
		}
		every, allNext, err := s.ListEvents(ctx, 2, "")
		if err != nil || len(every) != 2 || every[0].ID != "event-2" || allNext == "" {
			t.Errorf("every event = %v, %q, %v", ids(every), allNext, err)
		}
		if _, _, err := s.ListPublishedEvents(ctx, time.Time{}, 1, allNext); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("foreign cursor: err = %v, want invalid", err)
		}

		// Optimistic locking on the version and the counters read.
		next1 := got
		next1.Kind, next1.Version, next1.Status = "training", 2, events.Cancelled
		if err := s.UpdateEvent(ctx, next1, 1); err != nil {
			t.Fatalf("UpdateEvent: %v", err)
		}
		if err := s.UpdateEvent(ctx, next1, 1); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale version: err = %v, want conflict", err)
		}
		stale := next1
		stale.Version, stale.Confirmed = 3, 1
		if err := s.UpdateEvent(ctx, stale, 2); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("counters not as read: err = %v, want conflict", err)
		}
		if e, _ := s.GetEvent(ctx, "event-0"); e.Kind != "training" || e.Version != 2 || e.Status != events.Cancelled {
			t.Errorf("after update: %+v", e)
		}
		// A draft becomes public when published (the sparse index follows the item).
		draft, _ := s.GetEvent(ctx, "event-1")
		draft.Status, draft.Version = events.Published, 2
		if err := s.UpdateEvent(ctx, draft, 1); err != nil {
			t.Fatal(err)
		}
		if all, _, _ := s.ListPublishedEvents(ctx, time.Time{}, 10, ""); len(all) != 3 {
			t.Errorf("published after publishing the draft = %v", ids(all))
		}
	})
}

func TestRegistrationsTransactions(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		st := ddbstore.New(c, table).WithClock(func() time.Time { return base })
		s := eventsdb.New(st)
		ev := testEvent("atelier", 1, 2, events.Published, base)
		if err := s.CreateEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
		draft := testEvent("brouillon", 1, 2, events.Draft, base)
		if err := s.CreateEvent(ctx, draft); err != nil {
			t.Fatal(err)
		}
		if err := register(ctx, s, testRegistration("brouillon", 9, events.RegConfirmed, 0), true, 0, nil); !errors.Is(err, events.ErrStale) {
			t.Errorf("seat of a draft: err = %v, want ErrStale", err)
		}

		seat := testRegistration("atelier", 0, events.RegConfirmed, 0)
		if err := register(ctx, s, seat, true, 0, nil); err != nil {
			t.Fatalf("seat: %v", err)
		}
		if err := register(ctx, s, testRegistration("atelier", 1, events.RegConfirmed, 0), true, 0, nil); !errors.Is(err, events.ErrStale) {
			t.Errorf("no seat left: err = %v, want ErrStale", err)
		}
		// The same address (in another case) again: ErrDuplicate.
		dup := testRegistration("atelier", 1, events.RegWaitlisted, 1)
		dup.Email = "p0@example.ORG "
		if err := register(ctx, s, dup, false, 0, nil); !errors.Is(err, events.ErrDuplicate) {
			t.Errorf("same address: err = %v, want ErrDuplicate", err)
		}
		// Waitlist: a position read on stale counters is refused.
		w1 := testRegistration("atelier", 1, events.RegWaitlisted, 1)
		if err := register(ctx, s, w1, false, 0, nil); err != nil {
			t.Fatalf("waitlist 1: %v", err)
		}
		w2 := testRegistration("atelier", 2, events.RegWaitlisted, 1)
		if err := register(ctx, s, w2, false, 0, nil); !errors.Is(err, events.ErrStale) {
			t.Errorf("position 1 again: err = %v, want ErrStale", err)
		}
		req, _ := idempotency.Begin(events.IdempotencyScope, "key-1", "body")
		rec, _ := req.Record(201, map[string]string{"id": "w2"}, base)
		w2.Position = 2
		if err := register(ctx, s, w2, false, 1, rec); err != nil {
			t.Fatalf("waitlist 2: %v", err)
		}
		// The same key on a registration that would otherwise succeed.
		if err := s.CreateEvent(ctx, testEvent("autre", 5, 0, events.Published, base)); err != nil {
			t.Fatal(err)
		}
		if err := register(ctx, s, testRegistration("autre", 7, events.RegConfirmed, 0), true, 0, rec); !errors.Is(err, idempotency.ErrRecorded) {
			t.Errorf("same key again: err = %v, want ErrRecorded", err)
		}
		if e, _ := s.GetEvent(ctx, "autre"); e.Confirmed != 0 {
			t.Errorf("the refused transaction took a seat")
		}
		other := testRegistration("atelier", 3, events.RegWaitlisted, 3)
		if got, ok, err := idempotency.Earlier[map[string]string](ctx, s, req); !ok || err != nil || got["id"] != "w2" {
			t.Errorf("recorded receipt = %v %v %v", got, ok, err)
		}
		if err := register(ctx, s, other, false, 2, nil); !errors.Is(err, events.ErrStale) {
			t.Errorf("waitlist full: err = %v, want ErrStale", err)
		}
		e, _ := s.GetEvent(ctx, "atelier")
		if e.Confirmed != 1 || e.Waitlisted != 2 || e.WaitlistSeq != 2 {
			t.Fatalf("counters: confirmed %d waitlisted %d seq %d", e.Confirmed, e.Waitlisted, e.WaitlistSeq)
		}

		// Lookups.
		if r, err := s.RegistrationByEmail(ctx, "atelier", events.EmailHash("P1@example.org")); err != nil || r.ID != w1.ID || r.Lang != i18n.AR || r.Answers["role"][0] != "a" {
			t.Errorf("by email = %+v, %v", r, err)
		}
		if _, err := s.RegistrationByEmail(ctx, "atelier", events.EmailHash("nobody@example.org")); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown address: %v", err)
		}
		if r, err := s.RegistrationByCode(ctx, "atelier", w2.Code); err != nil || r.ID != w2.ID {
			t.Errorf("by code = %+v, %v", r, err)
		}
		if _, err := s.RegistrationByCode(ctx, "atelier", "ZZZZZZZZ"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown code: %v", err)
		}
		first, err := s.FirstWaitlisted(ctx, "atelier")
		if err != nil || first.ID != w1.ID {
			t.Fatalf("first waitlisted = %+v, %v", first, err)
		}
		if got, err := s.GetRegistration(ctx, seat.ID); err != nil || !got.Consent.At.Equal(seat.Consent.At) || !got.ExpiresAt.Equal(seat.ExpiresAt) || got.Status != events.RegConfirmed {
			t.Errorf("GetRegistration = %+v, %v", got, err)
		}

		// The seat is withdrawn and goes to the first waitlisted, in one transaction.
		gone := seat
		gone.Status, gone.CancelledAt, gone.Version = events.RegCancelled, base, 2
		promoted := w1
		promoted.Status, promoted.Version = events.RegConfirmed, 2
		w := events.Withdrawal{
			Registration: gone, PrevVersion: 1, Promoted: &promoted, PromotedPrevVersion: 1, Freed: events.CountWaitlisted,
			Emails: []outbox.Email{ddbtest.Email("ack", base), ddbtest.Email("promo", base)},
		}
		if err := s.Withdraw(ctx, w); err != nil {
			t.Fatalf("Withdraw: %v", err)
		}
		if err := s.Withdraw(ctx, w); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("withdraw again: err = %v, want conflict", err)
		}
		e, _ = s.GetEvent(ctx, "atelier")
		if e.Confirmed != 1 || e.Waitlisted != 1 || e.WaitlistSeq != 2 {
			t.Errorf("after the withdrawal: confirmed %d waitlisted %d seq %d", e.Confirmed, e.Waitlisted, e.WaitlistSeq)
		}
		if _, err := s.RegistrationByEmail(ctx, "atelier", events.EmailHash(seat.Email)); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("the withdrawn address is still held: %v", err)
		}
		confirmed, _, err := s.ListRegistrations(ctx, "atelier", events.RegConfirmed, events.AllRegs, 10, "")
		if err != nil || len(confirmed) != 1 || confirmed[0].ID != w1.ID {
			t.Errorf("confirmed = %v, %v", regIDs(confirmed), err)
		}

		// A capacity raise: the next waitlisted takes the new seat; no seat, no promotion.
		e.Capacity, e.Version = 2, e.Version+1
		if err := s.UpdateEvent(ctx, e, e.Version-1); err != nil {
			t.Fatal(err)
		}
		p := w2
		p.Status, p.Version = events.RegConfirmed, 2
		if err := s.Promote(ctx, events.Promotion{Registration: p, PrevVersion: 1, Email: ddbtest.Email("promo2", base)}); err != nil {
			t.Fatalf("Promote: %v", err)
		}
		if err := s.Promote(ctx, events.Promotion{Registration: p, PrevVersion: 1, Email: ddbtest.Email("promo3", base)}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("promote again: err = %v, want conflict", err)
		}
		if e, _ := s.GetEvent(ctx, "atelier"); e.Confirmed != 2 || e.Waitlisted != 0 {
			t.Errorf("after the promotion: confirmed %d waitlisted %d", e.Confirmed, e.Waitlisted)
		}
		if _, err := s.FirstWaitlisted(ctx, "atelier"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("nobody waits: %v", err)
		}

		// Check-in once, confirmed only.
		if err := s.CheckIn(ctx, p, base); err != nil {
			t.Fatalf("CheckIn: %v", err)
		}
		if err := s.CheckIn(ctx, p, base); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("second check-in: %v, want conflict", err)
		}
		if err := s.CheckIn(ctx, gone, base); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("check-in of a cancelled registration: %v, want conflict", err)
		}
		if e, _ := s.GetEvent(ctx, "atelier"); e.Attended != 1 {
			t.Errorf("attended = %d", e.Attended)
		}

		// Reminders and cancellation notices: once each, with their email.
		due, _, err := s.ListRegistrations(ctx, "atelier", events.RegConfirmed, events.NotReminded, 10, "")
		if err != nil || len(due) != 2 {
			t.Fatalf("not reminded = %v, %v", regIDs(due), err)
		}
		reminded := due[0]
		remind := func(r events.Registration, id string) events.Notice {
			return events.Notice{Registration: r, Mark: events.MarkReminded, Status: events.RegConfirmed, At: base, Email: ddbtest.Email(id, base)}
		}
		if got, err := s.RecordNotices(ctx, []events.Notice{remind(reminded, "rem1")}); err != nil || len(got) != 1 {
			t.Fatalf("first reminder: %d recorded, %v", len(got), err)
		}
		// In one batch: the one already reminded and the cancelled one are
		// skipped, the other is recorded.
		got, err := s.RecordNotices(ctx, []events.Notice{remind(reminded, "rem2"), remind(gone, "rem3"), remind(due[1], "rem4")})
		if err != nil || len(got) != 1 || got[0].Email.ID != "rem4" {
			t.Errorf("batch with the reminded and the cancelled: %v, %v; want rem4 only", got, err)
		}
		if pending, _, _ := st.Outbox().ListPending(ctx, 100, ""); strings.Contains(ddbtest.IDs(pending), "rem2") || strings.Contains(ddbtest.IDs(pending), "rem3") {
			t.Errorf("a skipped notice recorded its email: %s", ddbtest.IDs(pending))
		}
		if due, _, _ := s.ListRegistrations(ctx, "atelier", events.RegConfirmed, events.NotReminded, 10, ""); len(due) != 0 {
			t.Errorf("not reminded after the reminders = %v", regIDs(due))
		}
		tell := func(id string) events.Notice {
			return events.Notice{Registration: p, Mark: events.MarkCancelNotified, At: base, Email: ddbtest.Email(id, base)}
		}
		if got, err := s.RecordNotices(ctx, []events.Notice{tell("cancel1")}); err != nil || len(got) != 1 {
			t.Fatalf("cancellation notice: %d, %v", len(got), err)
		}
		if got, err := s.RecordNotices(ctx, []events.Notice{tell("cancel2")}); err != nil || len(got) != 0 {
			t.Errorf("notified twice: %d recorded, %v", len(got), err)
		}
		left, _, _ := s.ListRegistrations(ctx, "atelier", events.RegConfirmed, events.NotCancelNotified, 10, "")
		if len(left) != 1 || left[0].ID != w1.ID {
			t.Errorf("not notified = %v", regIDs(left))
		}

		// The manage link is resent once per window.
		again := w1
		again.TokenHash, again.LinkResentAt = "new-hash", base
		if err := s.ResendLink(ctx, again, base.Add(-10*time.Minute), ddbtest.Email("link1", base)); err != nil {
			t.Fatalf("ResendLink: %v", err)
		}
		if err := s.ResendLink(ctx, again, base.Add(-10*time.Minute), ddbtest.Email("link2", base)); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("resent twice in the window: %v", err)
		}
		if r, _ := s.GetRegistration(ctx, w1.ID); r.TokenHash != "new-hash" || !r.LinkResentAt.Equal(base) {
			t.Errorf("after ResendLink: %+v", r)
		}
		again.LinkResentAt = base.Add(20 * time.Minute)
		if err := s.ResendLink(ctx, again, base.Add(10*time.Minute), ddbtest.Email("link3", base)); err != nil {
			t.Errorf("resend after the window: %v", err)
		}

		// Every registration (GSI2), in pages; the last one without a cursor.
		page, next, err := s.ListRegistrations(ctx, "atelier", "", events.AllRegs, 2, "")
		if err != nil || len(page) != 2 || next == "" {
			t.Fatalf("all, page 1 = %v %q %v", regIDs(page), next, err)
		}
		page, next, err = s.ListRegistrations(ctx, "atelier", "", events.AllRegs, 2, next)
		if err != nil || len(page) != 1 || next != "" {
			t.Errorf("all, page 2 = %v %q %v", regIDs(page), next, err)
		}

		if err := s.RecordExport(ctx, events.Export{ID: "x1", EventID: "atelier", By: "admin-sub", At: base, Rows: 3, Key: "exports/events/atelier/x1.csv"}); err != nil {
			t.Errorf("RecordExport: %v", err)
		}

		// Every email above was recorded in its transaction, and only those.
		pending, _, err := st.Outbox().ListPending(ctx, 50, "")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(pending), 3+2+2+1+1+2; got != want { // two reminders now
			t.Errorf("pending emails = %d (%s), want %d", got, ddbtest.IDs(pending), want)
		}
	})
}

func ids(es []events.Event) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

func regIDs(rs []events.Registration) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}
