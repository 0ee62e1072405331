package handler

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"espaceosc/infra/template"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/i18n"
	"espaceosc/shared/observations"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	"github.com/aws/aws-lambda-go/events"
	minidyn "github.com/truora/minidyn/aws-v2/client"
)

// The sweeper is scheduled, not routed: the template gives it no route.
func TestHasNoRoutes(t *testing.T) {
	template.CheckRoutes(t, "", "OutboxSweeperFunction", nil)
}

func scheduledEvent(t *testing.T) events.EventBridgeEvent {
	t.Helper()
	b, err := os.ReadFile("testdata/schedule.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev events.EventBridgeEvent
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestSweepSendsPendingOnceAndLogsCountsOnly(t *testing.T) {
	db, table := ddbtest.Minidyn(t)
	store := ddbstore.New(db, table)
	sender := &outboxtest.Sender{}
	var logs strings.Builder
	log := httpapi.NewLogger(&logs)
	handler := New(outbox.New(store.Outbox(), sender, Templates, log), log)
	ctx := context.Background()

	old := time.Now().UTC().Add(-10 * time.Minute)
	ack := []byte(`{"lang":"fr","name":"Karim","subject":"Budgets","reference":"OBS-2026-7KQ4M9","link":"http://portal.test/fr/observations/x?token=y"}`)
	for _, id := range []string{"e1", "e2"} {
		err := store.Outbox().Put(ctx, outbox.Email{ID: id, To: "karim@example.org", Lang: i18n.FR, Kind: observations.KindAck, Data: ack, RefID: "o-" + id, CreatedAt: old})
		if err != nil {
			t.Fatal(err)
		}
	}
	fresh := outbox.Email{ID: "e3", To: "karim@example.org", Lang: i18n.FR, Kind: observations.KindAck, Data: ack, RefID: "o3", CreatedAt: time.Now().UTC()}
	if err := store.Outbox().Put(ctx, fresh); err != nil {
		t.Fatal(err)
	}

	res, err := handler(ctx, scheduledEvent(t))
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 3 || res.Pending != 3 {
		t.Errorf("first run = %+v, want 3 sent", res)
	}
	res, err = handler(ctx, scheduledEvent(t))
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 0 {
		t.Errorf("second run = %+v, want nothing sent", res)
	}
	if n := len(sender.Sent()); n != 3 {
		t.Errorf("sent %d emails, want 3", n)
	}
	for _, m := range sender.Sent() {
		if !strings.Contains(m.Subject, "OBS-2026-7KQ4M9") || !strings.Contains(m.Text, "Bonjour Karim") {
			t.Errorf("email %s not rendered from its data: %q %q", m.ID, m.Subject, m.Text)
		}
	}
	if !strings.Contains(logs.String(), `"sent":3`) {
		t.Errorf("logs lack the counts:\n%s", logs.String())
	}
	for _, personal := range []string{"karim", "Karim"} {
		if strings.Contains(logs.String(), personal) {
			t.Errorf("logs contain %q:\n%s", personal, logs.String())
		}
	}
}

func TestSweepFailsWhenTheTableIsDown(t *testing.T) {
	db, table := ddbtest.Minidyn(t)
	store := ddbstore.New(db, table)
	log := httpapi.NewLogger(&strings.Builder{})
	handler := New(outbox.New(store.Outbox(), &outboxtest.Sender{}, nil, log), log)
	minidyn.EmulateFailure(db, minidyn.FailureConditionInternalServerError)
	if _, err := handler(context.Background(), scheduledEvent(t)); err == nil {
		t.Error("sweep succeeded with DynamoDB down; want an error (the invocation is retried and alarmed)")
	}
}
