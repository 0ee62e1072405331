package main

import (
	"context"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"testing"
	"time"

	"espaceosc/shared/calls"
	"espaceosc/shared/calls/callstest"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/httpapi"

	"github.com/aws/aws-lambda-go/events"
)

const bucketName = "espace-osc-dossiers-prod-123456789012"

func event(t testing.TB, key string) events.S3Event {
	t.Helper()
	b, err := os.ReadFile("testdata/s3-event.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev events.S3Event
	if err := json.Unmarshal(b, &ev); err != nil {
		t.Fatal(err)
	}
	ev.Records[0].S3.Object.Key = url.QueryEscape(key)
	return ev
}

func TestHandleChecksEachRecord(t *testing.T) {
	db, table := ddbtest.Minidyn(t)
	log := httpapi.NewLogger(io.Discard)
	st := ddbstore.New(db, table).Calls()
	bucket := callstest.NewBucket()
	svc := calls.NewService(st, bucket, nil, calls.Config{}, log).WithClock(func() time.Time { return time.Date(2024, 8, 20, 10, 0, 0, 0, time.UTC) })
	ctx := context.Background()
	opens, closes := "2024-08-14T09:00", "2024-09-05T23:59"
	in := calls.CallInput{ID: "copil-2024", Kind: "copil", Title: calls.TextInput{FR: "Copil 2024", AR: "لجنة القيادة 2024"},
		Description: calls.TextInput{FR: "Sièges.", AR: "مقاعد."}, OpensAt: opens, ClosesAt: closes, Seats: 9,
		Documents: []calls.DocumentSpecInput{{Type: "statuts", Label: calls.TextInput{FR: "Statuts", AR: "النظام الأساسي"}, Required: true}},
		Criteria:  []calls.CriterionInput{{ID: "experience", Label: calls.TextInput{FR: "Expérience", AR: "الخبرة"}, Weight: 1, MaxScore: 20}}}
	if _, err := svc.CreateCall(ctx, in); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetCallStatus(ctx, "copil-2024", calls.StatusInput{Status: "open"}); err != nil {
		t.Fatal(err)
	}
	yes := true
	created, err := svc.Apply(ctx, "copil-2024", calls.Application{
		Association:    calls.AssociationInput{Name: "Association Tafra", Email: "contact@tafra.example.ma"},
		Representative: calls.RepresentativeInput{Name: "Salma Idrissi", Email: "salma@example.org"}, Lang: "fr", Consent: &yes,
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	// The test reads the pending key back from the store (no email sender here).
	if _, _, err := svc.Open(ctx, created.ID, "x"); err == nil {
		t.Fatal("a wrong token opened the candidacy")
	}
	c, _ := st.GetCandidacy(ctx, created.ID)
	key := "candidacies/" + c.ID + "/statuts/0123456789abcdef.pdf"
	c.Documents = []calls.Document{{Type: "statuts", Status: calls.DocumentMissing, PendingKey: key}}
	c.Version++
	if err := st.UpdateCandidacy(ctx, c, c.Version-1, nil); err != nil {
		t.Fatal(err)
	}
	bucket.Put(key, []byte("%PDF-1.7\n"))
	h := newHandler(svc, bucketName, log)

	if err := h.Handle(ctx, event(t, key)); err != nil {
		t.Fatal(err)
	}
	got, _ := st.GetCandidacy(ctx, c.ID)
	if d, _, _ := got.Document("statuts"); d.Status != calls.DocumentVerified || d.Size != 9 || len(d.SHA256) != 64 {
		t.Errorf("document = %+v", d)
	}
	// The same event again, another bucket's event and a key with a space: no change, no error.
	other := event(t, key)
	other.Records[0].S3.Bucket.Name = "someone-else"
	for _, ev := range []events.S3Event{event(t, key), other, event(t, "candidacies/a b.pdf")} {
		if err := h.Handle(ctx, ev); err != nil {
			t.Errorf("Handle: %v", err)
		}
	}
	if again, _ := st.GetCandidacy(ctx, c.ID); again.Version != got.Version {
		t.Errorf("a repeated event changed the candidacy: v%d → v%d", got.Version, again.Version)
	}
}
