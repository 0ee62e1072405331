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

	"github.com/aws/aws-lambda-go/events"
)

// env is the function wired as main.go wires it, on minidyn.
type env struct {
	store  callsdb.Store
	db     *callstest.Counting
	router *httpapi.Router
	logs   *callstest.Logs
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	e := &env{db: callstest.Count(db), logs: &callstest.Logs{}}
	log := httpapi.NewLogger(e.logs)
	e.store = callsdb.New(ddbstore.New(e.db, table))
	svc := calls.NewService(calls.Config{Store: e.store, Log: log, Now: func() time.Time { return time.Date(2024, 8, 1, 10, 0, 0, 0, time.UTC) }})
	e.router = New(svc, log)
	return e
}

// serve runs req and checks how many DynamoDB calls it made (-1: any).
func (e *env) serve(t *testing.T, req events.APIGatewayV2HTTPRequest, calls int64) (int, map[string]any, events.APIGatewayV2HTTPResponse) {
	t.Helper()
	e.db.Reset()
	resp, err := e.router.Serve(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.db.Calls(); calls >= 0 && got != calls {
		t.Errorf("%s made %d DynamoDB calls, want %d", req.RouteKey, got, calls)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
		t.Fatalf("body %s: %v", resp.Body, err)
	}
	return resp.StatusCode, body, resp
}

func (e *env) count(t *testing.T) int {
	t.Helper()
	list, _, err := e.store.ListCalls(context.Background(), "", 100, "")
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func TestRoutesMatchTemplate(t *testing.T) {
	template.CheckRoutes(t, "", "AdminCallsFunction", newEnv(t).router.Routes())
}

func TestCreateOpenListEdit(t *testing.T) {
	e := newEnv(t)
	status, body, resp := e.serve(t, httpapitest.Load(t, "create.json"), 1)
	if status != 201 || body["status"] != "draft" || body["opensAt"] != "2024-08-14T08:00:00Z" || resp.Headers["Location"] != "/api/admin/calls/copil-2024" {
		t.Fatalf("create: %d %v %v", status, body, resp.Headers)
	}
	docs := body["documents"].([]any)
	if docs[0].(map[string]any)["maxBytes"] != float64(10<<20) || docs[1].(map[string]any)["maxBytes"] != float64(5<<20) {
		t.Errorf("document sizes: %v", docs)
	}
	if title := body["title"].(map[string]any); title["fr"] == "" || title["ar"] == "" {
		t.Errorf("title in both languages: %v", title)
	}
	if status, _, _ := e.serve(t, httpapitest.Load(t, "create.json"), 1); status != 409 {
		t.Errorf("same id again: %d, want 409", status)
	}
	if status, body, _ := e.serve(t, httpapitest.Load(t, "status.json"), 2); status != 200 || body["status"] != "open" || body["accepting"] != false {
		t.Errorf("open before its opening time: %d %v, want open and not yet accepting", status, body)
	}
	if status, body, _ := e.serve(t, httpapitest.Load(t, "status.json"), 1); status != 200 || body["version"] != float64(2) {
		t.Errorf("open again: %d %v, want nothing written", status, body)
	}
	status, body, resp = e.serve(t, httpapitest.Load(t, "list.json"), 1)
	if items := body["items"].([]any); status != 200 || len(items) != 1 || strings.Contains(resp.Body, "nextCursor") {
		t.Errorf("list open: %d %s", status, resp.Body)
	}
	if status, body, _ := e.serve(t, httpapitest.Load(t, "get.json"), 1); status != 200 || body["id"] != "copil-2024" || body["version"] != float64(2) {
		t.Errorf("get: %d %v", status, body)
	}
	if status, body, _ := e.serve(t, httpapitest.Load(t, "update.json"), 2); status != 200 || body["seats"] != float64(11) || body["version"] != float64(3) {
		t.Errorf("edit an open call: %d %v", status, body)
	}
	if strings.Contains(e.logs.String(), "Bearer") || !strings.Contains(e.logs.String(), "copil-2024") {
		t.Errorf("logs:\n%s", e.logs.String())
	}
}

func TestListPages(t *testing.T) {
	e := newEnv(t)
	for _, id := range []string{"copil-2024", "copil-2025", "copil-2026"} {
		req := httpapitest.Load(t, "create.json")
		req.Body = strings.Replace(req.Body, `"id":"copil-2024"`, `"id":"`+id+`"`, 1)
		if status, body, _ := e.serve(t, req, 1); status != 201 {
			t.Fatalf("create %s: %d %v", id, status, body)
		}
	}
	req := httpapitest.Load(t, "list.json")
	req.QueryStringParameters = map[string]string{"limit": "2"}
	var ids []string
	for page := 0; ; page++ {
		status, body, resp := e.serve(t, req, 1)
		if status != 200 {
			t.Fatalf("page %d: %d %s", page, status, resp.Body)
		}
		for _, it := range body["items"].([]any) {
			ids = append(ids, it.(map[string]any)["id"].(string))
		}
		next, ok := body["nextCursor"].(string)
		if !ok {
			break
		}
		if next == "" || page > 2 {
			t.Fatalf("page %d: cursor %q", page, next)
		}
		req.QueryStringParameters["cursor"] = next
	}
	if len(ids) != 3 {
		t.Errorf("listed %v, want the 3 calls", ids)
	}
}

func TestAccessAndBadInput(t *testing.T) {
	e := newEnv(t)
	evaluator := httpapitest.Load(t, "create.json")
	evaluator.RequestContext.Authorizer.JWT.Claims["cognito:groups"] = "[evaluators]"
	anonymous := httpapitest.Load(t, "list.json")
	anonymous.RequestContext.Authorizer = nil
	cases := []struct {
		name   string
		req    events.APIGatewayV2HTTPRequest
		status int
		field  string
	}{
		{"evaluator", evaluator, 403, ""},
		{"no identity", anonymous, 401, ""},
		{"everything wrong", func() events.APIGatewayV2HTTPRequest {
			r := httpapitest.Load(t, "create.json")
			r.Body = `{"kind":"x","title":{"fr":"","ar":""},"opensAt":"x","closesAt":"y","seats":0,"documents":[],"criteria":[]}`
			return r
		}(), 400, "kind"},
		{"unknown field", func() events.APIGatewayV2HTTPRequest {
			r := httpapitest.Load(t, "create.json")
			r.Body = strings.Replace(r.Body, `"seats":9`, `"seats":9,"status":"open"`, 1)
			return r
		}(), 400, "status"},
		{"bad status", func() events.APIGatewayV2HTTPRequest {
			r := httpapitest.Load(t, "status.json")
			r.Body = `{"status":"results_published"}`
			return r
		}(), 400, "status"},
		{"status of a missing call", httpapitest.Load(t, "status.json"), 404, ""},
		{"get a missing call", httpapitest.Load(t, "get.json"), 404, ""},
		{"edit a missing call", httpapitest.Load(t, "update.json"), 404, ""},
		{"edit with another id", func() events.APIGatewayV2HTTPRequest {
			r := httpapitest.Load(t, "update.json")
			r.Body = strings.Replace(r.Body, `{"kind"`, `{"id":"other","kind"`, 1)
			return r
		}(), 400, "id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body, _ := e.serve(t, c.req, -1)
			if status != c.status {
				t.Fatalf("got %d %v, want %d", status, body, c.status)
			}
			if c.field != "" {
				errs, _ := body["errors"].([]any)
				if len(errs) == 0 || errs[0].(map[string]any)["field"] != c.field {
					t.Errorf("errors = %v, want %s first", errs, c.field)
				}
			}
		})
	}
	if n := e.count(t); n != 0 {
		t.Errorf("refused requests stored %d calls", n)
	}
}
