package main

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/events"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	lambdaevents "github.com/aws/aws-lambda-go/events"
)

// TestRemindersOnceEvenWhenRunTwice: two runs (and two concurrent runs)
// email each confirmed registrant one reminder, and nobody on the waitlist.
func TestRemindersOnceEvenWhenRunTwice(t *testing.T) {
	db, table := ddbtest.Minidyn(t)
	log := httpapi.NewLogger(io.Discard)
	store := ddbstore.New(db, table)
	sender := &outboxtest.Sender{}
	svc := events.NewService(store.Events(), outbox.New(store.Outbox(), sender, nil, log), nil, "http://portal.test", "2026-11-01", log)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	yes := true
	in := events.Input{
		ID: "atelier-rappel", Kind: "workshop", Title: events.Localized{FR: "Atelier", AR: "ورشة"},
		StartsAt: now.Add(24 * time.Hour).Format(time.RFC3339), EndsAt: now.Add(26 * time.Hour).Format(time.RFC3339),
		Online: true, OnlineURL: "https://visio.example.org/atelier", Capacity: 3, WaitlistSize: 2,
		RegistrationOpensAt: now.Add(-time.Hour).Format(time.RFC3339), RegistrationClosesAt: now.Add(20 * time.Hour).Format(time.RFC3339),
	}
	if _, err := svc.Create(ctx, in); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Publish(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		if _, err := svc.Register(ctx, in.ID, events.RegistrationInput{FullName: "Personne", Email: fmt.Sprintf("p%d@example.org", i), Lang: "ar", Consent: &yes}, ""); err != nil {
			t.Fatal(err)
		}
	}
	h := newHandler(svc, log)
	results := make(chan events.ReminderResult, 3)
	for range 2 {
		go func() {
			res, err := h(ctx, lambdaevents.EventBridgeEvent{})
			if err != nil {
				t.Error(err)
			}
			results <- res
		}()
	}
	total := (<-results).Sent + (<-results).Sent
	res, err := h(ctx, lambdaevents.EventBridgeEvent{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := total+res.Sent, 3; got != want {
		t.Errorf("reminders sent = %d, want %d", got, want)
	}
	sent := sender.SentOfKind(events.KindReminder)
	if len(sent) != 3 {
		t.Fatalf("reminder emails = %d, want 3", len(sent))
	}
	for _, m := range sent {
		if len(m.Attachments) != 1 || m.Lang != "ar" {
			t.Errorf("reminder to %s: %d attachments, lang %s", m.To, len(m.Attachments), m.Lang)
		}
	}
}
