package handler

import (
	"context"
	"strings"
	"testing"
	"time"

	"espaceosc/infra/template"
	"espaceosc/shared/calls"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"

	"github.com/aws/aws-lambda-go/events"
)

func TestRoutesMatchTemplate(t *testing.T) {
	template.CheckRoutes(t, "", "CandidaciesFunction", newEnv(t).router.Routes())
}

// calls runs req and checks how many DynamoDB calls it made.
func (e *env) calls(t *testing.T, req events.APIGatewayV2HTTPRequest, want int64) (int, map[string]any, events.APIGatewayV2HTTPResponse) {
	t.Helper()
	e.db.Reset()
	status, body, resp := e.serve(t, req)
	if got := e.db.Calls(); got != want {
		t.Errorf("%s made %d DynamoDB calls, want %d", req.RouteKey, got, want)
	}
	return status, body, resp
}

func TestApplyReadUploadSubmit(t *testing.T) {
	e := newEnv(t)
	// Apply: the call, one transaction (candidacy, contact, email), the email marked sent.
	e.db.Reset()
	id, token := e.apply(t)
	if got := e.db.Calls(); got != 3 {
		t.Errorf("apply made %d DynamoDB calls, want 3", got)
	}
	link := e.sender.SentOfKind(calls.KindLinkEmail)
	if len(link) != 1 || link[0].To != "contact@tafra.example.ma" || !strings.Contains(link[0].Text, "Salma Idrissi") ||
		!strings.Contains(link[0].Text, "05/09/2024 à 23:59") || !strings.Contains(link[0].Text, "https://portal.test/fr/candidatures/"+id+"?token=") {
		t.Errorf("private link email: %+v", link)
	}

	status, body, resp := e.calls(t, with(httpapitest.Load(t, "get.json"), id, token), 2)
	if status != 200 || body["status"] != "draft" || resp.Headers["Cache-Control"] != "no-store" || resp.Headers["Referrer-Policy"] != "no-referrer" {
		t.Fatalf("get: %d %s %v", status, resp.Body, resp.Headers)
	}
	if docs := body["documents"].([]any); len(docs) != 2 || docs[0].(map[string]any)["label"] != "النظام الأساسي" {
		t.Errorf("documents in Arabic (Accept-Language): %v", docs)
	}

	// The token checked, then the candidacy and its call read again and the pending upload recorded.
	status, body, resp = e.calls(t, with(httpapitest.Load(t, "documents.json"), id, token), 4)
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

	patched := with(httpapitest.Load(t, "patch.json"), id, token)
	if status, body, resp := e.calls(t, patched, 4); status != 200 || !strings.HasPrefix(body["motivation"].(string), "Nous animons depuis 2018") {
		t.Fatalf("patch: %d %s", status, resp.Body)
	}
	for _, typ := range []string{"statuts", "recepisse"} {
		u, err := e.svc.RequestUpload(context.Background(), id, token, calls.DocumentRequest{Type: typ})
		if err != nil {
			t.Fatal(err)
		}
		e.bucket.Upload(u.Fields["key"], []byte("%PDF-1.4\n"+typ))
		if res, err := e.svc.CheckUpload(context.Background(), u.Fields["key"]); err != nil || res != calls.CheckVerified {
			t.Fatalf("check %s: %s %v", typ, res, err)
		}
	}
	// Submit: the candidacy and its call, the counter read and leased, one
	// transaction (candidacy, contact, counter, receipt), the receipt marked sent.
	status, body, _ = e.calls(t, with(httpapitest.Load(t, "submit.json"), id, token), 6)
	if status != 200 || body["reference"] != "COPIL-2024-0001" || body["status"] != "submitted" {
		t.Fatalf("submit: %d %v", status, body)
	}
	receipts := e.sender.SentOfKind(calls.KindReceiptEmail)
	if len(receipts) != 1 || !strings.Contains(receipts[0].Subject, "COPIL-2024-0001") || !strings.Contains(receipts[0].Text, "SHA-256 : ") {
		t.Errorf("receipts = %+v", receipts)
	}
	status, body, _ = e.calls(t, with(httpapitest.Load(t, "withdraw.json"), id, token), 4)
	if status != 200 || body["status"] != "withdrawn" || body["reference"] != "COPIL-2024-0001" {
		t.Fatalf("withdraw: %d %v", status, body)
	}
	if n := len(e.sender.SentOfKind(calls.KindWithdrawEmail)); n != 1 {
		t.Errorf("withdrawal emails = %d", n)
	}

	// Logs carry IDs, never names, addresses, phone numbers or the token.
	logs := e.logs.String()
	for _, personal := range []string{"Salma", "salma", "contact@", "Tafra", "+212", token} {
		if strings.Contains(logs, personal) {
			t.Errorf("logs contain %q:\n%s", personal, logs)
		}
	}
	if !strings.Contains(logs, id) {
		t.Errorf("logs do not name the candidacy %s", id)
	}
}

func TestTokenOpensOnlyItsCandidacy(t *testing.T) {
	e := newEnv(t)
	a, tokA := e.apply(t)
	b, _ := e.apply(t)
	for _, name := range []string{"get.json", "patch.json", "documents.json", "submit.json", "withdraw.json"} {
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
	e.setClock(time.Date(2024, 9, 6, 9, 0, 0, 0, time.UTC))
	for _, req := range []events.APIGatewayV2HTTPRequest{httpapitest.Load(t, "apply.json"), with(httpapitest.Load(t, "patch.json"), id, token),
		with(httpapitest.Load(t, "documents.json"), id, token), with(httpapitest.Load(t, "submit.json"), id, token),
		with(httpapitest.Load(t, "withdraw.json"), id, token)} {
		status, body, _ := e.serve(t, req)
		if status != 409 || !strings.Contains(body["detail"].(string), "05/09/2024 23:59") {
			t.Errorf("%s after closing: %d %v", req.RouteKey, status, body)
		}
	}
	if c, _ := e.store.GetCandidacy(context.Background(), id); c.Version != 1 {
		t.Errorf("candidacy changed after closing: v%d", c.Version)
	}
}
