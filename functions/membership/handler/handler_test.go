package handler

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"sync"
	"testing"

	"espaceosc/infra/template"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/membership"

	"github.com/aws/aws-lambda-go/events"
	minidyn "github.com/truora/minidyn/aws-v2/client"
)

func TestRoutesMatchTemplate(t *testing.T) {
	template.CheckRoutes(t, "", "MembershipFunction", newEnv(t).router.Routes())
}

var linkRE = regexp.MustCompile(`http://portal\.test/(fr|ar)/adhesion/([a-z0-9]{26})\?token=([A-Za-z0-9_-]{43})`)

func decode(t *testing.T, resp events.APIGatewayV2HTTPResponse, status int) map[string]any {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, status, resp.Body)
	}
	var m map[string]any
	if resp.Body != "" {
		if err := json.Unmarshal([]byte(resp.Body), &m); err != nil {
			t.Fatalf("body %s: %v", resp.Body, err)
		}
	}
	return m
}

func checkProblem(t *testing.T, resp events.APIGatewayV2HTTPResponse, status int, code string) httpapi.Problem {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, status, resp.Body)
	}
	if ct := resp.Headers["Content-Type"]; !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("Content-Type = %q", ct)
	}
	var p httpapi.Problem
	if err := json.Unmarshal([]byte(resp.Body), &p); err != nil {
		t.Fatalf("problem %s: %v", resp.Body, err)
	}
	if p.Type != httpapi.ProblemTypeBase+code || p.Status != status || p.Title == "" || p.Detail == "" {
		t.Errorf("problem = %+v, want type %s status %d", p, code, status)
	}
	return p
}

func fieldMessage(p httpapi.Problem, field string) (string, bool) {
	for _, f := range p.Errors {
		if f.Field == field {
			return f.Message, true
		}
	}
	return "", false
}

func TestJoinConfirmFollowUpUpdateLeave(t *testing.T) {
	e := newEnv(t)
	e.calls.take()
	r := decode(t, e.serve(t, request(t, "join.json", "", "", "")), 201)
	if ops := e.calls.take(); strings.Join(ops, ",") != "TransactWriteItems,PutItem" {
		t.Errorf("a request made %v, want the transaction and the email marked sent", ops)
	}
	id, _ := r["id"].(string)
	if len(id) != 26 || r["status"] != "unconfirmed" {
		t.Fatalf("receipt = %v", r)
	}
	sent := e.sender.Sent()
	if len(sent) != 1 || sent[0].Kind != membership.KindConfirm || sent[0].To != "amina.benali@example.org" || sent[0].RefID != id {
		t.Fatalf("sent = %+v", sent)
	}
	m := linkRE.FindStringSubmatch(sent[0].Text)
	if m == nil || m[1] != "fr" || m[2] != id || !strings.Contains(sent[0].HTML, m[0]) {
		t.Fatalf("confirmation email lacks the private link:\n%s", sent[0].Text)
	}
	token := m[3]
	if !strings.Contains(sent[0].Subject, "Association Tafra pour la transparence") || !strings.Contains(sent[0].Text, "7 jours") {
		t.Errorf("confirmation email: %s\n%s", sent[0].Subject, sent[0].Text)
	}

	// The private link before and after the confirmation: one read, one write.
	v := decode(t, e.serve(t, request(t, "view.json", id, token, "")), 200)
	if v["status"] != "unconfirmed" || v["expiresAt"] != "2026-11-09T09:00:00Z" {
		t.Errorf("view = %v", v)
	}
	e.calls.take()
	confirmed := e.serve(t, request(t, "confirm.json", id, token, ""))
	v = decode(t, confirmed, 200)
	if ops := e.calls.take(); strings.Join(ops, ",") != "Query,TransactWriteItems" {
		t.Errorf("confirm made %v", ops)
	}
	if v["status"] != "pending" || v["confirmedAt"] != "2026-11-02T09:00:00Z" || confirmed.Headers["Referrer-Policy"] != "no-referrer" {
		t.Errorf("confirmed = %v %v", v, confirmed.Headers)
	}
	org := v["organisation"].(map[string]any)
	contact := v["contact"].(map[string]any)
	if org["registrationNumber"] != "RC-2019/1234" || contact["email"] != "amina.benali@example.org" {
		t.Errorf("member view = %v", v)
	}

	// A wrong or missing token is the unknown id's 404.
	unknown := e.serve(t, request(t, "view.json", strings.Repeat("a", 26), token, ""))
	checkProblem(t, unknown, 404, "not_found")
	for i, req := range []events.APIGatewayV2HTTPRequest{
		request(t, "view.json", id, strings.Repeat("A", 43), ""),
		request(t, "view.json", id, "", ""),
		request(t, "view.json", id, token[:42], ""),
		request(t, "confirm.json", id, strings.Repeat("A", 43), ""),
		request(t, "leave.json", id, strings.Repeat("A", 43), ""),
		request(t, "update.json", id, strings.Repeat("A", 43), ""),
	} {
		if resp := e.serve(t, req); resp.StatusCode != 404 || resp.Body != unknown.Body {
			t.Errorf("wrong token %d: %d %s, want %s", i, resp.StatusCode, resp.Body, unknown.Body)
		}
	}

	// Update (pending), in Arabic from now on.
	v = decode(t, e.serve(t, request(t, "update.json", id, token, "")), 200)
	if v["lang"] != "ar" || v["organisation"].(map[string]any)["city"] != "Inezgane" {
		t.Errorf("updated = %v", v)
	}

	// Leaving removes everything of the membership but the departure email.
	before := e.items(t)
	resp := e.serve(t, request(t, "leave.json", id, token, ""))
	if resp.StatusCode != 204 || resp.Body != "" {
		t.Fatalf("leave: %d %s", resp.StatusCode, resp.Body)
	}
	if after := e.items(t); after != before {
		t.Errorf("items %d -> %d: the membership is deleted, the departure email recorded", before, after)
	}
	if left := e.sender.SentOfKind(membership.KindLeft); len(left) != 1 || left[0].Lang != "ar" || !strings.Contains(left[0].HTML, `dir="rtl"`) {
		t.Errorf("departure email = %+v", left)
	}
	checkProblem(t, e.serve(t, request(t, "view.json", id, token, "")), 404, "not_found")

	// Logs carry IDs, never personal data or the token.
	logs := e.logs.String()
	for _, personal := range []string{"amina", "Amina", "Benali", token, "RC-2019", "Tafra"} {
		if strings.Contains(logs, personal) {
			t.Errorf("logs contain %q:\n%s", personal, logs)
		}
	}
	if !strings.Contains(logs, id) {
		t.Errorf("logs do not name the membership %s", id)
	}
}

func TestExpiredConfirmationLink(t *testing.T) {
	e := newEnv(t)
	id, token := e.join(t, nil)
	e.advance(membership.ConfirmWithin + 1)
	before := e.items(t)
	p := checkProblem(t, e.serve(t, request(t, "confirm.json", id, token, "")), 404, "not_found")
	if !strings.Contains(p.Detail, "expiré") || !strings.Contains(p.Detail, "7 jours") {
		t.Errorf("detail = %q", p.Detail)
	}
	p = checkProblem(t, e.serve(t, request(t, "confirm.json", id, token, "", "Accept-Language", "ar")), 404, "not_found")
	if !strings.Contains(p.Detail, "انتهت صلاحية") {
		t.Errorf("Arabic detail = %q", p.Detail)
	}
	if after := e.items(t); after != before {
		t.Errorf("an expired link changed the table: %d -> %d", before, after)
	}
	v, err := e.svc.Get(context.Background(), id)
	if err != nil || v.Status != "unconfirmed" || v.ConfirmedAt != "" {
		t.Errorf("after an expired link: %+v %v", v, err)
	}
}

func TestListingsAreOneQuery(t *testing.T) {
	e := newEnv(t)
	e.group(t, "transparence", "thematic", "", "Transparence", "الشفافية")
	e.group(t, "region-souss-massa", "territorial", "souss-massa", "Région Souss-Massa", "جهة سوس ماسة")
	a, atoken := e.member(t, nil)
	e.member(t, func(m map[string]any) {
		o := m["organisation"].(map[string]any)
		o["name"], o["registrationNumber"], o["region"] = "Émergence citoyenne", "777", "oriental"
		m["themes"] = []string{"integrity", "transparency"}
	})
	e.join(t, func(m map[string]any) { m["organisation"].(map[string]any)["name"] = "Pas encore membre" })
	if _, err := e.svc.RequestGroup(context.Background(), a, atoken, membership.GroupRequestInput{GroupID: "transparence"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.DecideGroupRequest(context.Background(), "transparence", a, membership.Decision{Decision: "approved"}); err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name  string
		req   events.APIGatewayV2HTTPRequest
		names string
	}{
		{"directory by region and theme", request(t, "directory.json", "", "", ""), "Association Tafra pour la transparence"},
		{"directory by theme", func() events.APIGatewayV2HTTPRequest {
			r := request(t, "directory.json", "", "", "")
			delete(r.QueryStringParameters, "region")
			return r
		}(), "Association Tafra pour la transparence,Émergence citoyenne"},
		{"directory by region", func() events.APIGatewayV2HTTPRequest {
			r := request(t, "directory.json", "", "", "")
			r.QueryStringParameters["region"] = "oriental"
			delete(r.QueryStringParameters, "theme")
			return r
		}(), "Émergence citoyenne"},
		{"whole directory", func() events.APIGatewayV2HTTPRequest {
			r := request(t, "directory.json", "", "", "")
			r.QueryStringParameters = map[string]string{}
			return r
		}(), "Association Tafra pour la transparence,Émergence citoyenne"},
		{"working groups", request(t, "groups.json", "", "", ""), "الشفافية,جهة سوس ماسة"},
		{"a group's members", request(t, "group.json", "", "", ""), "Association Tafra pour la transparence"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.calls.take()
			resp := e.serve(t, c.req)
			if ops := e.calls.take(); strings.Join(ops, ",") != "Query" {
				t.Errorf("DynamoDB calls = %v, want one Query", ops)
			}
			body := decode(t, resp, 200)
			items, _ := body["items"].([]any)
			if body["members"] != nil {
				items = body["members"].([]any)
			}
			var names []string
			for _, it := range items {
				names = append(names, it.(map[string]any)["name"].(string))
			}
			if got := strings.Join(names, ","); got != c.names {
				t.Errorf("names = %s, want %s", got, c.names)
			}
			for _, it := range items {
				for _, private := range []string{"contact", "email", "registrationNumber", "legalForm", "tokenHash", "consent"} {
					if _, ok := it.(map[string]any)[private]; ok {
						t.Errorf("public item has %q: %v", private, it)
					}
				}
			}
			if strings.Contains(resp.Body, "amina") || strings.Contains(resp.Body, "RC-2019") {
				t.Errorf("public answer carries personal data: %s", resp.Body)
			}
		})
	}
	page := decode(t, e.serve(t, request(t, "group.json", "", "", "")), 200)
	if page["name"] != "Transparence" || page["kind"] != "thematic" || page["lang"] != "fr" {
		t.Errorf("group page = %v", page)
	}
	opts := decode(t, e.serve(t, request(t, "options.json", "", "", "")), 200)
	if rs := opts["regions"].([]any); len(rs) != 12 || rs[8].(map[string]any)["name"] != "جهة سوس ماسة" || len(opts["themes"].([]any)) != len(membership.DefaultThemes) {
		t.Errorf("options = %v", opts)
	}
}

type badCase struct {
	name   string
	req    events.APIGatewayV2HTTPRequest
	status int
	code   string
	field  string
	text   string // in the field's message, or the detail
}

func TestBadInputStoresNothing(t *testing.T) {
	e := newEnv(t)
	e.group(t, "transparence", "thematic", "", "Transparence", "الشفافية")
	e.group(t, "ancien", "thematic", "", "Ancien groupe", "مجموعة قديمة")
	if _, err := e.svc.UpdateGroup(context.Background(), "ancien", membership.GroupInput{Kind: "thematic", Name: membership.DefaultThemes[0].Name, Status: "closed"}); err != nil {
		t.Fatal(err)
	}
	id, token := e.member(t, nil)
	pid, ptoken := e.join(t, func(m map[string]any) { m["organisation"].(map[string]any)["registrationNumber"] = "other" })

	set := func(path string, v any) func(m map[string]any) {
		return func(m map[string]any) {
			keys := strings.Split(path, ".")
			cur := m
			for _, k := range keys[:len(keys)-1] {
				cur = cur[k].(map[string]any)
			}
			if v == nil {
				delete(cur, keys[len(keys)-1])
			} else {
				cur[keys[len(keys)-1]] = v
			}
		}
	}
	join := func(change func(m map[string]any), headers ...string) events.APIGatewayV2HTTPRequest {
		return request(t, "join.json", "", "", body(t, "join.json", change), headers...)
	}
	upd := func(change func(m map[string]any)) events.APIGatewayV2HTTPRequest {
		return request(t, "update.json", id, token, body(t, "update.json", change))
	}
	grp := func(b string) events.APIGatewayV2HTTPRequest { return request(t, "group-request.json", id, token, b) }
	query := func(name string, q map[string]string) events.APIGatewayV2HTTPRequest {
		r := request(t, name, "", "", "")
		r.QueryStringParameters = q
		return r
	}
	unknownGroup := request(t, "group.json", "", "", "")
	unknownGroup.PathParameters["id"] = "nope"
	cases := []badCase{
		{"malformed JSON", request(t, "join.json", "", "", `{"organisation":`), 400, "invalid", "", ""},
		{"not JSON", request(t, "join.json", "", "", `name=x`, "content-type", "application/x-www-form-urlencoded"), 415, "unsupported_media_type", "", ""},
		{"body over 64 KiB", join(set("organisation.city", strings.Repeat("a", 70<<10))), 413, "too_large", "", ""},
		{"unknown field", join(set("phone", "+212600000000")), 400, "invalid", "phone", "inconnu"},
		{"consent false", join(set("consent", false)), 400, "invalid", "consent", "09-08"},
		{"consent absent", join(set("consent", nil)), 400, "invalid", "consent", "09-08"},
		{"CR/LF in the name", join(set("organisation.name", "Tafra\r\nBcc: x@example.org")), 400, "invalid", "organisation.name", "retour à la ligne"},
		{"control character in the city", join(set("organisation.city", "Aga\u0007dir")), 400, "invalid", "organisation.city", "non autorisés"},
		{"name too long", join(set("organisation.name", strings.Repeat("é", 201))), 400, "invalid", "organisation.name", "200"},
		{"bad email", join(set("contact.email", "amina@")), 400, "invalid", "contact.email", "e-mail"},
		{"unknown region", join(set("organisation.region", "atlantis")), 400, "invalid", "organisation.region", "souss-massa"},
		{"unknown theme", join(set("themes", []string{"weather"})), 400, "invalid", "themes[0]", "transparency"},
		{"no theme", join(set("themes", []string{})), 400, "invalid", "themes", "obligatoire"},
		{"registration number with #", join(set("organisation.registrationNumber", "12#4")), 400, "invalid", "organisation.registrationNumber", "lettres et chiffres"},
		{"unknown lang", join(set("lang", "en")), 400, "invalid", "lang", "fr, ar"},
		{"themes is a string", join(set("themes", "transparency")), 400, "invalid", "themes", "array"},
		{"empty Idempotency-Key", join(nil, "Idempotency-Key", ""), 400, "invalid", "Idempotency-Key", "Idempotency-Key"},
		{"update: bad email", upd(set("contact.email", "x")), 400, "invalid", "contact.email", "e-mail"},
		{"update: consent is not a detail", upd(set("consent", true)), 400, "invalid", "consent", "inconnu"},
		{"update: unconfirmed", request(t, "update.json", pid, ptoken, ""), 409, "conflict", "", "Confirmez d'abord"},
		{"group request: unknown group", grp(`{"groupId":"nope"}`), 400, "invalid", "groupId", "Aucun groupe"},
		{"group request: closed group", grp(`{"groupId":"ancien"}`), 409, "conflict", "", "clos"},
		{"group request: motivation too long", grp(`{"groupId":"transparence","motivation":"` + strings.Repeat("m", 2001) + `"}`), 400, "invalid", "motivation", "2000"},
		{"group request: not a member", request(t, "group-request.json", pid, ptoken, ""), 409, "conflict", "", "membre de l'espace"},
		{"group request: missing group", grp(`{}`), 400, "invalid", "groupId", "obligatoire"},
		{"directory: unknown region", query("directory.json", map[string]string{"region": "atlantis"}), 400, "invalid", "region", ""},
		{"directory: unknown theme", query("directory.json", map[string]string{"theme": "weather"}), 400, "invalid", "theme", ""},
		{"directory: bad limit", query("directory.json", map[string]string{"limit": "500"}), 400, "invalid", "limit", "50"},
		{"directory: bad cursor", query("directory.json", map[string]string{"cursor": "bm9wZQ"}), 400, "invalid", "cursor", ""},
		{"groups: unknown kind", query("groups.json", map[string]string{"kind": "secret"}), 400, "invalid", "kind", "thematic"},
		{"groups: unknown lang", query("groups.json", map[string]string{"lang": "en"}), 400, "invalid", "lang", ""},
		{"group: unknown", unknownGroup, 404, "not_found", "", "introuvable"},
		{"options: unknown lang", query("options.json", map[string]string{"lang": "es"}), 400, "invalid", "lang", ""},
		{"leave: malformed id", request(t, "leave.json", "../x", token, ""), 404, "not_found", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := e.items(t)
			resp := e.serve(t, c.req)
			p := checkProblem(t, resp, c.status, c.code)
			if c.field != "" {
				msg, ok := fieldMessage(p, c.field)
				if !ok {
					t.Fatalf("errors = %+v, want field %q", p.Errors, c.field)
				}
				if !strings.Contains(msg, c.text) {
					t.Errorf("message of %s = %q, want %q in it", c.field, msg, c.text)
				}
			} else if !strings.Contains(p.Detail, c.text) {
				t.Errorf("detail = %q, want %q in it", p.Detail, c.text)
			}
			if after := e.items(t); after != before {
				t.Errorf("a refused request changed the table: %d -> %d items", before, after)
			}
		})
	}
	// A confirmed request may take a member's registration number; its
	// approval is refused (the administrators' function answers 409).
	decode(t, e.serve(t, request(t, "confirm.json", pid, ptoken, "")), 200)
	resp := e.serve(t, request(t, "update.json", pid, ptoken, body(t, "update.json", set("organisation.registrationNumber", "RC-2019/1234"))))
	decode(t, resp, 200)
	if _, err := e.svc.Decide(context.Background(), pid, membership.Decision{Decision: "approved"}); err == nil || !strings.Contains(err.Error(), "registration_taken") {
		t.Errorf("approving a duplicate registration number: %v", err)
	}
}

func TestBadInputInArabic(t *testing.T) {
	e := newEnv(t)
	b := body(t, "join.json", func(m map[string]any) { m["consent"] = false; m["contact"].(map[string]any)["email"] = "x" })
	p := checkProblem(t, e.serve(t, request(t, "join.json", "", "", b, "Accept-Language", "ar-MA,ar;q=0.9")), 400, "invalid")
	if p.Title != "طلب غير صالح" {
		t.Errorf("title = %q", p.Title)
	}
	if msg, _ := fieldMessage(p, "contact.email"); msg != "عنوان البريد الإلكتروني غير صالح." {
		t.Errorf("email message = %q", msg)
	}
	b = body(t, "join.json", func(m map[string]any) { m["organisation"].(map[string]any)["registrationNumber"] = "1#2" })
	p = checkProblem(t, e.serve(t, request(t, "join.json", "", "", b, "Accept-Language", "ar")), 400, "invalid")
	if msg, _ := fieldMessage(p, "organisation.registrationNumber"); !strings.Contains(msg, "حروف وأرقام") {
		t.Errorf("registration message = %q", msg)
	}
	if n := e.items(t); n != 0 {
		t.Errorf("%d items after refused requests", n)
	}
}

func TestIdempotentJoin(t *testing.T) {
	e := newEnv(t)
	const n = 10
	bodies, statuses := make([]string, n), make([]int, n)
	req := request(t, "join.json", "", "", "", "Idempotency-Key", "join-7f3a")
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _ := e.router.Serve(context.Background(), req)
			bodies[i], statuses[i] = resp.Body, resp.StatusCode
		}()
	}
	wg.Wait()
	for i := range n {
		if statuses[i] != 201 || bodies[i] != bodies[0] {
			t.Errorf("attempt %d: %d %s, want 201 %s", i, statuses[i], bodies[i], bodies[0])
		}
	}
	// The membership, its email, the idempotency record; one email sent.
	if got := e.items(t); got != 3 {
		t.Errorf("items = %d, want 3", got)
	}
	if got := len(e.sender.Sent()); got != 1 {
		t.Errorf("sent %d emails, want 1", got)
	}
	other := body(t, "join.json", func(m map[string]any) { m["organisation"].(map[string]any)["city"] = "Tiznit" })
	checkProblem(t, e.serve(t, request(t, "join.json", "", "", other, "Idempotency-Key", "join-7f3a")), 422, "unprocessable")
	if got := e.items(t); got != 3 {
		t.Errorf("items after a reused key = %d, want 3", got)
	}
}

func TestWhileDynamoDBIsDown(t *testing.T) {
	e := newEnv(t)
	minidyn.EmulateFailure(e.db, minidyn.FailureConditionInternalServerError)
	resp := e.serve(t, request(t, "join.json", "", "", "", "Idempotency-Key", "k-503"))
	checkProblem(t, resp, 503, "unavailable")
	if resp.Headers["Retry-After"] == "" {
		t.Errorf("503 without Retry-After")
	}
	checkProblem(t, e.serve(t, request(t, "directory.json", "", "", "")), 503, "unavailable")
	minidyn.EmulateFailure(e.db, minidyn.FailureConditionNone)
	if n := e.items(t); n != 0 || len(e.sender.Sent()) != 0 {
		t.Errorf("a failed request stored %d items, sent %d emails", n, len(e.sender.Sent()))
	}
	decode(t, e.serve(t, request(t, "join.json", "", "", "", "Idempotency-Key", "k-503")), 201)
}
