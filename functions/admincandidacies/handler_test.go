package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"espaceosc/infra/template"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/i18n"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	"github.com/aws/aws-lambda-go/events"
)

// files is an in-memory calls.Files.
type files struct{ objects map[string]int }

func (f *files) PresignDownload(_ context.Context, key string, ttl time.Duration) (string, error) {
	return fmt.Sprintf("https://bucket.example/%s?X-Amz-Expires=%d", key, int(ttl.Seconds())), nil
}
func (f *files) PutExport(_ context.Context, key, _, _ string, body []byte) error {
	f.objects[key] = len(body)
	return nil
}
func (f *files) Zip(_ context.Context, key, _ string, entries []calls.ZipEntry) (int64, error) {
	f.objects[key] = len(entries)
	return 100, nil
}

type env struct {
	store  *ddbstore.Store
	sender *outboxtest.Sender
	files  *files
	router *httpapi.Router
	call   calls.Call
	cand   []string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	st := ddbstore.New(db, table)
	quiet := slog.New(slog.DiscardHandler)
	sender := &outboxtest.Sender{}
	f := &files{objects: map[string]int{}}
	svc := calls.NewEvaluations(st.Calls(), st.Evaluations(), f, &outbox.Outbox{Store: st.Outbox(), Sender: sender, Log: quiet}, quiet)
	e := &env{store: st, sender: sender, files: f, router: newRouter(svc, quiet)}
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	e.call = calls.Call{ID: "copil-2024", Kind: calls.KindCopil, Status: calls.StatusEvaluating, Seats: 9,
		Title:   calls.Text{FR: "Comité de pilotage", AR: "لجنة القيادة"},
		OpensAt: now.Add(-40 * 24 * time.Hour), ClosesAt: now.Add(-10 * 24 * time.Hour),
		Documents: []calls.DocumentSpec{{Type: "statuts", Label: calls.Text{FR: "Statuts", AR: "النظام الأساسي"}, Required: true, MaxBytes: calls.DefaultDocumentBytes}},
		Criteria:  []calls.Criterion{{ID: "experience", Label: calls.Text{FR: "Expérience", AR: "الخبرة"}, Weight: 100, MaxScore: 20}},
		CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := st.Calls().CreateCall(ctx, e.call); err != nil {
		t.Fatal(err)
	}
	for i, lang := range []i18n.Lang{i18n.FR, i18n.AR} {
		id := fmt.Sprintf("cand%022d", i+1)
		c := calls.Candidacy{ID: id, CallID: e.call.ID, Status: calls.CandidacySubmitted, Sequence: i + 1, Reference: calls.FormatReference(e.call, i+1),
			Lang: lang, Association: calls.Association{Name: "Association " + fmt.Sprint(i+1), City: "Agadir", Email: fmt.Sprintf("a%d@example.ma", i), Phone: "+212 600 00 00 00"},
			Representative: calls.Representative{Name: "Salma Idrissi", Email: "salma@example.org"},
			Documents:      []calls.Document{{Type: "statuts", Status: calls.DocumentVerified, Key: "candidacies/" + id + "/statuts/aaaaaaaaaaaaaaaa.pdf", Size: 10, SHA256: "ab"}},
			CreatedAt:      now.Add(time.Duration(i) * time.Minute), UpdatedAt: now, SubmittedAt: now, ExpiresAt: now.Add(calls.Retention), Version: 1, TokenHash: "x"}
		if err := st.Calls().CreateCandidacy(ctx, c, outbox.Email{ID: "m" + id, To: "a@example.ma", Subject: "s", Text: "t", HTML: "h", Lang: "fr", Kind: "k", RefID: id, CreatedAt: now}, nil); err != nil {
			t.Fatal(err)
		}
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
		c, err := e.store.Calls().GetCandidacy(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		evs, _ := e.store.Evaluations().EvaluationsOf(ctx, id)
		fmt.Fprintf(&b, "%s:%s:v%d:%d ", id, c.Outcome, c.Version, len(evs))
	}
	call, _ := e.store.Calls().GetCall(ctx, e.call.ID)
	fmt.Fprintf(&b, "%s %d emails %d files", call.Status, len(e.sender.Sent()), len(e.files.objects))
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
	}{
		// Refused: nothing changes.
		{"an evaluator cannot list", with(load(t, "list.json", e.call.ID), evaluator), 403, "administrateurs"},
		{"an evaluator cannot assign", with(load(t, "assign.json", a), evaluator), 403, "problem"},
		{"list: bad status", with(load(t, "list.json", e.call.ID), func(r *events.APIGatewayV2HTTPRequest) { r.QueryStringParameters = map[string]string{"status": "won"} }), 400, "status"},
		{"list: bad cursor", with(load(t, "list.json", e.call.ID), func(r *events.APIGatewayV2HTTPRequest) { r.QueryStringParameters = map[string]string{"cursor": "xyz"} }), 400, "cursor"},
		{"list: unknown call", load(t, "list.json", "nope-call"), 404, "problem"},
		{"assign: bad sub", with(load(t, "assign.json", a), func(r *events.APIGatewayV2HTTPRequest) { r.Body = `{"evaluators":["eval-1","<script>"]}` }), 400, "evaluators[1]"},
		{"assign: none", with(load(t, "assign.json", a), func(r *events.APIGatewayV2HTTPRequest) { r.Body = `{"evaluators":[]}` }), 400, "evaluators"},
		{"assign: not JSON", with(load(t, "assign.json", a), func(r *events.APIGatewayV2HTTPRequest) { r.Body = `evaluators=eval-1` }), 400, "problem"},
		{"assign: unknown candidacy", load(t, "assign.json", "zzzzzzzzzzzzzzzzzzzzzzzzzz"), 404, "problem"},
		{"decide: bad outcome", with(load(t, "decision.json", a), func(r *events.APIGatewayV2HTTPRequest) { r.Body = `{"outcome":"winner"}` }), 400, "outcome"},
		{"publish before deciding", load(t, "results.json", e.call.ID), 409, "COPIL-"},
		{"get: unknown candidacy", load(t, "get.json", "zzzzzzzzzzzzzzzzzzzzzzzzzz"), 404, "problem"},
		{"ranking: unknown call", load(t, "ranking.json", "nope-call"), 404, "problem"},
		{"export: unknown call", load(t, "export.json", "NOPE"), 404, "problem"},
		{"dossier: unknown candidacy", load(t, "dossier.json", "x"), 404, "problem"},
		{"publish: unknown call", load(t, "results.json", "nope-call"), 404, "problem"},
		{"decide: no body", with(load(t, "decision.json", a), func(r *events.APIGatewayV2HTTPRequest) { r.Body = "" }), 400, "problem"},
		// Accepted.
		{"list", load(t, "list.json", e.call.ID), 200, b},
		{"assign", load(t, "assign.json", a), 200, "5a1c3f0e-2b4d-4e6f-8a9b-0c1d2e3f4a5b"},
		{"get with evaluations", load(t, "get.json", a), 200, `"evaluations":[{`},
		{"ranking", load(t, "ranking.json", e.call.ID), 200, `"maxTotal":100`},
		{"export", load(t, "export.json", e.call.ID), 201, "X-Amz-Expires=600"},
		{"dossier", load(t, "dossier.json", a), 201, `"rows":1`},
		{"decide a", load(t, "decision.json", a), 200, `"outcome":"selected"`},
		{"decide b", with(load(t, "decision.json", b), func(r *events.APIGatewayV2HTTPRequest) { r.Body = `{"outcome":"not_selected"}` }), 200, `"outcome":"not_selected"`},
		{"publish", load(t, "results.json", e.call.ID), 200, `"notified":2`},
		{"publish again", load(t, "results.json", e.call.ID), 200, `"already":2`},
		{"decide after publication", load(t, "decision.json", b), 409, "problem"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := e.state(t)
			resp, err := e.router.Serve(context.Background(), c.req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != c.status || !strings.Contains(resp.Body, c.has) {
				t.Fatalf("status %d, want %d; body %s (want %q in it)", resp.StatusCode, c.status, resp.Body, c.has)
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
}
