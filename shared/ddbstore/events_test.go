package ddbstore_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/events"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"
)

var manageLinkRE = regexp.MustCompile(`/registrations/([a-z0-9]{26})\?token=([A-Za-z0-9_-]{43})`)

func eventsService(t *testing.T, c ddbtest.Client, table string, now time.Time) (*events.Service, *outboxtest.Sender) {
	st := ddbstore.New(c, table).WithClock(func() time.Time { return now })
	sender := &outboxtest.Sender{}
	ob := outbox.New(st.Outbox(), sender, nil, nil)
	return events.NewService(st.Events(), ob, nil, "http://portal.test", "2026-11-01", nil).WithClock(func() time.Time { return now }), sender
}

func eventInput(id string, capacity, waitlist int, now time.Time) events.Input {
	return events.Input{
		ID: id, Kind: "workshop",
		Title:       events.Localized{FR: "Atelier de co-création", AR: "ورشة الإنشاء المشترك"},
		Description: events.Localized{FR: "Plan d'action national", AR: "خطة العمل الوطنية"},
		StartsAt:    now.Add(72 * time.Hour).Format(time.RFC3339), EndsAt: now.Add(75 * time.Hour).Format(time.RFC3339),
		Venue:    &events.Venue{Address: "12 rue Tarik", City: "Casablanca", Region: "Casablanca-Settat"},
		Capacity: capacity, WaitlistSize: waitlist,
		RegistrationOpensAt: now.Add(-time.Hour).Format(time.RFC3339), RegistrationClosesAt: now.Add(70 * time.Hour).Format(time.RFC3339),
	}
}

func yes() *bool { b := true; return &b }

func person(i int) events.RegistrationInput {
	return events.RegistrationInput{FullName: fmt.Sprintf("Personne %d", i), Email: fmt.Sprintf("p%d@example.org", i), Lang: "fr", Consent: yes()}
}

func TestEventsRegistrationLifecycle(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		svc, sender := eventsService(t, c, table, now)
		if _, err := svc.Create(ctx, eventInput("atelier-test", 2, 2, now)); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Register(ctx, "atelier-test", person(0), ""); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("draft: err %v, want conflict (not published)", err)
		}
		if _, err := svc.Publish(ctx, "atelier-test"); err != nil {
			t.Fatal(err)
		}
		var got []events.Receipt
		for i := range 4 {
			r, err := svc.Register(ctx, "atelier-test", person(i), "")
			if err != nil {
				t.Fatalf("register %d: %v", i, err)
			}
			got = append(got, r)
		}
		wantStatus := []events.RegStatus{events.Confirmed, events.Confirmed, events.Waitlisted, events.Waitlisted}
		for i, r := range got {
			if r.Status != wantStatus[i] || (r.Status == events.Waitlisted && r.Position != i-1) {
				t.Errorf("registration %d = %+v", i, r)
			}
		}
		if _, err := svc.Register(ctx, "atelier-test", person(9), ""); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("full: err %v, want conflict", err)
		}
		// Same address again: 409 and the manage link again.
		if _, err := svc.Register(ctx, "atelier-test", person(0), ""); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("duplicate: err %v, want conflict", err)
		}
		if n := len(sender.SentOfKind(events.KindLink)); n != 1 {
			t.Errorf("link emails = %d, want 1", n)
		}
		// The first confirmed withdraws: the first waitlisted is promoted.
		var token string
		for _, m := range sender.SentOfKind(events.KindLink) {
			if mm := manageLinkRE.FindStringSubmatch(m.Text); mm != nil && mm[1] == got[0].ID {
				token = mm[2]
			}
		}
		if token == "" {
			t.Fatal("no manage link for registration 0")
		}
		if _, err := svc.Withdraw(ctx, got[0].ID, token); err != nil {
			t.Fatalf("withdraw: %v", err)
		}
		promoted := sender.SentOfKind(events.KindPromoted)
		if len(promoted) != 1 || promoted[0].RefID != got[2].ID || len(promoted[0].Attachments) != 1 {
			t.Fatalf("promoted emails = %+v", promoted)
		}
		e, err := svc.Get(ctx, "atelier-test")
		if err != nil {
			t.Fatal(err)
		}
		if e.Confirmed != 2 || e.Waitlisted != 1 || e.WaitlistSeq != 2 {
			t.Errorf("counters: confirmed %d waitlisted %d seq %d", e.Confirmed, e.Waitlisted, e.WaitlistSeq)
		}
		// Check-in by code, twice -> conflict.
		if _, err := svc.CheckIn(ctx, "atelier-test", events.CheckInInput{Code: got[1].Code}); err != nil {
			t.Fatalf("check in: %v", err)
		}
		if _, err := svc.CheckIn(ctx, "atelier-test", events.CheckInInput{Code: got[1].Code}); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second check in: %v, want conflict", err)
		}
		// Reminders: nothing yet (72 h ahead, 48 h reminder), then once.
		if res, err := svc.SendReminders(ctx); err != nil || res.Sent != 0 {
			t.Fatalf("early reminders: %+v %v", res, err)
		}
		later, _ := eventsService(t, c, table, now.Add(25*time.Hour))
		for run := range 2 {
			res, err := later.SendReminders(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if want := []int{2, 0}[run]; res.Sent != want {
				t.Errorf("run %d: reminders sent %d, want %d", run, res.Sent, want)
			}
		}
		// Cancel the event: the 3 remaining registrants are told, once.
		res, err := svc.Cancel(ctx, "atelier-test")
		if err != nil || res.Notified != 3 {
			t.Fatalf("cancel: %+v %v", res, err)
		}
		if res, err := svc.Cancel(ctx, "atelier-test"); err != nil || res.Notified != 0 {
			t.Fatalf("cancel again: %+v %v", res, err)
		}
	})
}

func TestEventsConcurrentRegistrationsMinidyn(t *testing.T) {
	c, table := ddbtest.Minidyn(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	svc, _ := eventsService(t, c, table, now)
	if _, err := svc.Create(ctx, eventInput("surge", 10, 40, now)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Publish(ctx, "surge"); err != nil {
		t.Fatal(err)
	}
	const n = 60
	var mu sync.Mutex
	var positions []int
	confirmed, full := 0, 0
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r, err := svc.Register(ctx, "surge", person(i), "")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case apperr.Is(err, apperr.Conflict):
				full++
			case err != nil:
				t.Errorf("register %d: %v", i, err)
			case r.Status == events.Confirmed:
				confirmed++
			default:
				positions = append(positions, r.Position)
			}
		})
	}
	wg.Wait()
	slices.Sort(positions)
	if confirmed != 10 || len(positions) != 40 || full != 10 {
		t.Fatalf("confirmed %d, waitlisted %d, full %d; want 10, 40, 10", confirmed, len(positions), full)
	}
	for i, p := range positions {
		if p != i+1 {
			t.Fatalf("positions %v: want 1..40 without gaps", positions)
		}
	}
}

func TestEventsCapacityRaisePromotesWaitlist(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		svc, sender := eventsService(t, c, table, now)
		if _, err := svc.Create(ctx, eventInput("atelier-capacite", 2, 5, now)); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Publish(ctx, "atelier-capacite"); err != nil {
			t.Fatal(err)
		}
		var got []events.Receipt
		for i := range 5 {
			r, err := svc.Register(ctx, "atelier-capacite", person(i), "")
			if err != nil {
				t.Fatalf("register %d: %v", i, err)
			}
			got = append(got, r)
		}
		// Below the two confirmed: 409, nothing changes.
		if _, err := svc.Update(ctx, "atelier-capacite", eventInput("", 1, 5, now)); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("capacity 1: err %v, want conflict", err)
		}
		// Two more seats: the first two of the three waitlisted take them.
		e, err := svc.Update(ctx, "atelier-capacite", eventInput("", 4, 5, now))
		if err != nil {
			t.Fatalf("raise capacity: %v", err)
		}
		if e.Capacity != 4 || e.Confirmed != 4 || e.Waitlisted != 1 || e.WaitlistSeq != 3 {
			t.Errorf("returned counters: capacity %d confirmed %d waitlisted %d seq %d", e.Capacity, e.Confirmed, e.Waitlisted, e.WaitlistSeq)
		}
		promoted := sender.SentOfKind(events.KindPromoted)
		var ids []string
		for _, m := range promoted {
			if len(m.Attachments) != 1 {
				t.Errorf("promotion email of %s: %d attachments, want the .ics", m.RefID, len(m.Attachments))
			}
			ids = append(ids, m.RefID)
		}
		slices.Sort(ids)
		if want := []string{got[2].ID, got[3].ID}; !slices.Equal(ids, sortedIDs(want)) {
			t.Errorf("promoted %v, want %v", ids, want)
		}
		wl, _, err := svc.ListRegistrations(ctx, "atelier-capacite", "waitlisted", 10, "")
		if err != nil {
			t.Fatal(err)
		}
		// The remaining one is first in line, its position kept as after a cancellation.
		if len(wl) != 1 || wl[0].ID != got[4].ID || wl[0].Position != 3 {
			t.Errorf("waitlist now %+v, want only %s (position 3)", wl, got[4].ID)
		}
		// Saving again promotes nobody more; the promoted stay confirmed.
		if _, err := svc.Update(ctx, "atelier-capacite", eventInput("", 4, 5, now)); err != nil {
			t.Fatal(err)
		}
		if n := len(sender.SentOfKind(events.KindPromoted)); n != 2 {
			t.Errorf("promotion emails after a second save = %d, want 2", n)
		}
		// The outbox holds the promotion emails too (recorded in their transactions).
		for _, id := range []string{got[2].ID, got[3].ID} {
			st, err := ddbstore.New(c, table).Events().GetRegistration(ctx, id)
			if err != nil || st.Status != events.Confirmed {
				t.Errorf("registration %s: %v %v, want confirmed", id, st.Status, err)
			}
		}
	})
}

func sortedIDs(ids []string) []string {
	s := slices.Clone(ids)
	slices.Sort(s)
	return s
}
