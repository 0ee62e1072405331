package handler

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"espaceosc/shared/cocreation"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/cocreationdb"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	minidyn "github.com/truora/minidyn/aws-v2/client"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is the function wired as main.go wires it, on minidyn and a recording
// sender, its clock in the proposals phase of pan-2026-2028 (created from
// testdata/create-plan.json with that ID and these dates).
type env struct {
	db     *minidyn.Client
	table  string
	sender *outboxtest.Sender
	svc    *cocreation.Service
	router *httpapi.Router
	logs   *syncBuffer
}

var now = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func newEnv(t *testing.T) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	e := &env{db: db, table: table, sender: &outboxtest.Sender{}, logs: &syncBuffer{}}
	log := httpapi.NewLogger(e.logs)
	clock := func() time.Time { return now }
	store := ddbstore.New(db, table).WithClock(clock)
	e.svc = cocreation.NewService(cocreation.Config{
		Store: cocreationdb.New(store), Mailer: outbox.New(store.Outbox(), e.sender, cocreation.Emails, log), Log: log,
		PortalOrigin: "http://portal.test", NoticeVersion: "2026-11-01", Now: clock,
	})
	e.router = New(e.svc, log)
	var plan map[string]any
	if err := json.Unmarshal([]byte(httpapitest.Load(t, "create-plan.json").Body), &plan); err != nil {
		t.Fatal(err)
	}
	plan["id"] = "pan-2026-2028"
	plan["phases"] = []map[string]string{
		{"kind": "preparation", "startsOn": "2026-02-01", "endsOn": "2026-02-28"},
		{"kind": "proposals", "startsOn": "2026-03-01", "endsOn": "2026-03-31"},
		{"kind": "analysis", "startsOn": "2026-04-01", "endsOn": "2026-04-30"},
	}
	if status, body := e.serve(t, withBody(t, httpapitest.Load(t, "create-plan.json"), plan)); status != 201 {
		t.Fatalf("create the plan: %d %v", status, body)
	}
	return e
}

// load is testdata/name with its ID placeholder replaced by id.
func load(t *testing.T, name, id string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	req := httpapitest.Load(t, name)
	if id != "" && strings.Contains(req.RawPath, "/ID") {
		req.RawPath = strings.Replace(req.RawPath, "ID", id, 1)
		req.RequestContext.HTTP.Path = req.RawPath
		req.PathParameters["id"] = id
	}
	return req
}

func withBody(t *testing.T, req events.APIGatewayV2HTTPRequest, body any) events.APIGatewayV2HTTPRequest {
	t.Helper()
	if s, ok := body.(string); ok {
		req.Body = s
		return req
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req.Body = string(b)
	return req
}

func (e *env) serve(t *testing.T, req events.APIGatewayV2HTTPRequest) (int, map[string]any) {
	t.Helper()
	resp, err := e.router.Serve(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if resp.Body != "" {
		if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
			t.Fatalf("body %s: %v", resp.Body, err)
		}
	}
	if resp.StatusCode >= 400 && !strings.HasPrefix(resp.Headers["Content-Type"], "application/problem+json") {
		t.Errorf("%d without problem+json: %v", resp.StatusCode, resp.Headers)
	}
	return resp.StatusCode, body
}

func (e *env) items(t *testing.T) int {
	t.Helper()
	out, err := e.db.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String(e.table)})
	if err != nil {
		t.Fatal(err)
	}
	return len(out.Items)
}

// submit records a proposal as the public function would and returns its ID.
func (e *env) submit(t *testing.T, lang, email string) string {
	t.Helper()
	yes := true
	r, err := e.svc.Submit(context.Background(), "pan-2026-2028", cocreation.Submission{
		Theme: "transparence", Title: "Budget communal ouvert", Problem: "Les budgets des communes ne sont pas publiés.",
		Solution: "Publier chaque budget en données ouvertes.", Impact: "Un contrôle citoyen des dépenses.",
		Region: "oriental", Lang: lang, Consent: &yes,
		Proposer: cocreation.ProposerInput{Name: "Karima Idrissi", Email: email},
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	return r.ID
}
