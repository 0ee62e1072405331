package handler

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"espaceosc/infra/template"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/observationsdb"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/observations"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	minidyn "github.com/truora/minidyn/aws-v2/client"
)

type env struct {
	db     *minidyn.Client
	table  string
	sender *outboxtest.Sender
	svc    *observations.Service
	router *httpapi.Router
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	log := httpapi.NewLogger(&strings.Builder{})
	store := ddbstore.New(db, table)
	sender := &outboxtest.Sender{}
	svc := observations.NewService(observations.Config{
		Store: observationsdb.New(store), Mailer: outbox.New(store.Outbox(), sender, observations.Emails, log), Log: log,
		PortalOrigin: "http://portal.test", NoticeVersion: "2026-11-01",
	})
	return &env{db: db, table: table, sender: sender, svc: svc, router: New(svc, log)}
}

func withID(req events.APIGatewayV2HTTPRequest, id string) events.APIGatewayV2HTTPRequest {
	req.PathParameters = map[string]string{"id": id}
	req.RawPath = strings.Replace(req.RawPath, "ID", id, 1)
	req.RequestContext.HTTP.Path = req.RawPath
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

var tokenRE = regexp.MustCompile(`\?token=([A-Za-z0-9_-]{43})`)

// submit records an observation as the public function would; it returns it and its token.
func (e *env) submit(t *testing.T, i int, lang string) (observations.Receipt, string) {
	t.Helper()
	yes := true
	before := len(e.sender.Sent())
	r, err := e.svc.Submit(context.Background(), observations.Submission{
		Topic: "transparency", Subject: fmt.Sprintf("Sujet %d", i), Message: "Un message assez long pour passer.",
		Name: "Youssef", Email: fmt.Sprintf("youssef%d@example.org", i), Lang: lang, Consent: &yes,
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	sent := e.sender.Sent()
	if len(sent) != before+1 {
		t.Fatalf("no ack for %d", i)
	}
	m := tokenRE.FindStringSubmatch(sent[len(sent)-1].Text)
	if m == nil {
		t.Fatalf("no token in the ack")
	}
	return r, m[1]
}

func TestRoutesMatchTemplate(t *testing.T) {
	template.CheckRoutes(t, "", "AdminObservationsFunction", newEnv(t).router.Routes())
}

func TestEvaluatorsAreForbidden(t *testing.T) {
	e := newEnv(t)
	r, _ := e.submit(t, 1, "fr")
	cases := []events.APIGatewayV2HTTPRequest{httpapitest.Load(t, "list-evaluator.json")}
	get := withID(httpapitest.Load(t, "get.json"), r.ID)
	get.RequestContext.Authorizer.JWT.Claims["cognito:groups"] = "[evaluators]"
	patch := withID(httpapitest.Load(t, "patch.json"), r.ID)
	patch.RequestContext.Authorizer.JWT.Claims["cognito:groups"] = "[evaluators]"
	cases = append(cases, get, patch)
	for _, req := range cases {
		status, body := e.serve(t, req)
		if status != 403 || body["type"] != httpapi.ProblemTypeBase+"forbidden" {
			t.Errorf("%s as evaluator: %d %v, want 403 forbidden", req.RouteKey, status, body)
		}
	}
	if n := len(e.sender.SentOfKind(observations.KindAnswer)); n != 0 {
		t.Errorf("an evaluator's PATCH sent %d answers", n)
	}
}

func TestListNewestFirstWithStatusFilterAndPages(t *testing.T) {
	e := newEnv(t)
	var ids []string
	for i := range 3 {
		r, _ := e.submit(t, i, "fr")
		ids = append(ids, r.ID)
	}
	// Submitted within the same second: order by createdAt then id is stable but
	// not by submission, so compare as a set and check the page mechanics.
	req := httpapitest.Load(t, "list.json")
	req.QueryStringParameters["limit"] = "2"
	status, body := e.serve(t, req)
	if status != 200 {
		t.Fatalf("list: %d %v", status, body)
	}
	items := body["items"].([]any)
	next, _ := body["nextCursor"].(string)
	if len(items) != 2 || next == "" {
		t.Fatalf("first page: %d items, cursor %q", len(items), next)
	}
	first := items[0].(map[string]any)
	for _, k := range []string{"message", "name", "email", "lang", "consent", "reference", "createdAt"} {
		if _, ok := first[k]; !ok {
			t.Errorf("admin view lacks %q: %v", k, first)
		}
	}
	if c := first["consent"].(map[string]any); c["given"] != true || c["noticeVersion"] != "2026-11-01" || c["at"] == "" {
		t.Errorf("consent = %v", c)
	}
	req.QueryStringParameters["cursor"] = next
	_, body = e.serve(t, req)
	rest := body["items"].([]any)
	if len(rest) != 1 || body["nextCursor"] != nil {
		t.Fatalf("second page = %v", body)
	}
	seen := map[string]bool{}
	for _, it := range append(items, rest...) {
		seen[it.(map[string]any)["id"].(string)] = true
	}
	for _, id := range ids {
		if !seen[id] {
			t.Errorf("listing lacks %s", id)
		}
	}

	bad := httpapitest.Load(t, "list.json")
	bad.QueryStringParameters["status"] = "pending"
	if status, body := e.serve(t, bad); status != 400 || !strings.Contains(fmt.Sprint(body["errors"]), "status") {
		t.Errorf("bad status filter: %d %v", status, body)
	}
	bad = httpapitest.Load(t, "list.json")
	bad.QueryStringParameters["cursor"] = "nope"
	if status, _ := e.serve(t, bad); status != 400 {
		t.Errorf("bad cursor: %d", status)
	}
	answered := httpapitest.Load(t, "list.json")
	answered.QueryStringParameters["status"] = "answered"
	if _, body := e.serve(t, answered); len(body["items"].([]any)) != 0 {
		t.Errorf("answered listing = %v, want empty", body)
	}
}

func TestAnswerEmailsTheAuthor(t *testing.T) {
	for _, lang := range []string{"fr", "ar"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t)
			r, token := e.submit(t, 1, lang)

			// answered without a response: refused, nothing changes.
			noResponse := withID(httpapitest.Load(t, "patch.json"), r.ID)
			noResponse.Body = `{"status":"answered"}`
			status, body := e.serve(t, noResponse)
			if status != 400 || !strings.Contains(fmt.Sprint(body["errors"]), "response") {
				t.Fatalf("answered without response: %d %v", status, body)
			}

			status, body = e.serve(t, withID(httpapitest.Load(t, "patch.json"), r.ID))
			if status != 200 || body["status"] != "answered" {
				t.Fatalf("PATCH: %d %v", status, body)
			}
			resp := body["response"].(map[string]any)
			if !strings.HasPrefix(resp["text"].(string), "Merci pour votre proposition") || resp["answeredAt"] == "" {
				t.Errorf("response = %v", resp)
			}
			answers := e.sender.SentOfKind(observations.KindAnswer)
			if len(answers) != 1 {
				t.Fatalf("answer emails = %d, want 1", len(answers))
			}
			a := answers[0]
			if a.To != "youssef1@example.org" || string(a.Lang) != lang || a.RefID != r.ID || !strings.Contains(a.Subject, r.Reference) {
				t.Errorf("answer email: to %q lang %q ref %q subject %q", a.To, a.Lang, a.RefID, a.Subject)
			}
			if !strings.Contains(a.Text, "Les budgets communaux 2027 seront publiés") || !strings.Contains(a.HTML, "Les budgets communaux 2027 seront publiés") {
				t.Errorf("answer email lacks the response:\n%s", a.Text)
			}
			if strings.Contains(a.Text, token) || strings.Contains(a.Text, "?token=") {
				t.Errorf("answer email carries a token")
			}
			wantDir := map[string]string{"fr": `dir="ltr"`, "ar": `dir="rtl"`}[lang]
			if !strings.Contains(a.HTML, `lang="`+lang+`" `+wantDir) {
				t.Errorf("answer HTML is not %s %s", lang, wantDir)
			}

			// The author's link now shows the response.
			v, err := e.svc.FollowUp(context.Background(), r.ID, token)
			if err != nil {
				t.Fatal(err)
			}
			if v.Response == nil || !strings.HasPrefix(v.Response.Text, "Merci") {
				t.Errorf("author view = %+v", v)
			}

			// Same patch again: no second email; closing sends none either.
			e.serve(t, withID(httpapitest.Load(t, "patch.json"), r.ID))
			closeReq := withID(httpapitest.Load(t, "patch.json"), r.ID)
			closeReq.Body = `{"status":"closed"}`
			if status, body := e.serve(t, closeReq); status != 200 || body["status"] != "closed" {
				t.Errorf("close: %d %v", status, body)
			}
			if n := len(e.sender.SentOfKind(observations.KindAnswer)); n != 1 {
				t.Errorf("answer emails after repeat and close = %d, want 1", n)
			}
			status, body = e.serve(t, withID(httpapitest.Load(t, "get.json"), r.ID))
			if status != 200 || body["status"] != "closed" || body["response"] == nil {
				t.Errorf("GET after close: %d %v", status, body)
			}
		})
	}
}

func TestPatchBadInputAndMissing(t *testing.T) {
	e := newEnv(t)
	r, _ := e.submit(t, 1, "fr")
	before := e.items(t)
	cases := []struct {
		name, id, body string
		status         int
	}{
		{"unknown status", r.ID, `{"status":"done"}`, 400},
		{"empty response", r.ID, `{"response":"  "}`, 400},
		{"response too long", r.ID, `{"response":"` + strings.Repeat("r", 5001) + `"}`, 400},
		{"empty patch", r.ID, `{}`, 400},
		{"unknown field", r.ID, `{"status":"closed","email":"x@example.org"}`, 400},
		{"wrong type", r.ID, `{"status":3}`, 400},
		{"missing observation", strings.Repeat("a", 26), `{"status":"closed"}`, 404},
		{"malformed id", "../x", `{"status":"closed"}`, 404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := withID(httpapitest.Load(t, "patch.json"), c.id)
			req.Body = c.body
			if status, body := e.serve(t, req); status != c.status {
				t.Errorf("status = %d, want %d (%v)", status, c.status, body)
			}
		})
	}
	if after := e.items(t); after != before {
		t.Errorf("refused patches changed the item count: %d -> %d", before, after)
	}
	status, body := e.serve(t, withID(httpapitest.Load(t, "get.json"), r.ID))
	if status != 200 || body["status"] != "received" {
		t.Errorf("observation after refused patches: %d %v", status, body)
	}
	if status, _ := e.serve(t, withID(httpapitest.Load(t, "get.json"), strings.Repeat("b", 26))); status != 404 {
		t.Errorf("GET missing: %d, want 404", status)
	}
}
