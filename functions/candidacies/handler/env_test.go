package handler

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"espaceosc/shared/calls"
	"espaceosc/shared/calls/callstest"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/callsdb"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	"github.com/aws/aws-lambda-go/events"
)

// env is the function wired as main.go wires it, on minidyn, an in-memory
// bucket and a recording sender, with the call of
// ../../admincalls/handler/testdata/create.json open.
type env struct {
	store  callsdb.Store
	db     *callstest.Counting
	bucket *callstest.Bucket
	sender *outboxtest.Sender
	svc    *calls.Service
	router *httpapi.Router
	logs   *callstest.Logs
	mu     sync.Mutex
	now    time.Time
}

func (e *env) clock() time.Time { e.mu.Lock(); defer e.mu.Unlock(); return e.now }

func (e *env) setClock(t time.Time) { e.mu.Lock(); defer e.mu.Unlock(); e.now = t }

func newEnv(t testing.TB) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	e := &env{db: callstest.Count(db), bucket: callstest.NewBucket(), sender: &outboxtest.Sender{}, logs: &callstest.Logs{},
		now: time.Date(2024, 8, 20, 10, 0, 0, 0, time.UTC)}
	log := httpapi.NewLogger(e.logs)
	st := ddbstore.New(e.db, table).WithClock(e.clock) // idempotency records expire on this clock
	e.store = callsdb.New(st)
	e.svc = calls.NewService(calls.Config{
		Store: e.store, Mailer: outbox.New(st.Outbox(), e.sender, calls.Emails, log), Uploads: e.bucket,
		PortalOrigin: "https://portal.test", NoticeVersion: "2026-11-01", Log: log, Now: e.clock,
	})
	e.router = New(e.svc, log)
	var in calls.CallInput
	req := httpapitest.Load(t, "../../../admincalls/handler/testdata/create.json")
	if err := json.Unmarshal([]byte(req.Body), &in); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := e.svc.CreateCall(ctx, in); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetCallStatus(ctx, in.ID, calls.StatusInput{Status: "open"}); err != nil {
		t.Fatal(err)
	}
	return e
}

// with fills a payload's ID and TOKEN placeholders.
func with(req events.APIGatewayV2HTTPRequest, id, token string) events.APIGatewayV2HTTPRequest {
	req.PathParameters = map[string]string{"id": id}
	req.RawPath = strings.Replace(req.RawPath, "ID", id, 1)
	req.RequestContext.HTTP.Path = req.RawPath
	if h, ok := req.Headers["authorization"]; ok {
		req.Headers["authorization"] = strings.Replace(h, "TOKEN", token, 1)
	}
	if _, ok := req.QueryStringParameters["token"]; ok {
		req.QueryStringParameters["token"] = token
		req.RawQueryString = "token=" + token
	}
	return req
}

func (e *env) serve(t testing.TB, req events.APIGatewayV2HTTPRequest) (int, map[string]any, events.APIGatewayV2HTTPResponse) {
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
	return resp.StatusCode, body, resp
}

var tokenRe = regexp.MustCompile(`/candidatures/([0-9a-z]{26})\?token=([A-Za-z0-9_-]+)`)

// apply applies with apply.json and returns the candidacy's id and token.
func (e *env) apply(t testing.TB) (string, string) {
	t.Helper()
	status, body, resp := e.serve(t, httpapitest.Load(t, "apply.json"))
	if status != 201 {
		t.Fatalf("apply: %d %s", status, resp.Body)
	}
	m := tokenRe.FindStringSubmatch(e.sender.Sent()[len(e.sender.Sent())-1].Text)
	if m == nil || m[1] != body["id"] {
		t.Fatalf("no private link for %v", body["id"])
	}
	return m[1], m[2]
}

func (e *env) candidacies(t testing.TB) int {
	t.Helper()
	list, _, err := e.store.ListCandidacies(context.Background(), "copil-2024", "", 100, "")
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}
