package events_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/events"
	"espaceosc/shared/ics/icstest"
	"espaceosc/shared/outbox"

	ical "github.com/arran4/golang-ical"
)

// The calendar files of the emails: an invitation per registration (its
// UID), updated when the event moves, cancelled when the event or the
// registration is; every kind passes libical's iTIP check.

// calendarOf parses the one .ics attachment of m.
func calendarOf(t *testing.T, m outbox.Message) (method string, ev *ical.VEvent) {
	t.Helper()
	if len(m.Attachments) != 1 {
		t.Fatalf("%s to %s: %d attachments, want one .ics", m.Kind, m.RefID, len(m.Attachments))
	}
	cal, err := ical.ParseCalendar(bytes.NewReader(m.Attachments[0].Data))
	if err != nil {
		t.Fatalf("%s: parse .ics: %v", m.Kind, err)
	}
	for _, p := range cal.CalendarProperties {
		if p.IANAToken == "METHOD" {
			method = p.Value
		}
	}
	if len(cal.Events()) != 1 {
		t.Fatalf("%s: %d events in the .ics", m.Kind, len(cal.Events()))
	}
	return method, cal.Events()[0]
}

func prop(ev *ical.VEvent, p ical.ComponentProperty) string {
	if v := ev.GetProperty(p); v != nil {
		return v.Value
	}
	return ""
}

// tokenOf finds the manage token of registration id in the emails sent.
func (e *env) tokenOf(t *testing.T, id string) string {
	t.Helper()
	for _, m := range e.sender.Sent() {
		if mm := manageLinkRE.FindStringSubmatch(m.Text); mm != nil && mm[1] == id {
			return mm[2]
		}
	}
	t.Fatalf("no manage link for %s", id)
	return ""
}

func TestRegistrantCancellationRemovesTheInvitation(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, now)
	e.published(t, eventInput("atelier-retrait", 1, 5, now))
	seat, err := e.svc.Register(ctx, "atelier-retrait", person(1), "")
	if err != nil {
		t.Fatal(err)
	}
	waiting, err := e.svc.Register(ctx, "atelier-retrait", person(2), "")
	if err != nil || waiting.Status != events.RegWaitlisted {
		t.Fatalf("second registration: %+v %v", waiting, err)
	}
	_, invitation := calendarOf(t, e.sender.SentOfKind(events.KindConfirmed)[0])

	// The waitlisted person leaves: they had no invitation, so no .ics.
	if _, err := e.svc.Withdraw(ctx, waiting.ID, e.tokenOf(t, waiting.ID)); err != nil {
		t.Fatal(err)
	}
	// The seat holder leaves: a CANCEL of their invitation.
	if _, err := e.svc.Withdraw(ctx, seat.ID, e.tokenOf(t, seat.ID)); err != nil {
		t.Fatal(err)
	}
	acks := map[string]outbox.Message{}
	for _, m := range e.sender.SentOfKind(events.KindWithdrawn) {
		acks[m.RefID] = m
	}
	if n := len(acks[waiting.ID].Attachments); n != 0 {
		t.Errorf("the waitlisted person's acknowledgement has %d attachments, want none", n)
	}
	method, cancel := calendarOf(t, acks[seat.ID])
	if method != "CANCEL" || prop(cancel, ical.ComponentPropertyStatus) != "CANCELLED" {
		t.Errorf("acknowledgement's .ics: METHOD %s STATUS %s, want CANCEL / CANCELLED", method, prop(cancel, ical.ComponentPropertyStatus))
	}
	if got, want := prop(cancel, ical.ComponentPropertyUniqueId), prop(invitation, ical.ComponentPropertyUniqueId); got != want || got != seat.ID+"@espace-osc" {
		t.Errorf("CANCEL UID %q, invitation UID %q: want both %s@espace-osc", got, want, seat.ID)
	}
	if !strings.Contains(acks[seat.ID].Text, "annulation.ics") {
		t.Errorf("the acknowledgement does not say what the attachment does:\n%s", acks[seat.ID].Text)
	}
	icstest.Valid(t, map[string][]byte{"registrant's CANCEL": acks[seat.ID].Attachments[0].Data})
}

func TestMovingAnEventTellsItsRegistrants(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, now)
	in := eventInput("atelier-deplace", 1, 5, now)
	e.published(t, in)
	in.ID = "" // an update names the event in its path
	seat, err := e.svc.Register(ctx, "atelier-deplace", person(1), "")
	if err != nil {
		t.Fatal(err)
	}
	ar := person(2)
	ar.Lang, ar.FullName = "ar", "أمينة العلوي"
	waiting, err := e.svc.Register(ctx, "atelier-deplace", ar, "")
	if err != nil || waiting.Status != events.RegWaitlisted {
		t.Fatalf("second registration: %+v %v", waiting, err)
	}
	_, invitation := calendarOf(t, e.sender.SentOfKind(events.KindConfirmed)[0])
	firstSeq := prop(invitation, ical.ComponentPropertySequence)

	// A new title tells nobody.
	in.Title.FR = "Atelier de co-création du plan"
	if _, err := e.svc.Update(ctx, "atelier-deplace", in); err != nil {
		t.Fatal(err)
	}
	if n := len(e.sender.SentOfKind(events.KindUpdated)); n != 0 || len(e.jobs.Started) != 0 {
		t.Fatalf("a title change sent %d update emails and started %v", n, e.jobs.Started)
	}

	// A day later and elsewhere: both are told, the seat holder with the
	// updated invitation (same UID, higher SEQUENCE, new times).
	start := now.Add(96 * time.Hour)
	in.StartsAt, in.EndsAt = start.Format(time.RFC3339), start.Add(2*time.Hour).Format(time.RFC3339)
	in.Venue = &events.Venue{Address: "Maison des associations", City: "Rabat", Region: "Rabat-Salé-Kénitra"}
	if _, err := e.svc.Update(ctx, "atelier-deplace", in); err != nil {
		t.Fatal(err)
	}
	seq := e.event(t, "atelier-deplace").Sequence
	wantJob := fmt.Sprintf("%s.%s.%d", events.JobUpdated, "atelier-deplace", seq)
	if len(e.jobs.Started) != 1 || e.jobs.Started[0] != wantJob {
		t.Fatalf("jobs started %v, want %s", e.jobs.Started, wantJob)
	}
	updates := map[string]outbox.Message{}
	for _, m := range e.sender.SentOfKind(events.KindUpdated) {
		if _, dup := updates[m.RefID]; dup {
			t.Errorf("%s told twice", m.RefID)
		}
		updates[m.RefID] = m
	}
	if len(updates) != 2 {
		t.Fatalf("update emails to %d registrants, want 2", len(updates))
	}
	method, update := calendarOf(t, updates[seat.ID])
	if method != "REQUEST" || prop(update, ical.ComponentPropertyUniqueId) != prop(invitation, ical.ComponentPropertyUniqueId) {
		t.Errorf("update .ics: METHOD %s UID %s, want REQUEST with the invitation's UID", method, prop(update, ical.ComponentPropertyUniqueId))
	}
	if got := prop(update, ical.ComponentPropertySequence); got != fmt.Sprint(seq) || got <= firstSeq {
		t.Errorf("update SEQUENCE %s (invitation %s), want %d", got, firstSeq, seq)
	}
	if got, err := update.GetStartAt(); err != nil || !got.Equal(start) {
		t.Errorf("update DTSTART %v %v, want %v", got, err, start)
	}
	if !strings.Contains(prop(update, ical.ComponentPropertyLocation), "Rabat") || !strings.Contains(updates[seat.ID].Text, "Maison des associations") {
		t.Errorf("the update does not carry the new place:\n%s", updates[seat.ID].Text)
	}
	if w := updates[waiting.ID]; len(w.Attachments) != 0 || !strings.Contains(w.Text, "لائحة الانتظار") {
		t.Errorf("the waitlisted person's update: %d attachments, text:\n%s", len(w.Attachments), w.Text)
	}
	icstest.Valid(t, map[string][]byte{"update": updates[seat.ID].Attachments[0].Data})

	// Running the job again tells nobody twice.
	if err := e.jobs.Start(ctx, wantJob); err != nil {
		t.Fatal(err)
	}
	if n := len(e.sender.SentOfKind(events.KindUpdated)); n != 2 {
		t.Errorf("update emails after a second run = %d, want still 2", n)
	}

	// The seat holder leaves; the waitlisted person is promoted with the
	// current details, and a later move reaches them as a seat holder.
	if _, err := e.svc.Withdraw(ctx, seat.ID, e.tokenOf(t, seat.ID)); err != nil {
		t.Fatal(err)
	}
	promoted := e.sender.SentOfKind(events.KindPromoted)
	if len(promoted) != 1 || promoted[0].RefID != waiting.ID {
		t.Fatalf("promotions = %+v", promoted)
	}
	if _, p := calendarOf(t, promoted[0]); prop(p, ical.ComponentPropertySequence) != fmt.Sprint(seq) {
		t.Errorf("promotion SEQUENCE %s, want %d", prop(p, ical.ComponentPropertySequence), seq)
	}
	in.Venue.Address = "Salle 2, Maison des associations"
	if _, err := e.svc.Update(ctx, "atelier-deplace", in); err != nil {
		t.Fatal(err)
	}
	var second []outbox.Message
	for _, m := range e.sender.SentOfKind(events.KindUpdated) {
		if m.RefID == waiting.ID {
			second = append(second, m)
		}
	}
	if len(second) != 2 || len(second[1].Attachments) != 1 {
		t.Fatalf("the promoted person's updates = %d (last with %d attachments), want a second one with the .ics", len(second), len(second[len(second)-1].Attachments))
	}
	if _, u := calendarOf(t, second[1]); prop(u, ical.ComponentPropertySequence) != fmt.Sprint(seq+1) {
		t.Errorf("second update SEQUENCE %s, want %d", prop(u, ical.ComponentPropertySequence), seq+1)
	}
}

// TestEveryCalendarMeetsITIP: every kind of .ics the emails carry —
// invitation, promotion, reminder, update, the event's cancellation and a
// registrant's — passes libical's iTIP restriction check, with the
// organizer and the registrant named.
func TestEveryCalendarMeetsITIP(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, now)
	in := eventInput("atelier-itip", 1, 5, now)
	in.Online, in.OnlineURL = true, "https://visio.example.org/atelier"
	e.published(t, in)
	var ids []string
	for i := range 3 {
		p := person(i)
		if i == 1 {
			p.Lang, p.FullName = "ar", "أمينة، \"العلوي\"; الرباط"
		}
		r, err := e.svc.Register(ctx, "atelier-itip", p, "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	if _, err := e.svc.Withdraw(ctx, ids[0], e.tokenOf(t, ids[0])); err != nil { // registrant's CANCEL, promotion
		t.Fatal(err)
	}
	in.ID, in.StartsAt = "", now.Add(73*time.Hour).Format(time.RFC3339) // update
	if _, err := e.svc.Update(ctx, "atelier-itip", in); err != nil {
		t.Fatal(err)
	}
	e.now = now.Add(26 * time.Hour) // reminder
	if _, err := e.svc.SendReminders(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Cancel(ctx, "atelier-itip"); err != nil { // the event's CANCEL
		t.Fatal(err)
	}
	files := map[string][]byte{}
	kinds := map[string]bool{}
	for i, m := range e.sender.Sent() {
		for _, a := range m.Attachments {
			name := fmt.Sprintf("%02d %s to %s", i, m.Kind, m.RefID)
			files[name] = a.Data
			kinds[m.Kind] = true
			cal := strings.ReplaceAll(string(a.Data), "\r\n ", "")
			if !strings.Contains(cal, "ORGANIZER;CN=") || !strings.Contains(cal, ":mailto:no-reply@portal.test") {
				t.Errorf("%s: no ORGANIZER:\n%s", name, cal)
			}
			if !strings.Contains(cal, "ATTENDEE;") || !strings.Contains(cal, ":mailto:"+m.To) {
				t.Errorf("%s: no ATTENDEE for %s:\n%s", name, m.To, cal)
			}
		}
	}
	for _, k := range []string{events.KindConfirmed, events.KindPromoted, events.KindWithdrawn, events.KindUpdated, events.KindReminder, events.KindEventCancelled} {
		if !kinds[k] {
			t.Errorf("no .ics from a %s email", k)
		}
	}
	icstest.Valid(t, files)
}
