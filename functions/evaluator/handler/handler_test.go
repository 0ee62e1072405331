package handler

import (
	"context"
	"encoding/json"
	"fmt"
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

// env is the function wired as main.go wires it, on minidyn and an
// in-memory bucket, with a call being evaluated and two candidacies, one
// assigned to eval-1, the other to eval-2.
type env struct {
	store  callsdb.Store
	db     *callstest.Counting
	bucket *callstest.Bucket
	router *httpapi.Router
	logs   *callstest.Logs
	call   calls.Call
	cand   [2]string // assigned to eval-1, assigned to eval-2
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	e := &env{db: callstest.Count(db), bucket: callstest.NewBucket(), logs: &callstest.Logs{}}
	log := httpapi.NewLogger(e.logs)
	e.store = callsdb.New(ddbstore.New(e.db, table))
	svc := calls.NewService(calls.Config{Store: e.store, Files: e.bucket, Log: log})
	e.router = New(svc, log)
	st := e.store
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	e.call = calls.Call{ID: "copil-2024", Kind: calls.KindCopil, Status: calls.StatusEvaluating, Seats: 9,
		Title:   i18n.Text{FR: "Comité de pilotage", AR: "لجنة القيادة"},
		OpensAt: now.Add(-40 * 24 * time.Hour), ClosesAt: now.Add(-10 * 24 * time.Hour),
		Documents: []calls.DocumentSpec{{Type: "statuts", Label: i18n.Text{FR: "Statuts", AR: "النظام الأساسي"}, Required: true, MaxBytes: calls.DefaultDocumentBytes}},
		Criteria: []calls.Criterion{
			{ID: "experience", Label: i18n.Text{FR: "Expérience", AR: "الخبرة"}, Weight: 40, MaxScore: 20},
			{ID: "plan", Label: i18n.Text{FR: "Plan d'action", AR: "خطة العمل"}, Weight: 60, MaxScore: 10},
		}, CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := st.CreateCall(ctx, e.call); err != nil {
		t.Fatal(err)
	}
	for i, sub := range []string{"eval-1", "eval-2"} {
		id := fmt.Sprintf("cand%022d", i+1)
		c := calls.Candidacy{ID: id, CallID: e.call.ID, Status: calls.CandidacySubmitted, Sequence: i + 1, Reference: calls.FormatReference(e.call, i+1),
			Lang: i18n.FR, Association: calls.Association{Name: "Association Tafra", Email: "contact@tafra.example.ma", Phone: "+212 600 00 00 00"},
			Representative: calls.Representative{Name: "Salma Idrissi", Email: "salma@example.org"},
			Documents:      []calls.Document{{Type: "statuts", Status: calls.DocumentVerified, Key: "candidacies/" + id + "/statuts/aaaaaaaaaaaaaaaa.pdf", Size: 10, SHA256: "ab"}},
			CreatedAt:      now, UpdatedAt: now, SubmittedAt: now, ExpiresAt: now.Add(calls.Retention), Version: 1, TokenHash: "x"}
		if err := st.CreateCandidacy(ctx, c, ddbtest.Email("m"+id, now), nil); err != nil {
			t.Fatal(err)
		}
		if err := st.CreateEvaluation(ctx, calls.Evaluation{CandidacyID: id, CallID: e.call.ID, Evaluator: sub, Reference: c.Reference,
			Association: "Association Tafra", Status: calls.EvaluationAssigned, AssignedAt: now, Version: 1}); err != nil {
			t.Fatal(err)
		}
		e.cand[i] = id
	}
	return e
}

func load(t *testing.T, name, id string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	req := httpapitest.Load(t, name)
	if req.PathParameters != nil {
		req.PathParameters["id"] = id
		req.RawPath = strings.Replace(req.RawPath, "ID", id, 1)
		req.RequestContext.HTTP.Path = req.RawPath
	}
	return req
}

func (e *env) serve(t *testing.T, req events.APIGatewayV2HTTPRequest) (int, string) {
	t.Helper()
	e.db.Reset()
	resp, err := e.router.Serve(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Body
}

func TestRoutesMatchTheTemplate(t *testing.T) {
	template.CheckRoutes(t, "", "EvaluatorFunction", newEnv(t).router.Routes())
}

func TestEvaluatorRoutes(t *testing.T) {
	e := newEnv(t)
	mine, other := e.cand[0], e.cand[1]
	as := func(req events.APIGatewayV2HTTPRequest, sub, groups string) events.APIGatewayV2HTTPRequest {
		if sub == "" {
			req.RequestContext.Authorizer = nil
			return req
		}
		req.RequestContext.Authorizer.JWT.Claims = map[string]string{"sub": sub, "cognito:groups": groups}
		return req
	}
	body := func(req events.APIGatewayV2HTTPRequest, b string) events.APIGatewayV2HTTPRequest {
		req.Body = b
		return req
	}
	cases := []struct {
		name   string
		req    events.APIGatewayV2HTTPRequest
		status int
		has    string // in the body
		calls  int64  // DynamoDB calls; -1: not counted
	}{
		{"no identity", as(load(t, "list.json", ""), "", ""), 401, "problem", 0},
		{"an administrator is not an evaluator", as(load(t, "list.json", ""), "admin-1", "[admins]"), 403, "comité de sélection", 0},
		{"my list", load(t, "list.json", ""), 200, mine, 1},
		{"bad limit", func() events.APIGatewayV2HTTPRequest {
			r := load(t, "list.json", "")
			r.QueryStringParameters = map[string]string{"limit": "0"}
			return r
		}(), 400, "limit", 0},
		{"assigned, in Arabic, with a 5-minute link", load(t, "get.json", mine), 200, "X-Amz-Expires=300", 3},
		{"not assigned", load(t, "get.json", other), 403, "غير مسند", 1},
		{"unknown id", load(t, "get.json", "nope"), 403, "problem", 0},
		{"someone else's score", load(t, "score.json", other), 403, "problem", 1},
		{"malformed body", body(load(t, "score.json", mine), "{"), 400, "problem", 0},
		{"score above the grid", body(load(t, "score.json", mine), `{"scores":[{"criterion":"experience","score":21},{"criterion":"plan","score":3}]}`), 400, "scores[0].score", 2},
		{"unknown field", body(load(t, "score.json", mine), `{"scores":[],"total":100}`), 400, "problem", 0},
		{"empty reason", body(load(t, "recuse.json", mine), `{"reason":" "}`), 400, "reason", 0},
		{"score", load(t, "score.json", mine), 200, `"total":80`, 3},
		{"recuse", load(t, "recuse.json", mine), 200, `"recused"`, 3},
		{"score once recused", load(t, "score.json", mine), 409, "problem", 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, _ := e.store.GetEvaluation(context.Background(), mine, "eval-1")
			status, got := e.serve(t, c.req)
			if status != c.status || !strings.Contains(got, c.has) {
				t.Fatalf("status %d, want %d; body %s (want %q in it)", status, c.status, got, c.has)
			}
			if n := e.db.Calls(); c.calls >= 0 && n != c.calls {
				t.Errorf("%d DynamoDB calls, want %d", n, c.calls)
			}
			if status >= 400 {
				after, _ := e.store.GetEvaluation(context.Background(), mine, "eval-1")
				if after.Version != before.Version {
					t.Errorf("a refused request changed the evaluation (v%d → v%d)", before.Version, after.Version)
				}
			}
		})
	}
	for _, ttl := range e.bucket.TTLs() {
		if ttl != 5*time.Minute {
			t.Errorf("a document link valid %v, want 5 minutes", ttl)
		}
	}
	// Logs carry IDs and statuses, never the association's people.
	for _, personal := range []string{"Salma", "contact@", "salma@", "+212"} {
		if strings.Contains(e.logs.String(), personal) {
			t.Errorf("logs contain %q:\n%s", personal, e.logs.String())
		}
	}
	if !strings.Contains(e.logs.String(), mine) {
		t.Errorf("logs do not name the candidacy %s", mine)
	}
}

func TestListPages(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// eval-1 gets the second candidacy too: two assignments, one per page.
	if err := e.store.CreateEvaluation(ctx, calls.Evaluation{CandidacyID: e.cand[1], CallID: e.call.ID, Evaluator: "eval-1",
		Reference: "COPIL-2024-0002", Status: calls.EvaluationAssigned, AssignedAt: time.Now().UTC().Add(time.Minute), Version: 1}); err != nil {
		t.Fatal(err)
	}
	req := load(t, "list.json", "")
	req.QueryStringParameters = map[string]string{"limit": "1"}
	_, first := e.serve(t, req)
	var page struct {
		Items      []map[string]any `json:"items"`
		NextCursor *string          `json:"nextCursor"`
	}
	if err := json.Unmarshal([]byte(first), &page); err != nil || len(page.Items) != 1 || page.NextCursor == nil || *page.NextCursor == "" {
		t.Fatalf("first page: %s", first)
	}
	req.QueryStringParameters["cursor"] = *page.NextCursor
	status, second := e.serve(t, req)
	if status != 200 || strings.Contains(second, "nextCursor") || !strings.Contains(second, e.cand[0]) {
		t.Errorf("last page: %d %s, want the first candidacy and no nextCursor", status, second)
	}
}
