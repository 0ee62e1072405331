package handler

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"espaceosc/infra/template"
	"espaceosc/shared/calls"
	"espaceosc/shared/calls/callstest"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/callsdb"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/i18n"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

const bucketName = "espace-osc-dossiers-prod-123456789012"

// down makes every read of the table fail as a throttled DynamoDB does.
type down struct {
	ddbstore.Client
	on bool
}

func (d *down) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	if d.on {
		return nil, &types.ProvisionedThroughputExceededException{Message: new(string)}
	}
	return d.Client.GetItem(ctx, in, o...)
}

// env is the function wired as main.go wires it (the store and the bucket,
// no mailer), on minidyn and an in-memory bucket, with one draft candidacy
// of an open call.
type env struct {
	store   callsdb.Store
	db      *callstest.Counting
	down    *down
	bucket  *callstest.Bucket
	handler *Handler
	logs    *callstest.Logs
	cand    calls.Candidacy
}

var now = time.Date(2024, 8, 20, 10, 0, 0, 0, time.UTC)

func newEnv(t *testing.T) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	e := &env{down: &down{Client: db}, bucket: callstest.NewBucket(), logs: &callstest.Logs{}}
	e.db = callstest.Count(e.down)
	log := httpapi.NewLogger(e.logs)
	e.store = callsdb.New(ddbstore.New(e.db, table))
	svc := calls.NewService(calls.Config{Store: e.store, Uploads: e.bucket, Log: log, Now: func() time.Time { return now }})
	e.handler = New(svc, bucketName, log)

	ctx := context.Background()
	call := calls.Call{ID: "copil-2024", Kind: calls.KindCopil, Status: calls.StatusOpen, Seats: 9,
		Title: i18n.Text{FR: "Copil 2024", AR: "لجنة القيادة 2024"}, Description: i18n.Text{FR: "Sièges.", AR: "مقاعد."},
		OpensAt: now.Add(-6 * 24 * time.Hour), ClosesAt: now.Add(16 * 24 * time.Hour),
		Documents: []calls.DocumentSpec{{Type: "statuts", Label: i18n.Text{FR: "Statuts", AR: "النظام الأساسي"}, Required: true, MaxBytes: 1 << 10}},
		CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := e.store.CreateCall(ctx, call); err != nil {
		t.Fatal(err)
	}
	e.cand = calls.Candidacy{ID: "cand0000000000000000000001", CallID: call.ID, Status: calls.CandidacyDraft, Lang: i18n.FR,
		Association:    calls.Association{Name: "Association Tafra", Email: "contact@tafra.example.ma"},
		Representative: calls.Representative{Name: "Salma Idrissi", Email: "salma@example.org"},
		TokenHash:      "x", CreatedAt: now, UpdatedAt: now, ExpiresAt: call.ClosesAt.Add(calls.Retention), Version: 1}
	if err := e.store.CreateCandidacy(ctx, e.cand, ddbtest.Email("link", now), nil); err != nil {
		t.Fatal(err)
	}
	return e
}

// pending records key as the pending upload of the statuts, as a signed
// upload does, and stores data under it, as the browser does.
func (e *env) pending(t *testing.T, key string, data []byte) {
	t.Helper()
	ctx := context.Background()
	c, err := e.store.GetCandidacy(ctx, e.cand.ID)
	if err != nil {
		t.Fatal(err)
	}
	d, i, found := c.Document("statuts")
	d.Type, d.PendingKey = "statuts", key
	if d.Status == "" {
		d.Status = calls.DocumentMissing
	}
	if found {
		c.Documents[i] = d
	} else {
		c.Documents = append(c.Documents, d)
	}
	c.Version++
	if err := e.store.UpdateCandidacy(ctx, c, c.Version-1, nil); err != nil {
		t.Fatal(err)
	}
	e.bucket.Upload(key, data)
}

func (e *env) document(t *testing.T) (calls.Document, int) {
	t.Helper()
	c, err := e.store.GetCandidacy(context.Background(), e.cand.ID)
	if err != nil {
		t.Fatal(err)
	}
	d, _, _ := c.Document("statuts")
	return d, c.Version
}

// event is testdata/s3-event.json for key.
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

// The check is called by S3, not routed: the template gives it no route.
func TestHasNoRoutes(t *testing.T) {
	template.CheckRoutes(t, "", "DocumentCheckFunction", nil)
}

func TestHandleChecksEachRecord(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	key := "candidacies/" + e.cand.ID + "/statuts/0123456789abcdef.pdf"
	pdf := []byte("%PDF-1.7\n")
	e.pending(t, key, pdf)

	// The candidacy, its call, one transaction for the verdict.
	e.db.Reset()
	if err := e.handler.Handle(ctx, event(t, key)); err != nil {
		t.Fatal(err)
	}
	if n := e.db.Calls(); n != 3 {
		t.Errorf("a check made %d DynamoDB calls, want 3", n)
	}
	sum := sha256.Sum256(pdf)
	got, version := e.document(t)
	if got.Status != calls.DocumentVerified || got.Size != int64(len(pdf)) || got.SHA256 != hex.EncodeToString(sum[:]) || got.Key != key || got.PendingKey != "" {
		t.Errorf("document = %+v", got)
	}

	// The same event again, another bucket's event and a key with a space:
	// no change, no error.
	other := event(t, key)
	other.Records[0].S3.Bucket.Name = "someone-else"
	e.db.Reset()
	for _, ev := range []events.S3Event{event(t, key), other, event(t, "candidacies/a b.pdf")} {
		if err := e.handler.Handle(ctx, ev); err != nil {
			t.Errorf("Handle: %v", err)
		}
	}
	if n := e.db.Calls(); n != 1 {
		t.Errorf("ignored events made %d DynamoDB calls, want 1 (the repeated event reads the candidacy)", n)
	}
	if _, again := e.document(t); again != version {
		t.Errorf("a repeated event changed the candidacy: v%d → v%d", version, again)
	}

	// A PNG meant to replace the statuts: rejected and deleted; the verified
	// document stays.
	png := "candidacies/" + e.cand.ID + "/statuts/fedcba9876543210.pdf"
	e.pending(t, png, []byte("\x89PNG\r\n\x1a\n"))
	if err := e.handler.Handle(ctx, event(t, png)); err != nil {
		t.Fatal(err)
	}
	if d, _ := e.document(t); d.Status != calls.DocumentVerified || d.Key != key || d.Reason != calls.ReasonNotPDF || e.bucket.Has(png) || !e.bucket.Has(key) {
		t.Errorf("rejected replacement: %+v, png kept %v", d, e.bucket.Has(png))
	}

	// Logs carry IDs and results, never the association or its people.
	logs := e.logs.String()
	for _, personal := range []string{"Tafra", "Salma", "contact@", "salma@"} {
		if strings.Contains(logs, personal) {
			t.Errorf("logs contain %q:\n%s", personal, logs)
		}
	}
	if !strings.Contains(logs, e.cand.ID) || !strings.Contains(logs, `"result":"verified"`) {
		t.Errorf("logs do not name the candidacy and the result:\n%s", logs)
	}
}

// When the table fails, Handle fails, so that Lambda retries the event,
// which the check then handles as the first delivery.
func TestHandleFailsWhenTheTableDoes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	key := "candidacies/" + e.cand.ID + "/statuts/0123456789abcdef.pdf"
	e.pending(t, key, []byte("%PDF-1.7\n"))
	e.down.on = true
	if err := e.handler.Handle(ctx, event(t, key)); err == nil {
		t.Fatal("Handle succeeded while the table was down")
	}
	e.down.on = false
	if d, _ := e.document(t); d.Status == calls.DocumentVerified {
		t.Fatalf("checked while the table was down: %+v", d)
	}
	if err := e.handler.Handle(ctx, event(t, key)); err != nil {
		t.Fatal(err)
	}
	if d, _ := e.document(t); d.Status != calls.DocumentVerified {
		t.Errorf("the retried event left %+v", d)
	}
}
