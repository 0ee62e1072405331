package handler

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"espaceosc/infra/template"
	"espaceosc/shared/bulk"
	"espaceosc/shared/bulk/bulktest"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/eventsdb"
	"espaceosc/shared/events"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/i18n"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	lambdaevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// The reminders are scheduled, not routed: the template gives them no route.
func TestHasNoRoutes(t *testing.T) {
	template.CheckRoutes(t, "", "EventRemindersFunction", nil)
}

func scheduledEvent(t *testing.T) lambdaevents.EventBridgeEvent {
	t.Helper()
	b, err := os.ReadFile("testdata/schedule.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev lambdaevents.EventBridgeEvent
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

// counting counts the DynamoDB transactions and the other calls.
type counting struct {
	ddbstore.Client
	txs, others atomic.Int64
}

func (c *counting) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.others.Add(1)
	return c.Client.GetItem(ctx, in, o...)
}
func (c *counting) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.others.Add(1)
	return c.Client.Query(ctx, in, o...)
}
func (c *counting) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.txs.Add(1)
	return c.Client.TransactWriteItems(ctx, in, o...)
}

type syncBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuilder) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuilder) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRemindersOnceEvenWhenRunTwice: two runs (and two concurrent runs)
// email each confirmed registrant one reminder with the .ics and the online
// link, nobody on the waitlist, and log counts only.
func TestRemindersOnceEvenWhenRunTwice(t *testing.T) {
	db, table := ddbtest.Minidyn(t)
	calls := &counting{Client: db}
	logs := &syncBuilder{}
	log := httpapi.NewLogger(logs)
	st := ddbstore.New(calls, table)
	sender := &outboxtest.Sender{}
	mailer := outbox.New(st.Outbox(), sender, events.Emails, log)
	notifier := &bulktest.Inline{} // runs each started job here, as the notifier would
	svc := events.NewService(events.Config{
		Store: eventsdb.New(st), Mailer: mailer, Log: log,
		PortalOrigin: "http://portal.test", NoticeVersion: "2026-11-01",
		Jobs: st.Jobs(), Starter: notifier,
	})
	notifier.Runner = &bulk.Runner{Store: st.Jobs(), Sources: svc.Sources(), Mailer: mailer, Pace: bulktest.Pace(1000), Starter: notifier, Log: log}
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	yes := true
	in := events.Input{
		ID: "atelier-rappel", Kind: "workshop", Title: i18n.Text{FR: "Atelier", AR: "ورشة"},
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
	// Not due yet: starts in 4 days, reminded 48 h before.
	later := in
	later.ID = "atelier-plus-tard"
	later.StartsAt, later.EndsAt = now.Add(96*time.Hour).Format(time.RFC3339), now.Add(98*time.Hour).Format(time.RFC3339)
	if _, err := svc.Create(ctx, later); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Publish(ctx, later.ID); err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		for _, id := range []string{in.ID, later.ID} {
			if _, err := svc.Register(ctx, id, events.RegistrationInput{FullName: "Personne Nom", Email: fmt.Sprintf("p%d@example.org", i), Lang: "ar", Consent: &yes}, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	h := New(svc, log)
	ev := scheduledEvent(t)
	calls.txs.Store(0)
	results := make(chan events.ReminderResult, 2)
	for range 2 {
		go func() {
			res, err := h(ctx, ev)
			if err != nil {
				t.Error(err)
			}
			results <- res
		}()
	}
	started := (<-results).Started + (<-results).Started
	res, err := h(ctx, ev)
	if err != nil {
		t.Fatal(err)
	}
	if got := started + res.Started; got != 1 {
		t.Errorf("reminder jobs recorded in three runs = %d, want 1", got)
	}
	if res.Events != 1 {
		t.Errorf("events due in the third run = %d, want 1 (the later one is not due)", res.Events)
	}
	if n := calls.txs.Load(); n < 1 || n > 6 {
		t.Errorf("%d transactions for 3 reminders in three runs, want 1 to 6 (one batch; a concurrent run's batch may lose and retry one by one)", n)
	}
	sent := sender.SentOfKind(events.KindReminder)
	if len(sent) != 3 {
		t.Fatalf("reminder emails = %d, want 3", len(sent))
	}
	for _, m := range sent {
		if len(m.Attachments) != 1 || m.Lang != "ar" || !strings.Contains(m.Text, "https://visio.example.org/atelier") || !strings.Contains(m.Subject, "تذكير") {
			t.Errorf("reminder to %s: %d attachments, lang %s:\n%s", m.RefID, len(m.Attachments), m.Lang, m.Text)
		}
	}
	if l := logs.String(); strings.Contains(l, "example.org") || strings.Contains(l, "Personne") || !strings.Contains(l, `"sent":`) {
		t.Errorf("logs:\n%s", l)
	}
}
