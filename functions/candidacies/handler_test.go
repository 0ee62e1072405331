package main

import (
	"context"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"espaceosc/infra/template"
	"espaceosc/shared/calls"
	"espaceosc/shared/calls/callstest"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	"github.com/aws/aws-lambda-go/events"
)

type env struct {
	store  *ddbstore.Calls
	bucket *callstest.Bucket
	sender *outboxtest.Sender
	svc    *calls.Service
	router *httpapi.Router
	now    time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	log := httpapi.NewLogger(io.Discard)
	e := &env{bucket: callstest.NewBucket(), sender: &outboxtest.Sender{}, now: time.Date(2024, 8, 20, 10, 0, 0, 0, time.UTC)}
	store := ddbstore.New(db, table).WithClock(func() time.Time { return e.now }) // idempotency records expire on this clock
	e.store = store.Calls()
	e.svc = calls.NewService(store.Calls(), e.bucket, outbox.New(store.Outbox(), e.sender, nil, log),
		calls.Config{PortalOrigin: "https://portal.test", NoticeVersion: "2026-11-01"}, log).WithClock(func() time.Time { return e.now })
	e.router = newRouter(e.svc, log)
	var in calls.CallInput
	req := httpapitest.Load(t, "../../admincalls/handler/testdata/create.json")
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
	if h, ok := req.Headers["authorization"]; ok {
		req.Headers["authorization"] = strings.Replace(h, "TOKEN", token, 1)
	}
	if _, ok := req.QueryStringParameters["token"]; ok {
		req.QueryStringParameters["token"] = token
	}
	return req
}

func (e *env) serve(t *testing.T, req events.APIGatewayV2HTTPRequest) (int, map[string]any, events.APIGatewayV2HTTPResponse) {
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

func (e *env) apply(t *testing.T) (string, string) {
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

func TestRoutesMatchTemplate(t *testing.T) {
	template.CheckRoutes(t, "", "CandidaciesFunction", newEnv(t).router.Routes())
}

func TestApplyReadUploadSubmit(t *testing.T) {
	e := newEnv(t)
	id, token := e.apply(t)

	status, body, resp := e.serve(t, with(httpapitest.Load(t, "get.json"), id, token))
	if status != 200 || body["status"] != "draft" || resp.Headers["Cache-Control"] != "no-store" || resp.Headers["Referrer-Policy"] != "no-referrer" {
		t.Fatalf("get: %d %s %v", status, resp.Body, resp.Headers)
	}
	if docs := body["documents"].([]any); len(docs) != 2 || docs[0].(map[string]any)["label"] != "النظام الأساسي" {
		t.Errorf("documents in Arabic (Accept-Language): %v", docs)
	}

	status, body, resp = e.serve(t, with(httpapitest.Load(t, "documents.json"), id, token))
	fields, _ := body["fields"].(map[string]any)
	if status != 200 || fields == nil || !strings.HasPrefix(fields["key"].(string), "candidacies/"+id+"/statuts/") || body["maxBytes"] != float64(calls.DefaultDocumentBytes) {
		t.Fatalf("documents: %d %s", status, resp.Body)
	}

	status, body, _ = e.serve(t, with(httpapitest.Load(t, "submit.json"), id, token))
	errs, _ := body["errors"].([]any)
	if status != 409 || len(errs) != 2 {
		t.Fatalf("submit without documents: %d %v", status, body)
	}
	if got := errs[0].(map[string]any); got["field"] != "documents.statuts" || got["message"] != "Document en cours de vérification ; réessayez dans un instant." {
		t.Errorf("first missing document: %v", got)
	}

	for _, typ := range []string{"statuts", "recepisse"} {
		u, err := e.svc.RequestUpload(context.Background(), id, token, calls.DocumentRequest{Type: typ})
		if err != nil {
			t.Fatal(err)
		}
		e.bucket.Put(u.Fields["key"], []byte("%PDF-1.4\n"+typ))
		if res, err := e.svc.CheckUpload(context.Background(), u.Fields["key"]); err != nil || res != calls.CheckVerified {
			t.Fatalf("check %s: %s %v", typ, res, err)
		}
	}
	status, body, _ = e.serve(t, with(httpapitest.Load(t, "submit.json"), id, token))
	if status != 200 || body["reference"] != "COPIL-2024-0001" || body["status"] != "submitted" {
		t.Fatalf("submit: %d %v", status, body)
	}
	if n := len(e.sender.SentOfKind(calls.KindReceiptEmail)); n != 1 {
		t.Errorf("receipts = %d", n)
	}
}

func TestTokenOpensOnlyItsCandidacy(t *testing.T) {
	e := newEnv(t)
	a, tokA := e.apply(t)
	b, _ := e.apply(t)
	for _, name := range []string{"get.json", "patch.json", "documents.json", "submit.json"} {
		for _, c := range []struct{ id, token string }{{b, tokA}, {a, ""}, {a, tokA[:20]}, {"../../x", tokA}} {
			req := with(httpapitest.Load(t, name), c.id, c.token)
			status, body, _ := e.serve(t, req)
			if status != 404 || body["type"] != httpapi.ProblemTypeBase+"not_found" {
				t.Errorf("%s on %s with another token: %d %v", name, c.id, status, body)
			}
		}
	}
	// The candidacy behind the wrong tokens did not change.
	c, err := e.store.GetCandidacy(context.Background(), b)
	if err != nil || c.Version != 1 {
		t.Errorf("candidacy b changed: v%d %v", c.Version, err)
	}
}

func TestBadInputIsRefusedAndStoresNothing(t *testing.T) {
	e := newEnv(t)
	id, token := e.apply(t)
	before := len(e.sender.Sent())
	cases := []struct {
		name   string
		req    events.APIGatewayV2HTTPRequest
		status int
		field  string
	}{
		{"apply: not JSON", func() events.APIGatewayV2HTTPRequest { r := httpapitest.Load(t, "apply.json"); r.Body = "{"; return r }(), 400, ""},
		{"apply: unknown field (a CIN)", func() events.APIGatewayV2HTTPRequest {
			r := httpapitest.Load(t, "apply.json")
			r.Body = strings.Replace(r.Body, `"lang":"fr"`, `"lang":"fr","cin":"AB123456"`, 1)
			return r
		}(), 400, "cin"},
		{"apply: wrong type", func() events.APIGatewayV2HTTPRequest {
			r := httpapitest.Load(t, "apply.json")
			r.Body = strings.Replace(r.Body, `"yearFounded":2011`, `"yearFounded":"2011"`, 1)
			return r
		}(), 400, "association.yearFounded"},
		{"apply: no consent, in Arabic", func() events.APIGatewayV2HTTPRequest {
			r := httpapitest.Load(t, "apply.json")
			r.Body = strings.Replace(r.Body, `"consent":true`, `"consent":false`, 1)
			r.Headers["accept-language"] = "ar"
			return r
		}(), 400, "consent"},
		{"apply: text/plain", func() events.APIGatewayV2HTTPRequest {
			r := httpapitest.Load(t, "apply.json")
			r.Headers["content-type"] = "text/plain"
			return r
		}(), 415, ""},
		{"apply: too large", func() events.APIGatewayV2HTTPRequest {
			r := httpapitest.Load(t, "apply.json")
			r.Body = strings.Replace(r.Body, `"motivation":"`, `"motivation":"`+strings.Repeat("a", 70000), 1)
			return r
		}(), 413, ""},
		{"apply: unknown call", func() events.APIGatewayV2HTTPRequest {
			r := httpapitest.Load(t, "apply.json")
			r.PathParameters["id"] = "nope"
			return r
		}(), 404, ""},
		{"patch: bad email", func() events.APIGatewayV2HTTPRequest {
			r := with(httpapitest.Load(t, "patch.json"), id, token)
			r.Body = `{"representative":{"name":"Salma","email":"salma@"}}`
			return r
		}(), 400, "representative.email"},
		{"patch: empty", func() events.APIGatewayV2HTTPRequest {
			r := with(httpapitest.Load(t, "patch.json"), id, token)
			r.Body = ""
			return r
		}(), 400, ""},
		{"documents: unknown type", func() events.APIGatewayV2HTTPRequest {
			r := with(httpapitest.Load(t, "documents.json"), id, token)
			r.Body = `{"type":"../../etc/passwd"}`
			return r
		}(), 400, "type"},
		{"documents: no type", func() events.APIGatewayV2HTTPRequest {
			r := with(httpapitest.Load(t, "documents.json"), id, token)
			r.Body = `{}`
			return r
		}(), 400, "type"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body, resp := e.serve(t, c.req)
			if status != c.status || !strings.HasPrefix(resp.Headers["Content-Type"], "application/problem+json") {
				t.Fatalf("got %d %s, want %d problem+json", status, resp.Body, c.status)
			}
			if c.field != "" {
				errs, _ := body["errors"].([]any)
				if len(errs) == 0 || errs[0].(map[string]any)["field"] != c.field {
					t.Errorf("errors = %v, want field %s", errs, c.field)
				}
			}
			if c.req.Headers["accept-language"] == "ar" && resp.Headers["Content-Language"] != "ar" {
				t.Errorf("problem not in Arabic: %s", resp.Body)
			}
		})
	}
	list, _, err := e.store.ListCandidacies(context.Background(), "copil-2024", "", 10, "")
	if err != nil || len(list) != 1 || list[0].Version != 1 || len(e.sender.Sent()) != before || e.bucket.Len() != 0 {
		t.Errorf("bad input stored something: %d candidacies (v%d), %d emails, %d objects", len(list), list[0].Version, len(e.sender.Sent())-before, e.bucket.Len())
	}
}

func TestAfterClosing(t *testing.T) {
	e := newEnv(t)
	id, token := e.apply(t)
	e.now = time.Date(2024, 9, 6, 9, 0, 0, 0, time.UTC)
	for _, req := range []events.APIGatewayV2HTTPRequest{httpapitest.Load(t, "apply.json"), with(httpapitest.Load(t, "patch.json"), id, token),
		with(httpapitest.Load(t, "documents.json"), id, token), with(httpapitest.Load(t, "submit.json"), id, token)} {
		status, body, _ := e.serve(t, req)
		if status != 409 || !strings.Contains(body["detail"].(string), "05/09/2024 23:59") {
			t.Errorf("%s after closing: %d %v", req.RouteKey, status, body)
		}
	}
	if c, _ := e.store.GetCandidacy(context.Background(), id); c.Version != 1 {
		t.Errorf("candidacy changed after closing: v%d", c.Version)
	}
}
