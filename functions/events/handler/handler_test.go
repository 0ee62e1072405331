package handler

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"espaceosc/infra/template"
	"espaceosc/shared/events"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
)

func TestRoutesMatchTemplate(t *testing.T) {
	template.CheckRoutes(t, "", "EventsFunction", newEnv(t).router.Routes())
}

var linkRE = regexp.MustCompile(`http://portal\.test/(fr|ar)/registrations/([a-z0-9]{26})\?token=([A-Za-z0-9_-]{43})`)

// personal is what the logs must never carry of register.json's registrant.
var personal = []string{"Salma", "Idrissi", "salma.idrissi", "example.org", "Tafra", "+212", "12 34 56"}

func checkLogs(t *testing.T, e *env, secrets ...string) {
	t.Helper()
	logs := e.logs.String()
	for _, p := range append(personal, secrets...) {
		if p != "" && strings.Contains(logs, p) {
			t.Errorf("logs contain %q:\n%s", p, logs)
		}
	}
}

func TestRegisterManageWithdraw(t *testing.T) {
	e := newEnv(t)
	e.published(t, eventInput("atelier-cocreation-pan", 1, 5))

	// Register: a seat, two DynamoDB calls (the event, one transaction), and
	// the confirmation with its .ics delivered at once.
	e.calls.reset()
	r := decode[events.Receipt](t, e.serve(t, registerRequest(t, "atelier-cocreation-pan", "")), 201)
	if got := e.calls.own(); got != 2 {
		t.Errorf("a registration made %d DynamoDB calls, want 2 (read the event, one transaction)", got)
	}
	if got := e.calls.writes.Load(); got > 1 {
		t.Errorf("delivering its email made %d DynamoDB calls, want at most 1 (mark sent)", got)
	}
	if r.Status != events.RegConfirmed || len(r.ID) != 26 || len(r.Code) != 8 || r.Position != 0 {
		t.Errorf("receipt = %+v", r)
	}
	sent := e.sender.SentOfKind(events.KindConfirmed)
	if len(sent) != 1 {
		t.Fatalf("confirmations = %d, want 1", len(sent))
	}
	c := sent[0]
	if c.To != "salma.idrissi@example.org" || c.RefID != r.ID || c.Lang != "fr" || !strings.HasPrefix(c.Subject, "Inscription confirmée — Atelier") {
		t.Errorf("confirmation: to %q ref %q lang %q subject %q", c.To, c.RefID, c.Lang, c.Subject)
	}
	if len(c.Attachments) != 1 || !strings.Contains(string(c.Attachments[0].Data), "UID:"+r.ID+"@espace-osc") {
		t.Errorf("confirmation lacks its .ics")
	}
	m := linkRE.FindStringSubmatch(c.Text)
	if m == nil || m[2] != r.ID || !strings.Contains(c.Text, r.Code) {
		t.Fatalf("confirmation lacks the manage link or the code:\n%s", c.Text)
	}
	token := m[3]

	// Manage: the registration with its event, private headers, two reads.
	e.calls.reset()
	resp := e.serve(t, privateRequest(t, "manage.json", r.ID, token))
	v := decode[map[string]any](t, resp, 200)
	if e.calls.own() != 2 {
		t.Errorf("manage made %d DynamoDB calls, want 2", e.calls.own())
	}
	if resp.Headers["Cache-Control"] != "no-store" || resp.Headers["Referrer-Policy"] != "no-referrer" {
		t.Errorf("manage headers = %v", resp.Headers)
	}
	ev, _ := v["event"].(map[string]any)
	if v["id"] != r.ID || v["status"] != "confirmed" || v["code"] != r.Code || v["fullName"] != "Salma Idrissi" || ev["id"] != "atelier-cocreation-pan" || ev["seatsLeft"] != 0.0 {
		t.Errorf("manage view = %v", v)
	}
	for _, private := range []string{"email", "phone", "tokenHash", "answers"} {
		if _, ok := v[private]; ok {
			t.Errorf("manage view has %q", private)
		}
	}
	// A wrong or missing token is the unknown id's 404.
	unknown := e.serve(t, privateRequest(t, "manage.json", strings.Repeat("a", 26), token))
	if unknown.StatusCode != 404 {
		t.Fatalf("unknown id: %d", unknown.StatusCode)
	}
	for _, bad := range []string{strings.Repeat("A", 43), "", token[:42]} {
		if resp := e.serve(t, privateRequest(t, "manage.json", r.ID, bad)); resp.StatusCode != 404 || resp.Body != unknown.Body {
			t.Errorf("token %q: %d %s, want %s", bad, resp.StatusCode, resp.Body, unknown.Body)
		}
	}

	// A second person waits; the first withdraws and the second is promoted.
	w := decode[events.Receipt](t, e.serve(t, registerRequest(t, "atelier-cocreation-pan", "amina.benali@example.ma")), 201)
	if w.Status != events.RegWaitlisted || w.Position != 1 {
		t.Fatalf("second receipt = %+v", w)
	}
	resp = e.serve(t, privateRequest(t, "withdraw.json", r.ID, token))
	v = decode[map[string]any](t, resp, 200)
	if v["status"] != "cancelled" || resp.Headers["Cache-Control"] != "no-store" {
		t.Errorf("withdraw: %v %v", v, resp.Headers)
	}
	if n := len(e.sender.SentOfKind(events.KindWithdrawn)); n != 1 {
		t.Errorf("withdrawal acknowledgements = %d, want 1", n)
	}
	promoted := e.sender.SentOfKind(events.KindPromoted)
	if len(promoted) != 1 || promoted[0].RefID != w.ID || promoted[0].To != "amina.benali@example.ma" || len(promoted[0].Attachments) != 1 {
		t.Errorf("promotions = %+v", promoted)
	}
	// Withdrawing again answers the same.
	if v := decode[map[string]any](t, e.serve(t, privateRequest(t, "withdraw.json", r.ID, token)), 200); v["status"] != "cancelled" {
		t.Errorf("withdraw again = %v", v)
	}
	if n := len(e.sender.SentOfKind(events.KindWithdrawn)); n != 1 {
		t.Errorf("withdrawal acknowledgements after a second DELETE = %d, want 1", n)
	}

	checkLogs(t, e, token, "amina")
	if logs := e.logs.String(); !strings.Contains(logs, r.ID) || !strings.Contains(logs, w.ID) {
		t.Errorf("logs do not name the registrations:\n%s", logs)
	}
}

func TestRegisterDuplicateResendsTheLink(t *testing.T) {
	e := newEnv(t)
	e.published(t, eventInput("atelier-cocreation-pan", 10, 0))
	first := decode[events.Receipt](t, e.serve(t, registerRequest(t, "atelier-cocreation-pan", "")), 201)
	oldToken := linkRE.FindStringSubmatch(e.sender.Sent()[0].Text)[3]
	before := e.items(t)
	for range 3 {
		resp := e.serve(t, registerRequest(t, "atelier-cocreation-pan", "Salma.Idrissi@Example.org"))
		p := decode[httpapi.Problem](t, resp, 409)
		if !strings.Contains(p.Detail, "déjà inscrite") {
			t.Errorf("duplicate detail = %q", p.Detail)
		}
	}
	links := e.sender.SentOfKind(events.KindLink)
	if len(links) != 1 || links[0].RefID != first.ID {
		t.Fatalf("link emails = %d, want 1 (one per burst)", len(links))
	}
	m := linkRE.FindStringSubmatch(links[0].Text)
	if m == nil || m[2] != first.ID || m[3] == oldToken {
		t.Fatalf("the link email lacks a new link:\n%s", links[0].Text)
	}
	// The new link opens the registration, the old one no longer does.
	if resp := e.serve(t, privateRequest(t, "manage.json", first.ID, m[3])); resp.StatusCode != 200 {
		t.Errorf("new link: %d", resp.StatusCode)
	}
	if resp := e.serve(t, privateRequest(t, "manage.json", first.ID, oldToken)); resp.StatusCode != 404 {
		t.Errorf("old link: %d, want 404", resp.StatusCode)
	}
	if after := e.items(t); after != before+1 {
		t.Errorf("duplicates stored %d items, want only the link email", after-before)
	}
	if v, _ := e.svc.Get(t.Context(), "atelier-cocreation-pan"); v.Confirmed != 1 {
		t.Errorf("confirmed = %d, want 1", v.Confirmed)
	}
	checkLogs(t, e, oldToken, m[3])
}

func TestRegisterIdempotencyKey(t *testing.T) {
	e := newEnv(t)
	e.published(t, eventInput("atelier-cocreation-pan", 10, 0))
	first := e.serve(t, registerRequest(t, "atelier-cocreation-pan", "", "Idempotency-Key", "k-1"))
	if first.StatusCode != 201 {
		t.Fatalf("first: %d %s", first.StatusCode, first.Body)
	}
	e.calls.reset()
	again := e.serve(t, registerRequest(t, "atelier-cocreation-pan", "", "Idempotency-Key", "k-1"))
	if again.StatusCode != 201 || again.Body != first.Body {
		t.Errorf("retry: %d %s, want %s", again.StatusCode, again.Body, first.Body)
	}
	if n := len(e.sender.Sent()); n != 1 {
		t.Errorf("emails = %d, want 1", n)
	}
	other := e.serve(t, registerRequest(t, "atelier-cocreation-pan", "autre@example.ma", "Idempotency-Key", "k-1"))
	if p := decode[httpapi.Problem](t, other, 422); p.Type != httpapi.ProblemTypeBase+"unprocessable" || p.Detail == "" {
		t.Errorf("same key, other body: %+v", p)
	}
	for _, bad := range []string{"", "a b", strings.Repeat("k", 101)} {
		p := decode[httpapi.Problem](t, e.serve(t, registerRequest(t, "atelier-cocreation-pan", "x@example.ma", "Idempotency-Key", bad)), 400)
		if len(p.Errors) != 1 || p.Errors[0].Field != "Idempotency-Key" {
			t.Errorf("key %q: %+v", bad, p)
		}
	}
	if v, _ := e.svc.Get(t.Context(), "atelier-cocreation-pan"); v.Confirmed != 1 {
		t.Errorf("confirmed = %d, want 1", v.Confirmed)
	}
}

func TestRegisterRefused(t *testing.T) {
	e := newEnv(t)
	e.published(t, eventInput("atelier-cocreation-pan", 10, 0))
	draft := eventInput("atelier-brouillon", 10, 0)
	if _, err := e.svc.Create(t.Context(), draft); err != nil {
		t.Fatal(err)
	}
	before := e.items(t)
	set := func(k string, v any) string {
		var m map[string]any
		_ = json.Unmarshal([]byte(httpapitest.Load(t, "register.json").Body), &m)
		m[k] = v
		b, _ := json.Marshal(m)
		return string(b)
	}
	cases := []struct {
		name, event, body string
		status            int
		field             string
	}{
		{"unknown event", "inconnu", "", 404, ""},
		{"draft", "atelier-brouillon", "", 409, ""},
		{"consent", "atelier-cocreation-pan", set("consent", false), 400, "consent"},
		{"required answer", "atelier-cocreation-pan", set("answers", map[string]any{}), 400, "answers.role"},
		{"choice not offered", "atelier-cocreation-pan", set("answers", map[string]any{"role": "ministre"}), 400, "answers.role"},
		{"email", "atelier-cocreation-pan", set("email", "salma@"), 400, "email"},
		{"unknown field", "atelier-cocreation-pan", set("admin", true), 400, "admin"},
		{"malformed", "atelier-cocreation-pan", `{"fullName":`, 400, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := registerRequest(t, c.event, "")
			if c.body != "" {
				req.Body = c.body
			}
			p := decode[httpapi.Problem](t, e.serve(t, req), c.status)
			if c.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != c.field) {
				t.Errorf("errors = %+v, want field %s", p.Errors, c.field)
			}
		})
	}
	if after := e.items(t); after != before {
		t.Errorf("refused registrations stored %d items", after-before)
	}
	if n := len(e.sender.Sent()); n != 0 {
		t.Errorf("%d emails for refused registrations", n)
	}
	checkLogs(t, e)
}

func TestListAndGetEvents(t *testing.T) {
	e := newEnv(t)
	for _, id := range []string{"atelier-un", "atelier-deux", "atelier-trois"} {
		e.published(t, eventInput(id, 10, 0))
	}
	if _, err := e.svc.Create(t.Context(), eventInput("atelier-brouillon", 10, 0)); err != nil {
		t.Fatal(err)
	}
	req := httpapitest.Load(t, "list.json")
	req.QueryStringParameters["limit"] = "2"
	resp := e.serve(t, req)
	page := decode[map[string]any](t, resp, 200)
	if resp.Headers["Cache-Control"] != "public, max-age=30" {
		t.Errorf("list headers = %v", resp.Headers)
	}
	items, _ := page["items"].([]any)
	next, _ := page["nextCursor"].(string)
	if len(items) != 2 || next == "" {
		t.Fatalf("first page = %v", page)
	}
	req.QueryStringParameters["cursor"] = next
	resp = e.serve(t, req)
	if page := decode[map[string]any](t, resp, 200); len(page["items"].([]any)) != 1 {
		t.Errorf("second page = %v", page)
	}
	if strings.Contains(resp.Body, "nextCursor") {
		t.Errorf("the last page has a nextCursor: %s", resp.Body)
	}

	get := httpapitest.Load(t, "get.json")
	get.PathParameters["id"] = "atelier-deux"
	resp = e.serve(t, get)
	v := decode[map[string]any](t, resp, 200)
	if v["title"] != "ورشة الإنشاء المشترك" || v["registrationOpen"] != true || resp.Headers["Cache-Control"] != "public, max-age=10" {
		t.Errorf("GET event = %v %v", v, resp.Headers)
	}
	get.PathParameters["id"] = "atelier-brouillon"
	decode[httpapi.Problem](t, e.serve(t, get), 404)
	bad := httpapitest.Load(t, "list.json")
	bad.QueryStringParameters["upcoming"] = "bientot"
	decode[httpapi.Problem](t, e.serve(t, bad), 400)
}
