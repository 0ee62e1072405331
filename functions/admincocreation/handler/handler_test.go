package handler

import (
	"fmt"
	"strings"
	"testing"

	"espaceosc/infra/template"
	"espaceosc/shared/cocreation"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
)

func TestRoutesMatchTemplate(t *testing.T) {
	template.CheckRoutes(t, "", "AdminCocreationFunction", newEnv(t).router.Routes())
}

func TestEvaluatorsAndAnonymousAreRefused(t *testing.T) {
	e := newEnv(t)
	id := e.submit(t, "fr", "karima@example.ma")
	before := e.items(t)
	for _, name := range []string{"create-plan.json", "get-plan.json", "update-plan.json", "list-proposals.json", "create-commitment.json",
		"get-proposal.json", "moderate.json", "respond.json", "link.json", "unlink.json", "get-commitment.json", "update-commitment.json"} {
		req := load(t, name, id)
		req.RequestContext.Authorizer.JWT.Claims["cognito:groups"] = "[evaluators]"
		if status, body := e.serve(t, req); status != 403 || body["type"] != httpapi.ProblemTypeBase+"forbidden" {
			t.Errorf("%s as an evaluator: %d %v", name, status, body)
		}
		req.RequestContext.Authorizer = nil
		if status, _ := e.serve(t, req); status != 401 {
			t.Errorf("%s without a token: %d", name, status)
		}
	}
	if after := e.items(t); after != before {
		t.Errorf("refused requests stored %d items", after-before)
	}
}

func TestPlans(t *testing.T) {
	e := newEnv(t)
	status, body := e.serve(t, httpapitest.Load(t, "create-plan.json"))
	if status != 201 || body["id"] != "pan-2028-2030" || len(body["phases"].([]any)) != 7 || body["currentPhase"] != nil {
		t.Fatalf("create: %d %v", status, body)
	}
	if status, body := e.serve(t, httpapitest.Load(t, "create-plan.json")); status != 409 || !strings.Contains(body["detail"].(string), "déjà cet identifiant") {
		t.Errorf("same ID again: %d %v", status, body)
	}
	status, body = e.serve(t, httpapitest.Load(t, "update-plan.json"))
	if status != 200 || body["title"].(map[string]any)["fr"] != "PAN 2028-2030 (calendrier révisé)" {
		t.Errorf("update: %d %v", status, body)
	}
	status, body = e.serve(t, httpapitest.Load(t, "get-plan.json"))
	if status != 200 || body["currentPhase"] != "proposals" || body["themes"].([]any)[0].(map[string]any)["label"].(map[string]any)["ar"] != "شفافية الميزانية" {
		t.Errorf("get: %d %v", status, body)
	}
	// A theme cannot be dropped; nothing changes.
	drop := withBody(t, httpapitest.Load(t, "update-plan.json"), strings.Replace(httpapitest.Load(t, "update-plan.json").Body,
		`{"id": "participation", "label": {"fr": "Participation citoyenne", "ar": "المشاركة المواطنة"}}`, `{"id": "integrite", "label": {"fr": "Intégrité", "ar": "النزاهة"}}`, 1))
	if status, body := e.serve(t, drop); status != 400 || !strings.Contains(fmt.Sprint(body["errors"]), "participation") {
		t.Errorf("dropping a theme: %d %v", status, body)
	}
	if status, _ := e.serve(t, load(t, "get-plan.json", "")); status != 200 {
		t.Errorf("get after refusal: %d", status)
	}
}

func TestModerationResponseAndCommitments(t *testing.T) {
	for _, lang := range []string{"fr", "ar"} {
		t.Run(lang, func(t *testing.T) {
			e := newEnv(t)
			id := e.submit(t, lang, "karima@example.ma")

			// The moderation queue, then publication.
			status, body := e.serve(t, httpapitest.Load(t, "list-proposals.json"))
			if status != 200 || len(body["items"].([]any)) != 1 {
				t.Fatalf("pending: %d %v", status, body)
			}
			status, body = e.serve(t, load(t, "get-proposal.json", id))
			proposer, _ := body["proposer"].(map[string]any)
			if status != 200 || proposer["email"] != "karima@example.ma" || proposer["consent"].(map[string]any)["noticeVersion"] != "2026-11-01" {
				t.Fatalf("admin view: %d %v", status, body)
			}
			// No response before publication.
			if status, body := e.serve(t, load(t, "respond.json", id)); status != 409 || !strings.Contains(body["detail"].(string), "publiée") {
				t.Errorf("respond to a pending proposal: %d %v", status, body)
			}
			status, body = e.serve(t, load(t, "moderate.json", id))
			if status != 200 || body["moderation"].(map[string]any)["state"] != "published" || body["moderation"].(map[string]any)["by"] != "6c1f2d3e-0000-4000-8000-00000000a001" {
				t.Fatalf("publish: %d %v", status, body)
			}

			// The commitment, the response that links to it, both ways.
			status, commitment := e.serve(t, httpapitest.Load(t, "create-commitment.json"))
			if status != 201 || commitment["number"] != 3.0 {
				t.Fatalf("create commitment: %d %v", status, commitment)
			}
			cid := commitment["id"].(string)
			respond := withBody(t, load(t, "respond.json", id), map[string]any{"outcome": "merged", "commitmentId": cid,
				"justification": map[string]string{"fr": "Fusionnée dans l'engagement 3 sur les budgets communaux.", "ar": "مدمج في الالتزام 3 المتعلق بالميزانيات الجماعية."}})
			status, body = e.serve(t, respond)
			if status != 200 || body["status"] != "merged" || body["commitmentId"] != cid {
				t.Fatalf("respond: %d %v", status, body)
			}
			sent := e.sender.SentOfKind(cocreation.KindResponse)
			wantText := map[string]string{"fr": "Fusionnée dans l'engagement 3", "ar": "مدمج في الالتزام 3"}[lang]
			wantDir := map[string]string{"fr": `dir="ltr"`, "ar": `dir="rtl"`}[lang]
			if len(sent) != 1 || sent[0].To != "karima@example.ma" || string(sent[0].Lang) != lang || !strings.Contains(sent[0].Text, wantText) || !strings.Contains(sent[0].HTML, wantDir) {
				t.Fatalf("response email = %+v", sent)
			}
			status, body = e.serve(t, load(t, "get-commitment.json", cid))
			if status != 200 || fmt.Sprint(body["proposalIds"]) != "["+id+"]" {
				t.Errorf("commitment: %d %v", status, body)
			}
			status, body = e.serve(t, load(t, "update-commitment.json", cid))
			if status != 200 || body["milestones"].([]any)[0].(map[string]any)["status"] != "done" || fmt.Sprint(body["proposalIds"]) != "["+id+"]" {
				t.Errorf("update commitment: %d %v", status, body)
			}

			// Link rules: a merged proposal keeps its commitment; adopted may leave it.
			if status, body := e.serve(t, load(t, "unlink.json", id)); status != 409 {
				t.Errorf("unlink a merged proposal: %d %v", status, body)
			}
			if status, _ := e.serve(t, load(t, "respond.json", id)); status != 200 {
				t.Errorf("respond adopted: %d", status)
			}
			if n := len(e.sender.SentOfKind(cocreation.KindResponse)); n != 2 {
				t.Errorf("response emails after a changed response = %d, want 2", n)
			}
			if status, body := e.serve(t, load(t, "unlink.json", id)); status != 200 || body["commitmentId"] != nil {
				t.Errorf("unlink: %d %v", status, body)
			}
			link := withBody(t, load(t, "link.json", id), map[string]string{"commitmentId": cid})
			if status, body := e.serve(t, link); status != 200 || body["commitmentId"] != cid {
				t.Errorf("link: %d %v", status, body)
			}
			// Hide is refused while linked, then allowed, the reason kept.
			hide := withBody(t, load(t, "moderate.json", id), map[string]string{"action": "hide", "reason": "Doublon d'une autre proposition."})
			if status, _ := e.serve(t, hide); status != 409 {
				t.Errorf("hide a linked proposal: %d", status)
			}
			e.serve(t, load(t, "unlink.json", id))
			status, body = e.serve(t, hide)
			if status != 200 || body["moderation"].(map[string]any)["reason"] != "Doublon d'une autre proposition." {
				t.Errorf("hide: %d %v", status, body)
			}
			if v, err := e.svc.Proposal(t.Context(), id, "", "fr"); err == nil {
				t.Errorf("hidden proposal is public: %+v", v)
			}
			if logs := e.logs.String(); strings.Contains(logs, "karima") || strings.Contains(logs, "Karima") || strings.Contains(logs, "Doublon") {
				t.Errorf("logs hold personal data or the reason")
			}
		})
	}
}

func TestBadInputStoresNothing(t *testing.T) {
	e := newEnv(t)
	id := e.submit(t, "fr", "karima@example.ma")
	_, commitment := e.serve(t, httpapitest.Load(t, "create-commitment.json"))
	cid := commitment["id"].(string)
	other := withBody(t, httpapitest.Load(t, "create-plan.json"), strings.Replace(httpapitest.Load(t, "create-plan.json").Body, "pan-2028-2030", "pan-autre", 1))
	if status, _ := e.serve(t, other); status != 201 {
		t.Fatal("create another plan")
	}
	otherCommit := httpapitest.Load(t, "create-commitment.json")
	otherCommit.PathParameters["id"] = "pan-autre"
	_, oc := e.serve(t, otherCommit)
	before, sent := e.items(t), len(e.sender.Sent())
	plan := func(body string) any { return body }
	cases := []struct {
		name   string
		file   string
		id     string
		body   any
		status int
		field  string
	}{
		{"plan: malformed", "create-plan.json", "", plan(`{"id":`), 400, ""},
		{"plan: nothing", "create-plan.json", "", plan(`{}`), 400, "phases"},
		{"plan: unknown field", "create-plan.json", "", plan(`{"id":"pan-x","budget":1}`), 400, "budget"},
		{"plan: phases overlap", "create-plan.json", "", map[string]any{"id": "pan-x", "title": map[string]string{"fr": "T", "ar": "ت"},
			"phases": []map[string]string{{"kind": "proposals", "startsOn": "2027-01-10", "endsOn": "2027-02-10"}, {"kind": "analysis", "startsOn": "2027-02-10", "endsOn": "2027-03-01"}},
			"themes": []map[string]any{{"id": "t", "label": map[string]string{"fr": "T", "ar": "ت"}}}}, 400, "phases[1].startsOn"},
		{"plan update: unknown plan", "update-plan.json", "", nil, 0, ""},
		{"proposals: unknown moderation", "list-proposals.json", "", nil, 0, ""},
		{"moderation: hide without a reason", "moderate.json", id, map[string]string{"action": "hide"}, 400, "reason"},
		{"moderation: unknown action", "moderate.json", id, map[string]string{"action": "delete"}, 400, "action"},
		{"moderation: unknown proposal", "moderate.json", strings.Repeat("a", 26), nil, 404, ""},
		{"response: unknown outcome", "respond.json", id, map[string]any{"outcome": "accepted"}, 400, "outcome"},
		{"response: justification in French only", "respond.json", id, map[string]any{"outcome": "not_retained", "justification": map[string]string{"fr": "Pas dans le champ du plan."}}, 400, "justification.ar"},
		{"response: merged without its commitment", "respond.json", id, map[string]any{"outcome": "merged", "justification": map[string]string{"fr": "Fusionnée ailleurs.", "ar": "مدمج في مكان آخر."}}, 400, "commitmentId"},
		{"response: commitment of another plan", "respond.json", id, map[string]any{"outcome": "merged", "commitmentId": oc["id"], "justification": map[string]string{"fr": "Fusionnée ailleurs.", "ar": "مدمج في مكان آخر."}}, 400, "commitmentId"},
		{"link: a pending proposal", "link.json", id, map[string]string{"commitmentId": cid}, 409, ""},
		{"link: nothing", "link.json", id, map[string]string{}, 400, "commitmentId"},
		{"link: unknown commitment", "link.json", id, map[string]string{"commitmentId": strings.Repeat("c", 26)}, 400, "commitmentId"},
		{"commitment: wrong fields", "create-commitment.json", "", map[string]any{"number": 0, "title": map[string]string{"fr": "T"}, "milestones": []map[string]any{{"dueOn": "demain", "status": "late"}}}, 400, "milestones[0].dueOn"},
		{"commitment: unknown plan", "create-commitment.json", "", nil, 0, ""},
		{"commitment update: unknown", "update-commitment.json", strings.Repeat("d", 26), nil, 404, ""},
		{"commitment update: wrong type", "update-commitment.json", cid, map[string]any{"number": "3"}, 400, "number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := load(t, c.file, c.id)
			switch c.name {
			case "plan update: unknown plan":
				req.PathParameters["id"], c.status = "pan-1999", 404
			case "proposals: unknown moderation":
				req.QueryStringParameters["moderation"], c.status, c.field = "archived", 400, "moderation"
			case "commitment: unknown plan":
				req.PathParameters["id"], c.status = "pan-1999", 404
			}
			if c.body != nil {
				req = withBody(t, req, c.body)
			}
			status, body := e.serve(t, req)
			if status != c.status {
				t.Fatalf("status = %d, want %d: %v", status, c.status, body)
			}
			if c.field != "" && !strings.Contains(fmt.Sprint(body["errors"]), "field:"+c.field+" ") {
				t.Errorf("no error for %s: %v", c.field, body["errors"])
			}
		})
	}
	if after := e.items(t); after != before || len(e.sender.Sent()) != sent {
		t.Errorf("refused requests stored %d items, sent %d emails", after-before, len(e.sender.Sent())-sent)
	}
}
