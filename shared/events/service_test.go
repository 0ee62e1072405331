package events_test

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/bulk"
	"espaceosc/shared/bulk/bulktest"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/eventsdb"
	"espaceosc/shared/events"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/mail"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"
)

var manageLinkRE = regexp.MustCompile(`/registrations/([a-z0-9]{26})\?token=([A-Za-z0-9_-]{43})`)

// env is the service on minidyn with a recording sender and a clock the
// test moves.
type env struct {
	svc    *events.Service
	store  eventsdb.Store
	table  *ddbstore.Table
	sender *outboxtest.Sender
	jobs   *bulktest.Inline
	now    time.Time
}

func newEnv(t *testing.T, now time.Time) *env {
	t.Helper()
	db, name := ddbtest.Minidyn(t)
	e := &env{sender: &outboxtest.Sender{}, now: now}
	e.table = ddbstore.New(db, name).WithClock(func() time.Time { return e.now })
	e.store = eventsdb.New(e.table)
	mailer := outbox.New(e.table.Outbox(), e.sender, events.Emails, nil)
	e.jobs = &bulktest.Inline{}
	e.svc = events.NewService(events.Config{
		Store: e.store, Mailer: mailer, Jobs: e.table.Jobs(), Starter: e.jobs,
		PortalOrigin: "http://portal.test", NoticeVersion: "2026-11-01", Organizer: "no-reply@portal.test", Now: func() time.Time { return e.now },
	})
	e.jobs.Runner = &bulk.Runner{Store: e.table.Jobs(), Sources: e.svc.Sources(), Mailer: mailer, Pace: bulktest.Pace(1000), Starter: e.jobs, Batch: 2}
	return e
}

func eventInput(id string, capacity, waitlist int, now time.Time) events.Input {
	return events.Input{
		ID: id, Kind: "workshop",
		Title:       i18n.Text{FR: "Atelier de co-création", AR: "ورشة الإنشاء المشترك"},
		Description: i18n.Text{FR: "Plan d'action national", AR: "خطة العمل الوطنية"},
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

// published creates and publishes an event.
func (e *env) published(t *testing.T, in events.Input) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.svc.Create(ctx, in); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Publish(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
}

func (e *env) event(t *testing.T, id string) events.Event {
	t.Helper()
	ev, err := e.store.GetEvent(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// TestRegistrationLifecycle: seats, waitlist, full, duplicate, withdrawal
// with promotion, check-in, reminders once, cancellation notices once.
func TestRegistrationLifecycle(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, now)
	if _, err := e.svc.Create(ctx, eventInput("atelier-test", 2, 2, now)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Register(ctx, "atelier-test", person(0), ""); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("draft: err %v, want conflict (not published)", err)
	}
	if _, err := e.svc.Publish(ctx, "atelier-test"); err != nil {
		t.Fatal(err)
	}
	var got []events.Receipt
	for i := range 4 {
		r, err := e.svc.Register(ctx, "atelier-test", person(i), "")
		if err != nil {
			t.Fatalf("register %d: %v", i, err)
		}
		got = append(got, r)
	}
	wantStatus := []events.RegStatus{events.RegConfirmed, events.RegConfirmed, events.RegWaitlisted, events.RegWaitlisted}
	for i, r := range got {
		if r.Status != wantStatus[i] || (r.Status == events.RegWaitlisted && r.Position != i-1) {
			t.Errorf("registration %d = %+v", i, r)
		}
	}
	if n := len(e.sender.SentOfKind(events.KindConfirmed)) + len(e.sender.SentOfKind(events.KindWaitlisted)); n != 4 {
		t.Errorf("confirmation and waitlist emails = %d, want 4", n)
	}
	if _, err := e.svc.Register(ctx, "atelier-test", person(9), ""); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("full: err %v, want conflict", err)
	}
	// Same address again: 409 and the manage link again.
	if _, err := e.svc.Register(ctx, "atelier-test", person(0), ""); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("duplicate: err %v, want conflict", err)
	}
	if n := len(e.sender.SentOfKind(events.KindLink)); n != 1 {
		t.Errorf("link emails = %d, want 1", n)
	}
	// The first confirmed withdraws: the first waitlisted is promoted.
	var token string
	for _, m := range e.sender.SentOfKind(events.KindLink) {
		if mm := manageLinkRE.FindStringSubmatch(m.Text); mm != nil && mm[1] == got[0].ID {
			token = mm[2]
		}
	}
	if token == "" {
		t.Fatal("no manage link for registration 0")
	}
	v, err := e.svc.Withdraw(ctx, got[0].ID, token)
	if err != nil || v.Status != events.RegCancelled {
		t.Fatalf("withdraw: %+v %v", v, err)
	}
	if again, err := e.svc.Withdraw(ctx, got[0].ID, token); err != nil || again.Status != events.RegCancelled {
		t.Errorf("withdraw again: %+v %v, want the same answer", again, err)
	}
	promoted := e.sender.SentOfKind(events.KindPromoted)
	if len(promoted) != 1 || promoted[0].RefID != got[2].ID || len(promoted[0].Attachments) != 1 {
		t.Fatalf("promoted emails = %+v", promoted)
	}
	if n := len(e.sender.SentOfKind(events.KindWithdrawn)); n != 1 {
		t.Errorf("withdrawal emails = %d, want 1", n)
	}
	ev := e.event(t, "atelier-test")
	if ev.Confirmed != 2 || ev.Waitlisted != 1 || ev.WaitlistSeq != 2 {
		t.Errorf("counters: confirmed %d waitlisted %d seq %d", ev.Confirmed, ev.Waitlisted, ev.WaitlistSeq)
	}
	// Check-in by code, twice -> conflict.
	if _, err := e.svc.CheckIn(ctx, "atelier-test", events.CheckInInput{Code: got[1].Code}); err != nil {
		t.Fatalf("check in: %v", err)
	}
	if _, err := e.svc.CheckIn(ctx, "atelier-test", events.CheckInInput{Code: got[1].Code}); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("second check in: %v, want conflict", err)
	}
	// Reminders: nothing yet (72 h ahead, 48 h reminder), then once each
	// (the confirmed ones only), whatever the runs.
	if res, err := e.svc.SendReminders(ctx); err != nil || res.Events != 0 || len(e.sender.SentOfKind(events.KindReminder)) != 0 {
		t.Fatalf("early reminders: %+v %v", res, err)
	}
	e.now = now.Add(25 * time.Hour)
	for run := range 2 {
		res, err := e.svc.SendReminders(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int{1, 0}[run]; res.Events != 1 || res.Started != want {
			t.Errorf("run %d: %+v, want the event's job started %d time(s)", run, res, want)
		}
		if n := len(e.sender.SentOfKind(events.KindReminder)); n != 2 {
			t.Errorf("run %d: %d reminders sent in all, want 2", run, n)
		}
	}
	// Cancel the event: the 3 remaining registrants are told, once, by the
	// notification job it starts.
	res, err := e.svc.Cancel(ctx, "atelier-test")
	if err != nil || res.Notification.Recipients != 3 || res.Notification.ID == "" || res.Event.Status != events.Cancelled {
		t.Fatalf("cancel: %+v %v", res, err)
	}
	if n := len(e.sender.SentOfKind(events.KindEventCancelled)); n != 3 {
		t.Errorf("cancellation emails = %d, want 3", n)
	}
	if again, err := e.svc.Cancel(ctx, "atelier-test"); err != nil || again.Notification.ID != res.Notification.ID {
		t.Fatalf("cancel again: %+v %v, want the same notification", again, err)
	}
	if n := len(e.sender.SentOfKind(events.KindEventCancelled)); n != 3 {
		t.Errorf("cancellation emails after cancelling again = %d, want still 3", n)
	}
	if job, err := e.table.Jobs().GetJob(ctx, res.Notification.ID); err != nil || !job.Done || job.Recorded != 3 {
		t.Errorf("job = %+v %v, want done with 3 recorded", job, err)
	}
	for _, m := range e.sender.SentOfKind(events.KindEventCancelled) {
		if len(m.Attachments) != 1 || !strings.Contains(string(m.Attachments[0].Data), "METHOD:CANCEL") {
			t.Errorf("cancellation email of %s lacks its .ics CANCEL", m.RefID)
		}
	}
}

// TestConcurrentRegistrations: seats are never oversold and waitlist
// positions are 1..N without gaps or repeats.
func TestConcurrentRegistrations(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, now)
	e.published(t, eventInput("surge", 10, 40, now))
	const n = 60
	var mu sync.Mutex
	var positions []int
	confirmed, full := 0, 0
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r, err := e.svc.Register(ctx, "surge", person(i), "")
			mu.Lock()
			defer mu.Unlock()
			switch {
			case apperr.Is(err, apperr.Conflict):
				full++
			case err != nil:
				t.Errorf("register %d: %v", i, err)
			case r.Status == events.RegConfirmed:
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
	if got := len(e.sender.Sent()); got != 50 {
		t.Errorf("emails = %d, want 50 (one per registration)", got)
	}
}

// TestCapacityRaisePromotesWaitlist: seats added by an edit go to the
// waitlist first come first served, each with its email and .ics.
func TestCapacityRaisePromotesWaitlist(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, now)
	e.published(t, eventInput("atelier-capacite", 2, 5, now))
	var got []events.Receipt
	for i := range 5 {
		r, err := e.svc.Register(ctx, "atelier-capacite", person(i), "")
		if err != nil {
			t.Fatalf("register %d: %v", i, err)
		}
		got = append(got, r)
	}
	// Below the two confirmed: 409, nothing changes.
	if _, err := e.svc.Update(ctx, "atelier-capacite", eventInput("", 1, 5, now)); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("capacity 1: err %v, want conflict", err)
	}
	// Two more seats: the first two of the three waitlisted take them.
	v, err := e.svc.Update(ctx, "atelier-capacite", eventInput("", 4, 5, now))
	if err != nil {
		t.Fatalf("raise capacity: %v", err)
	}
	if v.Capacity != 4 || v.Confirmed != 4 || v.Waitlisted != 1 || e.event(t, "atelier-capacite").WaitlistSeq != 3 {
		t.Errorf("returned counters: capacity %d confirmed %d waitlisted %d", v.Capacity, v.Confirmed, v.Waitlisted)
	}
	var ids []string
	for _, m := range e.sender.SentOfKind(events.KindPromoted) {
		if len(m.Attachments) != 1 {
			t.Errorf("promotion email of %s: %d attachments, want the .ics", m.RefID, len(m.Attachments))
		}
		ids = append(ids, m.RefID)
	}
	slices.Sort(ids)
	want := []string{got[2].ID, got[3].ID}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("promoted %v, want %v", ids, want)
	}
	wl, _, err := e.svc.ListRegistrations(ctx, "atelier-capacite", "waitlisted", 10, "")
	if err != nil {
		t.Fatal(err)
	}
	// The remaining one is first in line, its position kept as after a cancellation.
	if len(wl) != 1 || wl[0].ID != got[4].ID || wl[0].Position != 3 {
		t.Errorf("waitlist now %+v, want only %s (position 3)", wl, got[4].ID)
	}
	// Saving again promotes nobody more; the promoted stay confirmed.
	if _, err := e.svc.Update(ctx, "atelier-capacite", eventInput("", 4, 5, now)); err != nil {
		t.Fatal(err)
	}
	if n := len(e.sender.SentOfKind(events.KindPromoted)); n != 2 {
		t.Errorf("promotion emails after a second save = %d, want 2", n)
	}
	for _, id := range []string{got[2].ID, got[3].ID} {
		r, err := e.store.GetRegistration(ctx, id)
		if err != nil || r.Status != events.RegConfirmed {
			t.Errorf("registration %s: %v %v, want confirmed", id, r.Status, err)
		}
	}
}

// TestIdempotentRegistration: a retry with the same key and body gets the
// first receipt and writes nothing; another body with that key is 422.
func TestIdempotentRegistration(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, now)
	e.published(t, eventInput("atelier", 5, 0, now))
	first, err := e.svc.Register(ctx, "atelier", person(1), "key-1")
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.svc.Register(ctx, "atelier", person(1), "key-1")
	if err != nil || again != first {
		t.Errorf("retry = %+v %v, want %+v", again, err, first)
	}
	if _, err := e.svc.Register(ctx, "atelier", person(2), "key-1"); !apperr.Is(err, apperr.Unprocessable) {
		t.Errorf("same key, other body: %v, want unprocessable", err)
	}
	// The same body under that key for another event is another request.
	e.published(t, eventInput("atelier-2", 5, 0, now))
	if _, err := e.svc.Register(ctx, "atelier-2", person(1), "key-1"); !apperr.Is(err, apperr.Unprocessable) {
		t.Errorf("same key and body, other event: %v, want unprocessable", err)
	}
	if ev := e.event(t, "atelier"); ev.Confirmed != 1 {
		t.Errorf("confirmed = %d, want 1", ev.Confirmed)
	}
	if n := len(e.sender.Sent()); n != 1 {
		t.Errorf("emails = %d, want 1", n)
	}
	if _, err := idempotency.ParseKey("a b", true); err == nil {
		t.Error("ParseKey accepts a key with a space")
	}
}

// TestEmailsAreRenderedWhenSent: an email recorded while SES is down keeps
// only its kind and data; the sweeper, which knows the templates and
// nothing of the event, renders it later with its .ics, its times in
// Morocco's time and the portal's footer.
func TestEmailsAreRenderedWhenSent(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, now)
	in := eventInput("atelier-mail", 1, 5, now)
	in.Online, in.OnlineURL = true, "https://visio.example.org/atelier"
	e.published(t, in)
	e.sender.Fail(true)
	ar := person(1)
	ar.Lang, ar.FullName = "ar", "أمينة <b>"
	r1, err := e.svc.Register(ctx, "atelier-mail", ar, "")
	if err != nil {
		t.Fatal(err)
	}
	r2, err := e.svc.Register(ctx, "atelier-mail", person(2), "")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(e.sender.Sent()); n != 0 {
		t.Fatalf("%d emails sent while SES is down", n)
	}
	pending, _, err := e.table.Outbox().ListPending(ctx, 10, "")
	if err != nil || len(pending) != 2 {
		t.Fatalf("pending = %d, %v", len(pending), err)
	}
	for _, p := range pending {
		if len(p.Data) == 0 || !bytes.Contains(p.Data, []byte(`"`)) {
			t.Errorf("email %s recorded rendered, not as data", p.ID)
		}
	}
	sweeper := &outboxtest.Sender{}
	if res, err := outbox.New(e.table.Outbox(), sweeper, events.Emails, nil).Sweep(ctx, 0); err != nil || res.Sent != 2 {
		t.Fatalf("sweep: %+v %v", res, err)
	}
	confirmed := sweeper.SentOfKind(events.KindConfirmed)
	if len(confirmed) != 1 || confirmed[0].RefID != r1.ID {
		t.Fatalf("confirmations = %+v", confirmed)
	}
	c := confirmed[0]
	for _, want := range []string{
		"الاثنين 30 نونبر 2026، من الساعة 10:00 إلى الساعة 13:00 (بتوقيت المغرب)", // 09:00 UTC is 10:00 in Casablanca
		r1.Code, "https://visio.example.org/atelier", "http://portal.test/ar/registrations/" + r1.ID + "?token=",
		mail.Footer.AR,
	} {
		if !strings.Contains(c.Text, want) {
			t.Errorf("Arabic confirmation lacks %q:\n%s", want, c.Text)
		}
	}
	if !strings.Contains(c.HTML, `dir="rtl"`) || strings.Contains(c.HTML, "<b>") {
		t.Errorf("Arabic HTML not RTL or not escaped")
	}
	if len(c.Attachments) != 1 || c.Attachments[0].Filename != "invitation.ics" {
		t.Fatalf("attachments = %+v", c.Attachments)
	}
	cal := strings.ReplaceAll(string(c.Attachments[0].Data), "\r\n ", "")
	for _, want := range []string{"METHOD:REQUEST", "UID:" + r1.ID + "@espace-osc", "DTSTART:20261130T090000Z", "DTEND:20261130T120000Z",
		"SUMMARY:ورشة الإنشاء المشترك", "https://visio.example.org/atelier", "URL:http://portal.test/ar/events/atelier-mail"} {
		if !strings.Contains(cal, want) {
			t.Errorf(".ics lacks %q:\n%s", want, cal)
		}
	}
	waitlisted := sweeper.SentOfKind(events.KindWaitlisted)
	if len(waitlisted) != 1 || waitlisted[0].RefID != r2.ID {
		t.Fatalf("waitlist emails = %+v", waitlisted)
	}
	w := waitlisted[0]
	for _, want := range []string{"lundi 30 novembre 2026 de 10 h 00 à 13 h 00 (heure du Maroc)", "position 1", mail.Footer.FR} {
		if !strings.Contains(w.Text, want) {
			t.Errorf("waitlist email lacks %q:\n%s", want, w.Text)
		}
	}
	if len(w.Attachments) != 0 || strings.Contains(w.Text, "visio.example.org") {
		t.Errorf("a waitlisted person got the .ics or the online link")
	}
	if strings.Count(w.Text, mail.Footer.FR) != 1 {
		t.Errorf("the footer is not there once:\n%s", w.Text)
	}
}

// TestEveryKindHasATemplate: the outbox refuses to compose a kind it cannot
// render; every kind the service composes is in Emails.
func TestEveryKindHasATemplate(t *testing.T) {
	for _, k := range []string{events.KindConfirmed, events.KindWaitlisted, events.KindPromoted, events.KindWithdrawn,
		events.KindLink, events.KindReminder, events.KindEventCancelled, events.KindUpdated} {
		if _, ok := events.Emails[k]; !ok {
			t.Errorf("no template for %s", k)
		}
	}
	if len(events.Emails) != 8 {
		t.Errorf("%d templates, want 8", len(events.Emails))
	}
}
