package handler

import (
	"context"
	"encoding/json"
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
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/i18n"

	"github.com/aws/aws-lambda-go/events"
)

// env is the function wired as main.go wires it, on minidyn.
type env struct {
	store  callsdb.Store
	db     *callstest.Counting
	router *httpapi.Router
	logs   *callstest.Logs
}

var now = time.Date(2024, 8, 20, 10, 0, 0, 0, time.UTC)

func newEnv(t *testing.T) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	e := &env{db: callstest.Count(db), logs: &callstest.Logs{}}
	log := httpapi.NewLogger(e.logs)
	e.store = callsdb.New(ddbstore.New(e.db, table))
	svc := calls.NewService(calls.Config{Store: e.store, Log: log, Now: func() time.Time { return now }})
	e.router = New(svc, log)
	return e
}

// call is a call of the tests: a Copil call open from 14 Aug to 5 Sep 2024.
func call(id string, status calls.Status) calls.Call {
	opens := time.Date(2024, 8, 14, 8, 0, 0, 0, time.UTC)
	return calls.Call{
		ID: id, Kind: calls.KindCopil, Status: status, Seats: 9,
		Title:       i18n.Text{FR: "Candidature au comité de pilotage 2024-2027", AR: "الترشح للجنة القيادة 2024-2027"},
		Description: i18n.Text{FR: "Neuf sièges.", AR: "تسعة مقاعد."},
		Eligibility: i18n.Text{FR: "Associations déclarées depuis deux ans."},
		OpensAt:     opens, ClosesAt: time.Date(2024, 9, 5, 22, 59, 0, 0, time.UTC),
		Documents: []calls.DocumentSpec{{Type: "statuts", Label: i18n.Text{FR: "Statuts", AR: "النظام الأساسي"}, Required: true, MaxBytes: calls.DefaultDocumentBytes}},
		Criteria:  []calls.Criterion{{ID: "experience", Label: i18n.Text{FR: "Expérience", AR: "الخبرة"}, Weight: 1, MaxScore: 20}},
		CreatedAt: opens.Add(-time.Hour), UpdatedAt: opens.Add(-time.Hour), Version: 1,
	}
}

func (e *env) put(t *testing.T, cs ...calls.Call) {
	t.Helper()
	for _, c := range cs {
		if err := e.store.CreateCall(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
}

func (e *env) serve(t *testing.T, req events.APIGatewayV2HTTPRequest) (int, map[string]any, events.APIGatewayV2HTTPResponse) {
	t.Helper()
	resp, err := e.router.Serve(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
		t.Fatalf("body %s: %v", resp.Body, err)
	}
	return resp.StatusCode, body, resp
}

func TestRoutesMatchTemplate(t *testing.T) {
	template.CheckRoutes(t, "", "CallsFunction", newEnv(t).router.Routes())
}

func TestPublicCalls(t *testing.T) {
	e := newEnv(t)
	open2 := call("gt-2024", calls.StatusOpen)
	open2.OpensAt = open2.OpensAt.Add(-24 * time.Hour)
	e.put(t, call("copil-2024", calls.StatusOpen), open2, call("gt-brouillon", calls.StatusDraft))

	// The open calls in Arabic, one page at a time: one query each, the
	// last page without a cursor.
	req := httpapitest.Load(t, "list.json")
	req.QueryStringParameters["limit"] = "1"
	e.db.Reset()
	status, body, resp := e.serve(t, req)
	items, _ := body["items"].([]any)
	next, _ := body["nextCursor"].(string)
	if status != 200 || len(items) != 1 || next == "" || resp.Headers["Cache-Control"] != "public, max-age=60" {
		t.Fatalf("open calls in Arabic, first page: %d %v %v", status, body, resp.Headers)
	}
	if n := e.db.Calls(); n != 1 {
		t.Errorf("a page of calls made %d DynamoDB calls, want 1", n)
	}
	c := items[0].(map[string]any)
	if c["id"] != "copil-2024" || c["title"] != "الترشح للجنة القيادة 2024-2027" || c["accepting"] != true || c["opensAt"] != "2024-08-14T08:00:00Z" || c["timeZone"] != "Africa/Casablanca" {
		t.Errorf("call = %v", c)
	}
	if _, ok := c["eligibility"]; ok {
		t.Errorf("the Arabic view shows the French eligibility: %v", c)
	}
	if _, admin := c["createdAt"]; admin {
		t.Errorf("public view carries admin fields: %v", c)
	}
	req.QueryStringParameters["cursor"] = next
	status, body, resp = e.serve(t, req)
	if items, _ := body["items"].([]any); status != 200 || len(items) != 1 || items[0].(map[string]any)["id"] != "gt-2024" || strings.Contains(resp.Body, "nextCursor") {
		t.Fatalf("second page: %d %s, want gt-2024 and no nextCursor", status, resp.Body)
	}

	cases := []struct {
		name   string
		change func(*events.APIGatewayV2HTTPRequest)
		status int
	}{
		{"one call", func(*events.APIGatewayV2HTTPRequest) {}, 200},
		{"a draft is not public", func(r *events.APIGatewayV2HTTPRequest) { r.PathParameters["id"] = "gt-brouillon" }, 404},
		{"unknown", func(r *events.APIGatewayV2HTTPRequest) { r.PathParameters["id"] = "nope" }, 404},
		{"malformed id", func(r *events.APIGatewayV2HTTPRequest) { r.PathParameters["id"] = "../x" }, 404},
		{"bad lang", func(r *events.APIGatewayV2HTTPRequest) { r.QueryStringParameters = map[string]string{"lang": "en"} }, 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httpapitest.Load(t, "get.json")
			c.change(&req)
			e.db.Reset()
			status, body, resp := e.serve(t, req)
			if status != c.status {
				t.Errorf("got %d %v, want %d", status, body, c.status)
			}
			if status == 200 && (body["eligibility"] != "Associations déclarées depuis deux ans." || resp.Headers["Cache-Control"] != "public, max-age=60" || e.db.Calls() != 1) {
				t.Errorf("one call: %v %v, %d DynamoDB calls", body, resp.Headers, e.db.Calls())
			}
		})
	}
	for _, q := range []map[string]string{{"status": "draft"}, {"status": "x"}, {"limit": "0"}, {"cursor": "garbage"}} {
		req := httpapitest.Load(t, "list.json")
		req.QueryStringParameters = q
		if status, body, _ := e.serve(t, req); status != 400 || body["type"] != httpapi.ProblemTypeBase+"invalid" {
			t.Errorf("list %v: %d %v, want 400", q, status, body)
		}
	}
}

func TestPublicResults(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.put(t, call("copil-2024", calls.StatusResultsPublished), call("gt-2024", calls.StatusEvaluating))
	sel := &calls.Selected{CallID: "copil-2024", CandidacyID: "cand0000000000000000000001", Sequence: 1, Name: "جمعية النخيل", Acronym: "JN", City: "Agadir", Region: "souss-massa"}
	email := ddbtest.Email("out1", now)
	email.To = "contact@tafra.example.ma"
	if err := e.store.RecordResult(ctx, calls.Result{CallID: "copil-2024", CandidacyID: sel.CandidacyID, Outcome: calls.OutcomeSelected, At: now}, email, sel, nil); err != nil {
		t.Fatal(err)
	}
	req := func(id, lang string) events.APIGatewayV2HTTPRequest {
		r := httpapitest.Load(t, "results.json")
		r.PathParameters = map[string]string{"id": id}
		r.QueryStringParameters = map[string]string{"lang": lang}
		return r
	}
	cases := []struct {
		name       string
		req        events.APIGatewayV2HTTPRequest
		status     int
		has, hasnt string
	}{
		{"published, in Arabic", req("copil-2024", "ar"), 200, `"name":"جمعية النخيل","acronym":"JN","city":"Agadir","region":"souss-massa"`, "contact@"},
		{"not published yet", req("gt-2024", "fr"), 404, "pas encore publiés", "JN"},
		{"unknown call", req("nope-nope", "fr"), 404, "problem", ""},
		{"bad id", req("../x", "fr"), 404, "problem", ""},
		{"bad lang", req("copil-2024", "en"), 400, "lang", "JN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.db.Reset()
			_, _, resp := e.serve(t, c.req)
			if resp.StatusCode != c.status || !strings.Contains(resp.Body, c.has) || (c.hasnt != "" && strings.Contains(resp.Body, c.hasnt)) {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, c.status, resp.Body)
			}
			if c.status == 200 && (resp.Headers["Cache-Control"] != "public, max-age=300" || e.db.Calls() != 2) {
				t.Errorf("results: %v, %d DynamoDB calls, want cached and 2 calls", resp.Headers, e.db.Calls())
			}
		})
	}
	// Logs carry route keys and statuses, never what the answers held.
	for _, personal := range []string{"contact@", "النخيل", "Agadir"} {
		if strings.Contains(e.logs.String(), personal) {
			t.Errorf("logs contain %q:\n%s", personal, e.logs.String())
		}
	}
}
