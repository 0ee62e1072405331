package handler

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"espaceosc/infra/template"
	"espaceosc/shared/cocreation"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/i18n"

	"github.com/aws/aws-lambda-go/events"
)

func TestRoutesMatchTemplate(t *testing.T) {
	template.CheckRoutes(t, "", "CocreationFunction", newEnv(t).router.Routes())
}

// personal is what must never reach a log, a public view or open data.
var personal = []string{"amina", "Amina", "Benali", "example.org", "youssef", "Youssef", "Alami", "example.ma"}

func TestSubmitAcknowledgesWithAPrivateLink(t *testing.T) {
	e := newEnv(t)
	resp := e.serve(t, load(t, "submit.json", ""))
	r := decode[cocreation.Receipt](t, resp, 201)
	if got := e.calls.total(); got != 3 {
		t.Errorf("a submission made %d DynamoDB calls (%v), want 3: the plan, the transaction, the email marked sent", got, e.calls.n)
	}
	if !strings.HasPrefix(r.Reference, "PAN-2026-") || r.Moderation != cocreation.Pending || len(r.ID) != 26 {
		t.Errorf("receipt = %+v", r)
	}
	acks := e.sender.SentOfKind(cocreation.KindAck)
	if len(acks) != 1 || acks[0].To != "amina.benali@example.org" || !strings.Contains(acks[0].Subject, r.Reference) ||
		!strings.Contains(acks[0].HTML, `<html lang="fr" dir="ltr">`) || !strings.Contains(acks[0].Text, "PAN 2026-2028") {
		t.Fatalf("acknowledgement = %+v", acks)
	}
	id, token := e.link(t, cocreation.KindAck, "amina.benali@example.org")
	if id != r.ID || !strings.Contains(acks[0].Text, portalOrigin+"/fr/cocreation/propositions/"+r.ID+"?token=") {
		t.Fatalf("link = %s %s", id, acks[0].Text)
	}

	// The private link shows the pending proposal in one call; nothing else does.
	e.calls.reset()
	own := e.serve(t, withQuery(load(t, "get-proposal.json", r.ID), "token", token))
	v := decode[cocreation.AuthorView](t, own, 200)
	if v.Moderation != cocreation.Pending || v.Organisation != "Association Tafra" || e.calls.total() != 1 ||
		own.Headers["Referrer-Policy"] != "no-referrer" || own.Headers["Cache-Control"] != "no-store" {
		t.Errorf("author view = %+v, %d calls, headers %v", v, e.calls.total(), own.Headers)
	}
	for _, w := range personal {
		if strings.Contains(own.Body, w) {
			t.Errorf("the author view holds %q: %s", w, own.Body)
		}
	}
	unknown := e.serve(t, load(t, "get-proposal.json", strings.Repeat("a", 26)))
	for i, req := range []events.APIGatewayV2HTTPRequest{
		load(t, "get-proposal.json", r.ID),
		withQuery(load(t, "get-proposal.json", r.ID), "token", strings.Repeat("A", 43)),
		withQuery(load(t, "get-proposal.json", r.ID), "token", token[:42]),
	} {
		if got := e.serve(t, req); got.StatusCode != 404 || got.Body != unknown.Body {
			t.Errorf("case %d: %d %s, want the unknown id's 404 %s", i, got.StatusCode, got.Body, unknown.Body)
		}
	}

	logs := e.logs.String()
	for _, w := range append(personal, token, "Publier les budgets") {
		if strings.Contains(logs, w) {
			t.Errorf("logs contain %q", w)
		}
	}
	if !strings.Contains(logs, r.ID) {
		t.Errorf("logs do not name the proposal %s", r.ID)
	}
}

func TestSubmitOutsideTheProposalsPhaseIs409(t *testing.T) {
	e := newEnv(t)
	before := e.items(t)
	for _, c := range []struct {
		now        time.Time
		lang, want string
	}{
		{time.Date(2026, 2, 20, 12, 0, 0, 0, time.UTC), "fr-FR", "n'est pas encore ouvert : il se tiendra du 01/03/2026 au 31/03/2026 (heure de Casablanca)"},
		{time.Date(2026, 4, 2, 12, 0, 0, 0, time.UTC), "fr-FR", "est clos : il s'est tenu du 01/03/2026 au 31/03/2026"},
		{time.Date(2026, 4, 2, 12, 0, 0, 0, time.UTC), "ar", "من 01/03/2026 إلى 31/03/2026"},
	} {
		e.setClock(c.now)
		req := load(t, "submit.json", "")
		req.Headers["accept-language"] = c.lang
		resp := e.serve(t, req)
		p := decode[httpapi.Problem](t, resp, 409)
		if !strings.HasPrefix(resp.Headers["Content-Type"], "application/problem+json") || !strings.Contains(p.Detail, c.want) {
			t.Errorf("%s %s: problem %+v", c.now, c.lang, p)
		}
	}
	if after := e.items(t); after != before || len(e.sender.Sent()) != 0 {
		t.Errorf("refused submissions stored %d items, sent %d emails", after-before, len(e.sender.Sent()))
	}
}

func TestPublicListingsAreOneQuery(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var ids []string
	for i, theme := range []string{"transparence", "participation", "transparence", "transparence"} {
		r := e.published(t, fmt.Sprintf("p%d@example.org", i), func(m map[string]any) { m["theme"] = theme })
		ids = append(ids, r.ID)
	}
	just := i18n.Text{FR: "Retenue : elle rejoint l'engagement sur les budgets.", AR: "مقبول: ينضم إلى الالتزام المتعلق بالميزانيات."}
	if _, err := e.svc.Respond(ctx, ids[2], cocreation.ResponseInput{Outcome: "adopted", Justification: just}, "admin-1"); err != nil {
		t.Fatal(err)
	}
	// One pending and one hidden proposal are never listed.
	decode[cocreation.Receipt](t, e.serve(t, load(t, "submit.json", "")), 201)
	hidden := e.published(t, "hidden@example.org", nil)
	if _, err := e.svc.Moderate(ctx, hidden.ID, cocreation.ModerationInput{Action: cocreation.ActionHide, Reason: "Doublon"}, "admin-1"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 3; i++ {
		if _, err := e.svc.CreateCommitment(ctx, "pan-2026-2028", cocreation.CommitmentInput{
			Number: 4 - i, Title: just, Description: just, LeadInstitution: just,
		}); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name  string
		req   events.APIGatewayV2HTTPRequest
		count int
	}{
		{"all published", withQuery(load(t, "list-proposals.json", ""), "theme", ""), 4},
		{"by theme", load(t, "list-proposals.json", ""), 3},
		{"by status", withQuery(load(t, "list-proposals.json", ""), "theme", "", "status", "awaiting_response"), 3},
		{"by theme and status", withQuery(load(t, "list-proposals.json", ""), "status", "adopted"), 1},
		{"a page", withQuery(load(t, "list-proposals.json", ""), "theme", "", "limit", "2"), 2},
		{"commitments", load(t, "list-commitments.json", ""), 3},
		{"plans", load(t, "list-plans.json", ""), 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.calls.reset()
			page := decode[httpapi.Page[map[string]any]](t, e.serve(t, c.req), 200)
			if len(page.Items) != c.count {
				t.Errorf("%d items, want %d", len(page.Items), c.count)
			}
			if e.calls.total() != 1 || e.calls.of("Query") != 1 || e.calls.of("Filter") != 0 {
				t.Errorf("DynamoDB calls = %v, want one Query without a filter", e.calls.n)
			}
			for _, it := range page.Items {
				if it["id"] == hidden.ID {
					t.Errorf("the hidden proposal is listed")
				}
				b, _ := json.Marshal(it)
				for _, w := range personal {
					if strings.Contains(string(b), w) {
						t.Errorf("listing holds %q: %s", w, b)
					}
				}
			}
		})
	}
	page := decode[httpapi.Page[cocreation.CommitmentView]](t, e.serve(t, load(t, "list-commitments.json", "")), 200)
	if page.Items[0].Number != 1 || page.Items[2].Number != 3 {
		t.Errorf("commitments are not by number: %+v", page.Items)
	}
	adopted := decode[httpapi.Page[cocreation.ProposalView]](t, e.serve(t, withQuery(load(t, "list-proposals.json", ""), "status", "adopted")), 200)
	if a := adopted.Items[0]; a.ID != ids[2] || a.Response == nil || a.Response.Justification != just.FR || a.StatusLabel != "Retenue" || a.RegionLabel != "Souss-Massa" {
		t.Errorf("adopted = %+v", a)
	}
}

func TestFiftyConcurrentConfirmationsOfOneAddressCountOnce(t *testing.T) {
	e := newEnv(t)
	r := e.published(t, "author@example.org", nil)
	// Five requests by the same address, written five ways: five links.
	type link struct{ id, token string }
	var links []link
	for _, addr := range []string{"youssef.alami@example.ma", "Youssef.Alami@example.ma", " YOUSSEF.ALAMI@EXAMPLE.MA", "youssef.alami@example.ma", "youssef.alami@Example.MA"} {
		resp := e.serve(t, withBody(t, load(t, "support.json", r.ID), map[string]any{"email": addr, "lang": "ar", "consent": true}))
		decode[cocreation.SupportReceipt](t, resp, 202)
		id, token := e.link(t, cocreation.KindSupportConfirm, addr)
		links = append(links, link{id, token})
	}
	if confirms := e.sender.SentOfKind(cocreation.KindSupportConfirm); len(confirms) != 5 || confirms[0].Lang != i18n.AR || !strings.Contains(confirms[0].Text, r.Reference) {
		t.Fatalf("confirmation emails = %d", len(confirms))
	}
	if got := len(e.keys(t, "SUPPORT#")); got != 0 {
		t.Fatalf("%d supports before any confirmation", got)
	}

	const n = 50
	results := make([]events.APIGatewayV2HTTPResponse, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		l := links[i%len(links)]
		req := withBody(t, load(t, "confirm.json", l.id), map[string]string{"token": l.token})
		wg.Go(func() {
			<-start
			resp, err := e.router.Serve(context.Background(), req)
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
			results[i] = resp
		})
	}
	close(start)
	wg.Wait()

	counted := 0
	for i, resp := range results {
		if resp.StatusCode != 200 {
			t.Fatalf("confirmation %d: %d %s", i, resp.StatusCode, resp.Body)
		}
		var c cocreation.Confirmation
		if err := json.Unmarshal([]byte(resp.Body), &c); err != nil || c.ProposalID != r.ID {
			t.Fatalf("confirmation %d = %s", i, resp.Body)
		}
		if c.Counted {
			counted++
		}
	}
	if counted != 1 {
		t.Errorf("%d confirmations said counted, want 1", counted)
	}
	if got := len(e.keys(t, "SUPPORT#")); got != 1 {
		t.Errorf("%d support items, want 1", got)
	}
	check := func(want int) {
		t.Helper()
		v := decode[cocreation.AuthorView](t, e.serve(t, load(t, "get-proposal.json", r.ID)), 200)
		if v.Supports != want {
			t.Errorf("proposal supports = %d, want %d", v.Supports, want)
		}
		for _, q := range [][]string{{"theme", ""}, {}, {"status", "awaiting_response"}, {"theme", "", "status", "awaiting_response"}} {
			page := decode[httpapi.Page[cocreation.ProposalView]](t, e.serve(t, withQuery(load(t, "list-proposals.json", ""), q...)), 200)
			if len(page.Items) != 1 || page.Items[0].Supports != want {
				t.Errorf("listing %v supports = %+v, want %d", q, page.Items, want)
			}
		}
	}
	check(1)

	// Another address counts; its confirmation takes three calls.
	other := e.serve(t, withBody(t, load(t, "support.json", r.ID), map[string]any{"email": "salma@example.ma", "lang": "fr", "consent": true}))
	decode[cocreation.SupportReceipt](t, other, 202)
	id, token := e.link(t, cocreation.KindSupportConfirm, "salma@example.ma")
	e.calls.reset()
	c := decode[cocreation.Confirmation](t, e.serve(t, withBody(t, load(t, "confirm.json", id), map[string]string{"token": token})), 200)
	if !c.Counted || e.calls.total() != 3 {
		t.Errorf("second address: %+v in %d calls (%v), want counted in 3", c, e.calls.total(), e.calls.n)
	}
	check(2)
	if logs := e.logs.String(); strings.Contains(logs, "salma") || strings.Contains(logs, "youssef") || strings.Contains(logs, token) {
		t.Errorf("logs hold an address or a token")
	}
}

func TestSupportRefusalsChangeNothing(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pending := decode[cocreation.Receipt](t, e.serve(t, load(t, "submit.json", "")), 201)
	hidden := e.published(t, "hidden@example.org", nil)
	live := e.published(t, "live@example.org", nil)
	// A link asked for while published, then the proposal is hidden.
	decode[cocreation.SupportReceipt](t, e.serve(t, load(t, "support.json", hidden.ID)), 202)
	beforeHide, beforeHideToken := e.link(t, cocreation.KindSupportConfirm, "youssef.alami@example.ma")
	if _, err := e.svc.Moderate(ctx, hidden.ID, cocreation.ModerationInput{Action: cocreation.ActionHide, Reason: "Propos injurieux"}, "admin-1"); err != nil {
		t.Fatal(err)
	}
	decode[cocreation.SupportReceipt](t, e.serve(t, withBody(t, load(t, "support.json", live.ID), map[string]any{"email": "late@example.ma", "lang": "fr", "consent": true})), 202)
	late, lateToken := e.link(t, cocreation.KindSupportConfirm, "late@example.ma")
	before, sent := e.items(t), len(e.sender.Sent())

	confirm := func(id, token string) events.APIGatewayV2HTTPRequest {
		return withBody(t, load(t, "confirm.json", id), map[string]string{"token": token})
	}
	cases := []struct {
		name   string
		req    events.APIGatewayV2HTTPRequest
		status int
		detail string
	}{
		{"support a pending proposal", load(t, "support.json", pending.ID), 404, "n'est pas (ou plus) publiée"},
		{"support a hidden proposal", load(t, "support.json", hidden.ID), 404, "n'est pas (ou plus) publiée"},
		{"support an unknown proposal", load(t, "support.json", strings.Repeat("a", 26)), 404, "introuvable"},
		{"confirm a support of a proposal hidden since", confirm(beforeHide, beforeHideToken), 409, "n'est pas (ou plus) publiée"},
		{"confirm with a wrong token", confirm(late, strings.Repeat("A", 43)), 404, "lien de confirmation est introuvable"},
		{"confirm an unknown link", confirm(strings.Repeat("b", 26), lateToken), 404, "lien de confirmation est introuvable"},
		{"confirm a malformed link", confirm("../x", lateToken), 404, "lien de confirmation est introuvable"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := e.serve(t, c.req)
			p := decode[httpapi.Problem](t, resp, c.status)
			if !strings.Contains(p.Detail, c.detail) || !strings.HasPrefix(resp.Headers["Content-Type"], "application/problem+json") {
				t.Errorf("problem = %+v", p)
			}
		})
	}
	// Expired: 48 hours later the link is refused, clearly.
	e.setClock(e.clock().Add(cocreation.ConfirmationValidity + time.Minute))
	p := decode[httpapi.Problem](t, e.serve(t, confirm(late, lateToken)), 409)
	if !strings.Contains(p.Detail, "a expiré") {
		t.Errorf("expired: %+v", p)
	}
	if after := e.items(t); after != before || len(e.sender.Sent()) != sent {
		t.Errorf("refusals stored %d items and sent %d emails", after-before, len(e.sender.Sent())-sent)
	}
	for _, id := range []string{hidden.ID, live.ID} {
		if v, err := e.svc.AdminProposal(ctx, id); err != nil || v.Supports != 0 {
			t.Errorf("supports of %s = %d %v", id, v.Supports, err)
		}
	}
}

type badCase struct {
	name   string
	req    events.APIGatewayV2HTTPRequest
	status int
	field  string
}

func TestBadInputStoresNothing(t *testing.T) {
	e := newEnv(t)
	live := e.published(t, "live@example.org", nil)
	decode[cocreation.SupportReceipt](t, e.serve(t, load(t, "support.json", live.ID)), 202)
	reqID, _ := e.link(t, cocreation.KindSupportConfirm, "youssef.alami@example.ma")
	submit := func(change func(m map[string]any)) events.APIGatewayV2HTTPRequest {
		return withBody(t, load(t, "submit.json", ""), body(t, change))
	}
	set := func(path string, v any) func(m map[string]any) {
		return func(m map[string]any) {
			if k, ok := strings.CutPrefix(path, "proposer."); ok {
				m["proposer"].(map[string]any)[k] = v
				return
			}
			m[path] = v
		}
	}
	del := func(k string) func(m map[string]any) { return func(m map[string]any) { delete(m, k) } }
	support := func(b any) events.APIGatewayV2HTTPRequest { return withBody(t, load(t, "support.json", live.ID), b) }
	cases := []badCase{
		{"malformed JSON", withBody(t, load(t, "submit.json", ""), `{"theme":`), 400, ""},
		{"not JSON", func() events.APIGatewayV2HTTPRequest {
			r := withBody(t, load(t, "submit.json", ""), "theme=transparence")
			r.Headers["content-type"] = "application/x-www-form-urlencoded"
			return r
		}(), 415, ""},
		{"body over 64 KiB", submit(set("problem", strings.Repeat("a", 70<<10))), 413, ""},
		{"unknown field", submit(set("phone", "+212600000000")), 400, "phone"},
		{"missing title", submit(del("title")), 400, "title"},
		{"theme of no plan", submit(set("theme", "sante")), 400, "theme"},
		{"unknown region", submit(set("region", "paris")), 400, "region"},
		{"bad email", submit(set("proposer.email", "amina@")), 400, "proposer.email"},
		{"member organisation without its name", submit(set("proposer.organisation", "")), 400, "proposer.organisation"},
		{"consent refused", submit(set("consent", false)), 400, "consent"},
		{"consent as a string", submit(set("consent", "yes")), 400, "consent"},
		{"empty Idempotency-Key", func() events.APIGatewayV2HTTPRequest {
			r := load(t, "submit.json", "")
			r.Headers["idempotency-key"] = ""
			return r
		}(), 400, "Idempotency-Key"},
		{"unknown plan", func() events.APIGatewayV2HTTPRequest {
			r := load(t, "submit.json", "")
			r.PathParameters["id"] = "pan-1999"
			return r
		}(), 404, ""},
		{"support without consent", support(map[string]any{"email": "a@example.ma", "lang": "fr"}), 400, "consent"},
		{"support with a bad email", support(map[string]any{"email": "a@", "lang": "fr", "consent": true}), 400, "email"},
		{"support with a name", support(map[string]any{"email": "a@example.ma", "lang": "fr", "consent": true, "name": "A"}), 400, "name"},
		{"confirm without a token", withBody(t, load(t, "confirm.json", reqID), `{}`), 404, ""},
		{"confirm with a number", withBody(t, load(t, "confirm.json", reqID), `{"token":1}`), 400, "token"},
		{"listing with an unknown status", withQuery(load(t, "list-proposals.json", ""), "status", "accepted"), 400, "status"},
		{"listing with a bad theme", withQuery(load(t, "list-proposals.json", ""), "theme", "Pas un thème"), 400, "theme"},
		{"listing with a bad cursor", withQuery(load(t, "list-proposals.json", ""), "cursor", "nope"), 400, "cursor"},
		{"listing over the limit", withQuery(load(t, "list-proposals.json", ""), "limit", "51"), 400, "limit"},
		{"listing in English", withQuery(load(t, "list-plans.json", ""), "lang", "en"), 400, "lang"},
		{"unknown data set", func() events.APIGatewayV2HTTPRequest {
			r := load(t, "open-data.json", "")
			r.PathParameters["dataset"] = "emails"
			return r
		}(), 400, "dataset"},
		{"unknown format", withQuery(load(t, "open-data.json", ""), "format", "xlsx"), 400, "format"},
		{"unknown plan's statistics", func() events.APIGatewayV2HTTPRequest {
			r := load(t, "statistics.json", "")
			r.PathParameters["id"] = "pan-1999"
			return r
		}(), 404, ""},
		{"unknown commitment", load(t, "get-commitment.json", strings.Repeat("c", 26)), 404, ""},
	}
	before, sent := e.items(t), len(e.sender.Sent())
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp := e.serve(t, c.req)
			p := decode[httpapi.Problem](t, resp, c.status)
			if !strings.HasPrefix(resp.Headers["Content-Type"], "application/problem+json") || p.Title == "" {
				t.Errorf("not a problem: %v %s", resp.Headers, resp.Body)
			}
			if c.field != "" {
				found := false
				for _, f := range p.Errors {
					found = found || f.Field == c.field && f.Message != ""
				}
				if !found {
					t.Errorf("no error for %q: %s", c.field, resp.Body)
				}
			}
		})
	}
	if after := e.items(t); after != before || len(e.sender.Sent()) != sent {
		t.Errorf("bad input stored %d items and sent %d emails", after-before, len(e.sender.Sent())-sent)
	}
	// Field errors in the request's language.
	req := submit(set("region", "paris"))
	req.Headers["accept-language"] = "ar"
	p := decode[httpapi.Problem](t, e.serve(t, req), 400)
	if len(p.Errors) != 1 || !strings.Contains(p.Errors[0].Message, "قيمة غير مسموح بها") {
		t.Errorf("Arabic problem = %+v", p)
	}
}

func TestIdempotentSubmission(t *testing.T) {
	e := newEnv(t)
	req := load(t, "submit.json", "")
	req.Headers["idempotency-key"] = "f3b1c6d2-0d9a-4c5e-9f6e-2a1b3c4d5e6f"
	first := decode[cocreation.Receipt](t, e.serve(t, req), 201)
	again := decode[cocreation.Receipt](t, e.serve(t, req), 201)
	if again != first || len(e.sender.SentOfKind(cocreation.KindAck)) != 1 {
		t.Errorf("retry = %+v (first %+v), %d acknowledgements", again, first, len(e.sender.SentOfKind(cocreation.KindAck)))
	}
	changed := withBody(t, req, body(t, func(m map[string]any) { m["title"] = "Un autre titre pour la même clé" }))
	decode[httpapi.Problem](t, e.serve(t, changed), 422)
}

func TestPlanCommitmentAndProposalBothWays(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	plan := decode[cocreation.PlanView](t, e.serve(t, load(t, "get-plan.json", "")), 200)
	if plan.CurrentPhase != cocreation.ProposalsPhase || !plan.AcceptingProposals || plan.Title != "خطة العمل الوطنية 2026-2028" ||
		len(plan.Phases) != 3 || plan.Phases[1].StartsOn != "2026-03-01" || plan.Phases[1].EndsOn != "2026-03-31" || plan.Phases[0].State != cocreation.PhaseDone {
		t.Errorf("plan = %+v", plan)
	}
	r := e.published(t, "author@example.org", nil)
	just := i18n.Text{FR: "Fusionnée dans l'engagement sur les budgets ouverts.", AR: "مدمج في الالتزام المتعلق بالميزانيات المفتوحة."}
	c, err := e.svc.CreateCommitment(ctx, "pan-2026-2028", cocreation.CommitmentInput{
		Number: 3, Title: i18n.Text{FR: "Budgets ouverts", AR: "ميزانيات مفتوحة"}, Description: just, LeadInstitution: just,
		Milestones: []cocreation.MilestoneInput{{Title: just, DueOn: "2027-06-30", Status: "in_progress"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Respond(ctx, r.ID, cocreation.ResponseInput{Outcome: "merged", Justification: just, CommitmentID: c.ID}, "admin-1"); err != nil {
		t.Fatal(err)
	}
	e.calls.reset()
	cv := decode[cocreation.CommitmentView](t, e.serve(t, load(t, "get-commitment.json", c.ID)), 200)
	if len(cv.Proposals) != 1 || cv.Proposals[0].ID != r.ID || cv.Title != "ميزانيات مفتوحة" || cv.Milestones[0].StatusLabel != "قيد الإنجاز" {
		t.Errorf("commitment = %+v", cv)
	}
	if e.calls.total() != 2 {
		t.Errorf("a commitment took %d calls, want 2 (the commitment, its proposals)", e.calls.total())
	}
	pv := decode[cocreation.AuthorView](t, e.serve(t, load(t, "get-proposal.json", r.ID)), 200)
	if pv.Commitment == nil || pv.Commitment.ID != c.ID || pv.Commitment.Number != 3 || pv.Status != cocreation.Status(cocreation.Merged) || pv.Moderation != "" {
		t.Errorf("proposal = %+v", pv)
	}
	st := decode[cocreation.StatisticsView](t, e.serve(t, load(t, "statistics.json", "")), 200)
	if st.Proposals != 1 || st.WithResponse != 1 || st.ResponseShare != 1 || st.ByTheme[0].Proposals != 1 {
		t.Errorf("statistics = %+v", st)
	}
}

func TestOpenDataDownloads(t *testing.T) {
	e := newEnv(t)
	e.published(t, "amina.benali@example.org", nil)
	e.published(t, "youssef@example.ma", func(m map[string]any) {
		m["proposer"] = map[string]any{"name": "Youssef Alami", "email": "youssef@example.ma", "organisation": "Youssef Alami"}
	})
	for _, format := range []string{"csv", "json"} {
		for _, dataset := range []string{"proposals", "commitments", "statistics"} {
			req := withQuery(load(t, "open-data.json", ""), "format", format)
			req.PathParameters["dataset"] = dataset
			resp := e.serve(t, req)
			if resp.StatusCode != 200 {
				t.Fatalf("%s.%s: %d %s", dataset, format, resp.StatusCode, resp.Body)
			}
			wantType := map[string]string{"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}[format]
			if resp.Headers["Content-Type"] != wantType || resp.Headers["Content-Disposition"] != `attachment; filename=pan-2026-2028-`+dataset+"."+format {
				t.Errorf("%s.%s headers = %v", dataset, format, resp.Headers)
			}
			for _, w := range personal {
				if strings.Contains(resp.Body, w) {
					t.Errorf("%s.%s holds %q", dataset, format, w)
				}
			}
			if dataset == "proposals" && !strings.Contains(resp.Body, "Association Tafra") {
				t.Errorf("%s.%s lacks the member organisation's name", dataset, format)
			}
		}
	}
}
