package handler

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"espaceosc/infra/template"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"

	"github.com/aws/aws-lambda-go/events"
)

type env struct {
	store  *ddbstore.Calls
	router *httpapi.Router
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	log := httpapi.NewLogger(io.Discard)
	st := ddbstore.New(db, table).Calls()
	svc := calls.NewService(st, nil, nil, calls.Config{}, log).WithClock(func() time.Time { return time.Date(2024, 8, 1, 10, 0, 0, 0, time.UTC) })
	return &env{store: st, router: New(svc, log)}
}

func (e *env) serve(t *testing.T, req events.APIGatewayV2HTTPRequest) (int, map[string]any) {
	t.Helper()
	resp, err := e.router.Serve(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
		t.Fatalf("body %s: %v", resp.Body, err)
	}
	return resp.StatusCode, body
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
	status, body := e.serve(t, httpapitest.Load(t, "create.json"))
	if status != 201 || body["status"] != "draft" || body["opensAt"] != "2024-08-14T08:00:00Z" {
		t.Fatalf("create: %d %v", status, body)
	}
	docs := body["documents"].([]any)
	if docs[0].(map[string]any)["maxBytes"] != float64(10<<20) || docs[1].(map[string]any)["maxBytes"] != float64(5<<20) {
		t.Errorf("document sizes: %v", docs)
	}
	if status, _ := e.serve(t, httpapitest.Load(t, "create.json")); status != 409 {
		t.Errorf("same id again: %d, want 409", status)
	}
	if status, body := e.serve(t, httpapitest.Load(t, "status.json")); status != 200 || body["status"] != "open" || body["accepting"] != false {
		t.Errorf("open before its opening time: %d %v, want open and not yet accepting", status, body)
	}
	status, body = e.serve(t, httpapitest.Load(t, "list.json"))
	if items := body["items"].([]any); status != 200 || len(items) != 1 {
		t.Errorf("list open: %d %v", status, body)
	}
	put := httpapitest.Load(t, "create.json")
	put.RouteKey, put.RequestContext.HTTP.Method = "PUT /api/admin/calls/{id}", "PUT"
	put.PathParameters = map[string]string{"id": "copil-2024"}
	put.Body = strings.Replace(strings.Replace(put.Body, `"id":"copil-2024",`, "", 1), `"seats":9`, `"seats":11`, 1)
	if status, body := e.serve(t, put); status != 200 || body["seats"] != float64(11) || body["version"] != float64(3) {
		t.Errorf("edit an open call: %d %v", status, body)
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
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := e.serve(t, c.req)
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
