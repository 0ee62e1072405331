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

	"github.com/aws/aws-lambda-go/events"
)

// links is a calls.Files that only signs links.
type links struct{ ttls []time.Duration }

func (l *links) PresignDownload(_ context.Context, key string, ttl time.Duration) (string, error) {
	l.ttls = append(l.ttls, ttl)
	return fmt.Sprintf("https://bucket.example/%s?X-Amz-Expires=%d", key, int(ttl.Seconds())), nil
}
func (l *links) PutExport(context.Context, string, string, string, []byte) error { return nil }
func (l *links) Zip(context.Context, string, string, []calls.ZipEntry) (int64, error) {
	return 0, nil
}

type env struct {
	store  *ddbstore.Store
	router *httpapi.Router
	call   calls.Call
	cand   [2]string // assigned to eval-1, assigned to eval-2
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	st := ddbstore.New(db, table)
	quiet := slog.New(slog.DiscardHandler)
	svc := calls.NewEvaluations(st.Calls(), st.Evaluations(), &links{}, nil, quiet)
	e := &env{store: st, router: newRouter(svc, quiet)}
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	e.call = calls.Call{ID: "copil-2024", Kind: calls.KindCopil, Status: calls.StatusEvaluating, Seats: 9,
		Title:   calls.Text{FR: "Comité de pilotage", AR: "لجنة القيادة"},
		OpensAt: now.Add(-40 * 24 * time.Hour), ClosesAt: now.Add(-10 * 24 * time.Hour),
		Documents: []calls.DocumentSpec{{Type: "statuts", Label: calls.Text{FR: "Statuts", AR: "النظام الأساسي"}, Required: true, MaxBytes: calls.DefaultDocumentBytes}},
		Criteria: []calls.Criterion{
			{ID: "experience", Label: calls.Text{FR: "Expérience", AR: "الخبرة"}, Weight: 40, MaxScore: 20},
			{ID: "plan", Label: calls.Text{FR: "Plan d'action", AR: "خطة العمل"}, Weight: 60, MaxScore: 10},
		}, CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := st.Calls().CreateCall(ctx, e.call); err != nil {
		t.Fatal(err)
	}
	for i, sub := range []string{"eval-1", "eval-2"} {
		id := fmt.Sprintf("cand%022d", i+1)
		c := calls.Candidacy{ID: id, CallID: e.call.ID, Status: calls.CandidacySubmitted, Sequence: i + 1, Reference: calls.FormatReference(e.call, i+1),
			Lang: i18n.FR, Association: calls.Association{Name: "Association Tafra", Email: "contact@tafra.example.ma", Phone: "+212 600 00 00 00"},
			Representative: calls.Representative{Name: "Salma Idrissi", Email: "salma@example.org"},
			Documents:      []calls.Document{{Type: "statuts", Status: calls.DocumentVerified, Key: "candidacies/" + id + "/statuts/aaaaaaaaaaaaaaaa.pdf", Size: 10, SHA256: "ab"}},
			CreatedAt:      now, UpdatedAt: now, SubmittedAt: now, ExpiresAt: now.Add(calls.Retention), Version: 1, TokenHash: "x"}
		if err := st.Calls().CreateCandidacy(ctx, c, outbox.Email{ID: "m" + id, To: "a@example.ma", Subject: "s", Text: "t", HTML: "h", Lang: "fr", Kind: "k", RefID: id, CreatedAt: now}, nil); err != nil {
			t.Fatal(err)
		}
		if err := st.Evaluations().CreateEvaluation(ctx, calls.Evaluation{CandidacyID: id, CallID: e.call.ID, Evaluator: sub, Reference: c.Reference,
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
	}{
		{"no identity", as(load(t, "list.json", ""), "", ""), 401, "problem"},
		{"an administrator is not an evaluator", as(load(t, "list.json", ""), "admin-1", "[admins]"), 403, "comité de sélection"},
		{"my list", load(t, "list.json", ""), 200, mine},
		{"bad limit", func() events.APIGatewayV2HTTPRequest {
			r := load(t, "list.json", "")
			r.QueryStringParameters = map[string]string{"limit": "0"}
			return r
		}(), 400, "limit"},
		{"assigned, in Arabic, with a 5-minute link", load(t, "get.json", mine), 200, "X-Amz-Expires=300"},
		{"not assigned", load(t, "get.json", other), 403, "غير مسند"},
		{"unknown id", load(t, "get.json", "nope"), 403, "problem"},
		{"someone else's score", load(t, "score.json", other), 403, "problem"},
		{"malformed body", body(load(t, "score.json", mine), "{"), 400, "problem"},
		{"score above the grid", body(load(t, "score.json", mine), `{"scores":[{"criterion":"experience","score":21},{"criterion":"plan","score":3}]}`), 400, "scores[0].score"},
		{"unknown field", body(load(t, "score.json", mine), `{"scores":[],"total":100}`), 400, "problem"},
		{"empty reason", body(load(t, "recuse.json", mine), `{"reason":" "}`), 400, "reason"},
		{"score", load(t, "score.json", mine), 200, `"total":80`},
		{"recuse", load(t, "recuse.json", mine), 200, `"recused"`},
		{"score once recused", load(t, "score.json", mine), 409, "problem"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before, _ := e.store.Evaluations().GetEvaluation(context.Background(), mine, "eval-1")
			status, got := e.serve(t, c.req)
			if status != c.status || !strings.Contains(got, c.has) {
				t.Fatalf("status %d, want %d; body %s (want %q in it)", status, c.status, got, c.has)
			}
			if status >= 400 {
				after, _ := e.store.Evaluations().GetEvaluation(context.Background(), mine, "eval-1")
				if after.Version != before.Version {
					t.Errorf("a refused request changed the evaluation (v%d → v%d)", before.Version, after.Version)
				}
			}
		})
	}
}
