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
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	"github.com/aws/aws-lambda-go/events"
)

// env is the function wired as main.go wires it, on minidyn, an in-memory
// bucket and a recording sender, with a call being evaluated and two
// submitted candidacies (one French, one Arabic) whose documents are in the
// bucket.
type env struct {
	store     callsdb.Store
	db        *callstest.Counting
	sender    *outboxtest.Sender
	bucket    *callstest.Bucket
	router    *httpapi.Router
	logs      *callstest.Logs
	call      calls.Call
	cand      []string
	directory *callstest.Directory
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	e := &env{db: callstest.Count(db), sender: &outboxtest.Sender{}, bucket: callstest.NewBucket(), logs: &callstest.Logs{}}
	log := httpapi.NewLogger(e.logs)
	st := ddbstore.New(e.db, table)
	e.store = callsdb.New(st)
	e.directory = callstest.Evaluators("eval-1", "5a1c3f0e-2b4d-4e6f-8a9b-0c1d2e3f4a5b")
	e.directory.Members[1].Name = "Amina Benali"
	svc := calls.NewService(calls.Config{
		Store: e.store, Mailer: outbox.New(st.Outbox(), e.sender, calls.Emails, log), Files: e.bucket, Directory: e.directory, TempDir: t.TempDir(), Log: log,
	})
	e.router = New(svc, log)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	e.call = calls.Call{ID: "copil-2024", Kind: calls.KindCopil, Status: calls.StatusEvaluating, Seats: 9,
		Title:   i18n.Text{FR: "Comité de pilotage", AR: "لجنة القيادة"},
		OpensAt: now.Add(-40 * 24 * time.Hour), ClosesAt: now.Add(-10 * 24 * time.Hour),
		Documents: []calls.DocumentSpec{{Type: "statuts", Label: i18n.Text{FR: "Statuts", AR: "النظام الأساسي"}, Required: true, MaxBytes: calls.DefaultDocumentBytes}},
		Criteria:  []calls.Criterion{{ID: "experience", Label: i18n.Text{FR: "Expérience", AR: "الخبرة"}, Weight: 100, MaxScore: 20}},
		CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := e.store.CreateCall(ctx, e.call); err != nil {
		t.Fatal(err)
	}
	for i, lang := range []i18n.Lang{i18n.FR, i18n.AR} {
		id := fmt.Sprintf("cand%022d", i+1)
		key := "candidacies/" + id + "/statuts/aaaaaaaaaaaaaaaa.pdf"
		c := calls.Candidacy{ID: id, CallID: e.call.ID, Status: calls.CandidacySubmitted, Sequence: i + 1, Reference: calls.FormatReference(e.call, i+1),
			Lang: lang, Association: calls.Association{Name: "Association " + fmt.Sprint(i+1), City: "Agadir", Email: fmt.Sprintf("a%d@example.ma", i), Phone: "+212 600 00 00 00"},
			Representative: calls.Representative{Name: "Salma Idrissi", Email: "salma@example.org"},
			Documents:      []calls.Document{{Type: "statuts", Status: calls.DocumentVerified, Key: key, Size: 10, SHA256: "ab"}},
			CreatedAt:      now.Add(time.Duration(i) * time.Minute), UpdatedAt: now, SubmittedAt: now, ExpiresAt: now.Add(calls.Retention), Version: 1, TokenHash: "x"}
		if err := e.store.CreateCandidacy(ctx, c, ddbtest.Email("m"+id, now), nil); err != nil {
			t.Fatal(err)
		}
		e.bucket.Upload(key, []byte("%PDF-1.7\n"+id))
		e.cand = append(e.cand, id)
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

func TestRoutesMatchTheTemplate(t *testing.T) {
	template.CheckRoutes(t, "", "AdminCandidaciesFunction", newEnv(t).router.Routes())
}

// state summarises what the table holds for the test's candidacies.
func (e *env) state(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	for _, id := range e.cand {
		c, err := e.store.GetCandidacy(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		evs, _ := e.store.EvaluationsOf(ctx, id)
		fmt.Fprintf(&b, "%s:%s:v%d:%d ", id, c.Outcome, c.Version, len(evs))
	}
	call, _ := e.store.GetCall(ctx, e.call.ID)
	fmt.Fprintf(&b, "%s %d emails %d files", call.Status, len(e.sender.Sent()), e.bucket.Len())
	return b.String()
}

func TestAdminRoutes(t *testing.T) {
	e := newEnv(t)
	a, b := e.cand[0], e.cand[1]
	with := func(req events.APIGatewayV2HTTPRequest, change func(*events.APIGatewayV2HTTPRequest)) events.APIGatewayV2HTTPRequest {
		change(&req)
		return req
	}
	evaluator := func(r *events.APIGatewayV2HTTPRequest) {
		r.RequestContext.Authorizer.JWT.Claims = map[string]string{"sub": "eval-1", "cognito:groups": "[evaluators]"}
	}
	cases := []struct {
		name   string
		req    events.APIGatewayV2HTTPRequest
		status int
		has    string
		calls  int64 // DynamoDB calls; -1: not counted
	}{
		// Refused: nothing changes.
		{"an evaluator cannot list", with(load(t, "list.json", e.call.ID), evaluator), 403, "administrateurs", -1},
		{"an evaluator cannot assign", with(load(t, "assign.json", a), evaluator), 403, "problem", -1},
		{"list: bad status", with(load(t, "list.json", e.call.ID), func(r *events.APIGatewayV2HTTPRequest) { r.QueryStringParameters = map[string]string{"status": "won"} }), 400, "status", -1},
		{"list: bad cursor", with(load(t, "list.json", e.call.ID), func(r *events.APIGatewayV2HTTPRequest) { r.QueryStringParameters = map[string]string{"cursor": "xyz"} }), 400, "cursor", -1},
		{"list: unknown call", load(t, "list.json", "nope-call"), 404, "problem", -1},
		{"assign: bad sub", with(load(t, "assign.json", a), func(r *events.APIGatewayV2HTTPRequest) { r.Body = `{"evaluators":["eval-1","<script>"]}` }), 400, "evaluators[1]", -1},
		{"assign: none", with(load(t, "assign.json", a), func(r *events.APIGatewayV2HTTPRequest) { r.Body = `{"evaluators":[]}` }), 400, "evaluators", -1},
		{"assign: not JSON", with(load(t, "assign.json", a), func(r *events.APIGatewayV2HTTPRequest) { r.Body = `evaluators=eval-1` }), 400, "problem", -1},
		{"assign: unknown candidacy", load(t, "assign.json", "zzzzzzzzzzzzzzzzzzzzzzzzzz"), 404, "problem", -1},
		{"assign: not an evaluator", with(load(t, "assign.json", a), func(r *events.APIGatewayV2HTTPRequest) { r.Body = `{"evaluators":["eval-1","eval-9"]}` }), 400, `"field":"evaluators[1]"`, -1},
		{"an evaluator cannot list the evaluators", with(load(t, "evaluators.json", ""), evaluator), 403, "problem", -1},
		{"evaluators", load(t, "evaluators.json", ""), 200, `{"sub":"5a1c3f0e-2b4d-4e6f-8a9b-0c1d2e3f4a5b","name":"Amina Benali","email":"5a1c3f0e-2b4d-4e6f-8a9b-0c1d2e3f4a5b@evaluation.example"}`, 0},
		{"decide: bad outcome", with(load(t, "decision.json", a), func(r *events.APIGatewayV2HTTPRequest) { r.Body = `{"outcome":"winner"}` }), 400, "outcome", -1},
		{"publish before deciding", load(t, "results.json", e.call.ID), 409, "COPIL-", -1},
		{"get: unknown candidacy", load(t, "get.json", "zzzzzzzzzzzzzzzzzzzzzzzzzz"), 404, "problem", -1},
		{"ranking: unknown call", load(t, "ranking.json", "nope-call"), 404, "problem", -1},
		{"export: unknown call", load(t, "export.json", "NOPE"), 404, "problem", -1},
		{"dossier: unknown candidacy", load(t, "dossier.json", "x"), 404, "problem", -1},
		{"publish: unknown call", load(t, "results.json", "nope-call"), 404, "problem", -1},
		{"decide: no body", with(load(t, "decision.json", a), func(r *events.APIGatewayV2HTTPRequest) { r.Body = "" }), 400, "problem", -1},
		// Accepted.
		{"list", load(t, "list.json", e.call.ID), 200, b, 2},
		{"assign", load(t, "assign.json", a), 200, "5a1c3f0e-2b4d-4e6f-8a9b-0c1d2e3f4a5b", 5},
		{"get with evaluations", load(t, "get.json", a), 200, `"evaluations":[{`, 3},
		{"ranking", load(t, "ranking.json", e.call.ID), 200, `"maxTotal":100`, 3},
		{"export", load(t, "export.json", e.call.ID), 201, "X-Amz-Expires=600", 4},
		{"dossier", load(t, "dossier.json", a), 201, `"rows":1`, 3},
		{"decide a", load(t, "decision.json", a), 200, `"outcome":"selected"`, 6},
		{"decide b", with(load(t, "decision.json", b), func(r *events.APIGatewayV2HTTPRequest) { r.Body = `{"outcome":"not_selected"}` }), 200, `"outcome":"not_selected"`, 6},
		{"publish", load(t, "results.json", e.call.ID), 200, `"notified":2`, 7},
		{"publish again", load(t, "results.json", e.call.ID), 200, `"already":2`, 4},
		{"decide after publication", load(t, "decision.json", b), 409, "problem", -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := e.state(t)
			e.db.Reset()
			resp, err := e.router.Serve(context.Background(), c.req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != c.status || !strings.Contains(resp.Body, c.has) {
				t.Fatalf("status %d, want %d; body %s (want %q in it)", resp.StatusCode, c.status, resp.Body, c.has)
			}
			if n := e.db.Calls(); c.calls >= 0 && n != c.calls {
				t.Errorf("%d DynamoDB calls, want %d", n, c.calls)
			}
			if resp.StatusCode >= 400 {
				if ct := resp.Headers["Content-Type"]; !strings.HasPrefix(ct, "application/problem+json") {
					t.Errorf("Content-Type %q", ct)
				}
				if after := e.state(t); after != before {
					t.Errorf("a refused request changed the table:\n%s\n%s", before, after)
				}
			}
		})
	}
	if got := len(e.sender.SentOfKind(calls.KindOutcomeEmail)); got != 2 {
		t.Errorf("%d outcome emails, want 2", got)
	}
	// Logs carry IDs, kinds and counts, never addresses or names of people.
	for _, personal := range []string{"Salma", "salma@", "a0@example.ma", "a1@example.ma", "+212"} {
		if strings.Contains(e.logs.String(), personal) {
			t.Errorf("logs contain %q:\n%s", personal, e.logs.String())
		}
	}
}

func TestListPages(t *testing.T) {
	e := newEnv(t)
	req := load(t, "list.json", e.call.ID)
	req.QueryStringParameters = map[string]string{"limit": "1"}
	var seen []string
	for page := 0; page < 3; page++ {
		resp, err := e.router.Serve(context.Background(), req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("page %d: %d %s %v", page, resp.StatusCode, resp.Body, err)
		}
		var body struct {
			Items      []calls.CandidacySummary `json:"items"`
			NextCursor *string                  `json:"nextCursor"`
		}
		if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
			t.Fatal(err)
		}
		for _, it := range body.Items {
			seen = append(seen, it.ID)
		}
		if body.NextCursor == nil {
			break
		}
		if *body.NextCursor == "" {
			t.Fatalf("page %d: an empty nextCursor", page)
		}
		req.QueryStringParameters["cursor"] = *body.NextCursor
	}
	if len(seen) != 2 || seen[0] != e.cand[1] || seen[1] != e.cand[0] {
		t.Errorf("pages listed %v, want the two candidacies, newest first", seen)
	}
}

// TestEvaluatorsDirectoryDown: when the user pool does not answer, listing
// and assigning fail with a 503 (try again), and nothing is stored.
func TestEvaluatorsDirectoryDown(t *testing.T) {
	e := newEnv(t)
	e.directory.Fail = true
	before := e.state(t)
	for _, req := range []events.APIGatewayV2HTTPRequest{load(t, "evaluators.json", ""), load(t, "assign.json", e.cand[0])} {
		resp, err := e.router.Serve(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 503 {
			t.Errorf("%s: status %d, want 503; body %s", req.RouteKey, resp.StatusCode, resp.Body)
		}
	}
	if after := e.state(t); after != before {
		t.Errorf("a refused assignment changed the table:\n%s\n%s", before, after)
	}
}
