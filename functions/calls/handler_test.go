package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
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

func newRouterWithCalls(t *testing.T) *httpapi.Router {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	log := httpapi.NewLogger(io.Discard)
	svc := calls.NewService(ddbstore.New(db, table).Calls(), nil, nil, calls.Config{}, log).
		WithClock(func() time.Time { return time.Date(2024, 8, 20, 10, 0, 0, 0, time.UTC) })
	ctx := context.Background()
	for _, id := range []string{"copil-2024", "gt-brouillon"} {
		b, err := os.ReadFile("../admincalls/handler/testdata/create.json")
		if err != nil {
			t.Fatal(err)
		}
		var req events.APIGatewayV2HTTPRequest
		_ = json.Unmarshal(b, &req)
		var in calls.CallInput
		if err := json.Unmarshal([]byte(req.Body), &in); err != nil {
			t.Fatal(err)
		}
		in.ID = id
		if _, err := svc.CreateCall(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.SetCallStatus(ctx, "copil-2024", calls.StatusInput{Status: "open"}); err != nil {
		t.Fatal(err)
	}
	st := ddbstore.New(db, table)
	return addResults(newRouter(svc, log), calls.NewEvaluations(st.Calls(), st.Evaluations(), nil, nil, log))
}

func serve(t *testing.T, rt *httpapi.Router, req events.APIGatewayV2HTTPRequest) (int, map[string]any) {
	t.Helper()
	resp, err := rt.Serve(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
		t.Fatalf("body %s: %v", resp.Body, err)
	}
	return resp.StatusCode, body
}

func TestRoutesMatchTemplate(t *testing.T) {
	template.CheckRoutes(t, "", "CallsFunction", newRouterWithCalls(t).Routes())
}

func TestPublicCalls(t *testing.T) {
	rt := newRouterWithCalls(t)
	status, body := serve(t, rt, httpapitest.Load(t, "list.json"))
	items, _ := body["items"].([]any)
	if status != 200 || len(items) != 1 {
		t.Fatalf("open calls in Arabic: %d %v", status, body)
	}
	c := items[0].(map[string]any)
	if c["id"] != "copil-2024" || c["title"] != "الترشح للجنة القيادة 2024-2027" || c["accepting"] != true || c["opensAt"] != "2024-08-14T08:00:00Z" || c["timeZone"] != "Africa/Casablanca" {
		t.Errorf("call = %v", c)
	}
	if _, personal := c["createdAt"]; personal {
		t.Errorf("public view carries admin fields: %v", c)
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
			if status, body := serve(t, rt, req); status != c.status {
				t.Errorf("got %d %v, want %d", status, body, c.status)
			}
		})
	}
	for _, q := range []map[string]string{{"status": "draft"}, {"status": "x"}, {"limit": "0"}, {"cursor": "garbage"}} {
		req := httpapitest.Load(t, "list.json")
		req.QueryStringParameters = q
		if status, body := serve(t, rt, req); status != 400 || body["type"] != httpapi.ProblemTypeBase+"invalid" {
			t.Errorf("list %v: %d %v, want 400", q, status, body)
		}
	}
}
