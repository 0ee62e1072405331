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
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/observations"

	"github.com/aws/aws-lambda-go/events"
	minidyn "github.com/truora/minidyn/aws-v2/client"
)

func TestRoutesMatchTemplate(t *testing.T) {
	template.CheckRoutes(t, "", "ObservationsFunction", newEnv(t).router.Routes())
}

var (
	referenceRE = regexp.MustCompile(`^OBS-\d{4}-[0-9A-HJKMNP-TV-Z]{6}$`)
	linkRE      = regexp.MustCompile(`http://portal\.test/(fr|ar)/observations/([a-z0-9]+)\?token=([A-Za-z0-9_-]{43})`)
)

func decodeReceipt(t *testing.T, resp events.APIGatewayV2HTTPResponse) observations.Receipt {
	t.Helper()
	if resp.StatusCode != 201 {
		t.Fatalf("status = %d, want 201; body %s", resp.StatusCode, resp.Body)
	}
	var r observations.Receipt
	if err := json.Unmarshal([]byte(resp.Body), &r); err != nil {
		t.Fatalf("receipt %s: %v", resp.Body, err)
	}
	return r
}

func TestSubmitAcknowledgesAndFollowUp(t *testing.T) {
	e := newEnv(t)
	resp := e.serve(t, submitRequest(t, ""))
	if got := e.calls.n.Load(); got > 3 {
		t.Errorf("a submission made %d DynamoDB calls, want at most 3", got)
	}
	r := decodeReceipt(t, resp)
	if !referenceRE.MatchString(r.Reference) || r.Status != observations.Received || len(r.ID) != 26 {
		t.Errorf("receipt = %+v", r)
	}

	sent := e.sender.Sent()
	if len(sent) != 1 {
		t.Fatalf("emails sent = %d, want 1", len(sent))
	}
	ack := sent[0]
	if ack.To != "amina.benali@example.org" || ack.Kind != observations.KindAck || ack.RefID != r.ID || ack.Lang != "fr" {
		t.Errorf("ack = to %q kind %q ref %q lang %q", ack.To, ack.Kind, ack.RefID, ack.Lang)
	}
	if !strings.Contains(ack.Subject, r.Reference) || strings.ContainsAny(ack.Subject, "\r\n") {
		t.Errorf("subject = %q", ack.Subject)
	}
	for _, part := range []string{ack.Text, ack.HTML} {
		if !strings.Contains(part, r.Reference) || !strings.Contains(part, "Publier les budgets des communes") {
			t.Errorf("ack lacks the reference or subject:\n%s", part)
		}
	}
	if !strings.Contains(ack.HTML, `<html lang="fr" dir="ltr">`) {
		t.Errorf("HTML is not French LTR:\n%s", ack.HTML)
	}
	m := linkRE.FindStringSubmatch(ack.Text)
	if m == nil || m[1] != "fr" || m[2] != r.ID {
		t.Fatalf("ack text lacks the follow-up link of %s:\n%s", r.ID, ack.Text)
	}
	if !strings.Contains(ack.HTML, m[0]) {
		t.Errorf("ack HTML lacks the link %s", m[0])
	}
	token := m[3]

	// The author's link shows the observation; one DynamoDB call.
	e.calls.n.Store(0)
	resp = e.serve(t, followUpRequest(t, r.ID, token))
	if resp.StatusCode != 200 {
		t.Fatalf("follow-up: status %d, body %s", resp.StatusCode, resp.Body)
	}
	if got := e.calls.n.Load(); got != 1 {
		t.Errorf("follow-up made %d DynamoDB calls, want 1", got)
	}
	var view map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &view); err != nil {
		t.Fatal(err)
	}
	if view["id"] != r.ID || view["reference"] != r.Reference || view["status"] != "received" || view["subject"] != "Publier les budgets des communes" || view["topic"] != "open_data" {
		t.Errorf("author view = %v", view)
	}
	for _, private := range []string{"email", "name", "message", "response", "tokenHash"} {
		if _, ok := view[private]; ok {
			t.Errorf("author view has %q: %v", private, view)
		}
	}

	// A wrong or missing token is a 404 exactly like an unknown id.
	unknown := e.serve(t, followUpRequest(t, strings.Repeat("a", 26), token))
	if unknown.StatusCode != 404 {
		t.Fatalf("unknown id: status %d", unknown.StatusCode)
	}
	wrong := []events.APIGatewayV2HTTPRequest{
		followUpRequest(t, r.ID, strings.Repeat("A", 43)),
		followUpRequest(t, r.ID, ""),
		followUpRequest(t, r.ID, token[:42]),
	}
	for i, req := range wrong {
		resp := e.serve(t, req)
		if resp.StatusCode != 404 || resp.Body != unknown.Body {
			t.Errorf("wrong token %d: %d %s, want the unknown id's 404 %s", i, resp.StatusCode, resp.Body, unknown.Body)
		}
	}

	// Logs carry IDs, never personal data or the token.
	logs := e.logs.String()
	for _, personal := range []string{"amina", "Amina", "Benali", token, "Publier"} {
		if strings.Contains(logs, personal) {
			t.Errorf("logs contain %q:\n%s", personal, logs)
		}
	}
	if !strings.Contains(logs, r.ID) {
		t.Errorf("logs do not name the observation %s", r.ID)
	}
}

func TestSubmitArabicEmailIsRTLAndEscaped(t *testing.T) {
	e := newEnv(t)
	body := validBody(t, func(m map[string]any) {
		m["lang"] = "ar"
		m["name"] = `أمينة <script>alert("x")</script>`
		m["subject"] = `نشر الميزانيات & <b>البيانات</b>`
	})
	r := decodeReceipt(t, e.serve(t, submitRequest(t, body)))
	sent := e.sender.Sent()
	if len(sent) != 1 {
		t.Fatalf("emails sent = %d, want 1", len(sent))
	}
	ack := sent[0]
	for _, want := range []string{`<html lang="ar" dir="rtl">`, "&lt;script&gt;", "&lt;b&gt;البيانات&lt;/b&gt;", "&amp;", r.Reference, portalOrigin + "/ar/observations/" + r.ID + "?token="} {
		if !strings.Contains(ack.HTML, want) {
			t.Errorf("Arabic HTML lacks %q:\n%s", want, ack.HTML)
		}
	}
	if strings.Contains(ack.HTML, "<script>") || strings.Contains(ack.HTML, "<b>") {
		t.Errorf("HTML carries user markup unescaped:\n%s", ack.HTML)
	}
	if !strings.Contains(ack.Text, "مرحبًا") || !strings.Contains(ack.Subject, "إشعار باستلام") {
		t.Errorf("Arabic email: subject %q text %s", ack.Subject, ack.Text)
	}
}

type badCase struct {
	name    string
	req     func(t *testing.T) events.APIGatewayV2HTTPRequest
	status  int
	code    string
	field   string // expected in errors[], if any
	message string // expected (substring) of that field's message, if any
}

func badCases() []badCase {
	body := func(change func(m map[string]any), headers ...string) func(t *testing.T) events.APIGatewayV2HTTPRequest {
		return func(t *testing.T) events.APIGatewayV2HTTPRequest {
			return submitRequest(t, validBody(t, change), headers...)
		}
	}
	raw := func(b string, headers ...string) func(t *testing.T) events.APIGatewayV2HTTPRequest {
		return func(t *testing.T) events.APIGatewayV2HTTPRequest { return submitRequest(t, b, headers...) }
	}
	set := func(k string, v any) func(m map[string]any) { return func(m map[string]any) { m[k] = v } }
	del := func(k string) func(m map[string]any) { return func(m map[string]any) { delete(m, k) } }
	return []badCase{
		{"malformed JSON", raw(`{"topic":"open_data",`), 400, "invalid", "", ""},
		{"not an object", raw(`[1,2]`), 400, "invalid", "", ""},
		{"trailing data", raw(validBodyStatic + `{}`), 400, "invalid", "", ""},
		{"not JSON", raw(`topic=open_data`, "content-type", "application/x-www-form-urlencoded"), 415, "unsupported_media_type", "", ""},
		{"subject is a number", body(set("subject", 42)), 400, "invalid", "subject", "string"},
		{"consent is a string", body(set("consent", "yes")), 400, "invalid", "consent", ""},
		{"missing subject", body(del("subject")), 400, "invalid", "subject", "obligatoire"},
		{"missing email", body(del("email")), 400, "invalid", "email", ""},
		{"unknown field", body(set("phone", "+212600000000")), 400, "invalid", "phone", "inconnu"},
		{"body over 64 KiB", body(set("message", strings.Repeat("a", 70<<10))), 413, "too_large", "", ""},
		{"invalid email", body(set("email", "amina@")), 400, "invalid", "email", "e-mail"},
		{"email with display name", body(set("email", "Amina <amina@example.org>")), 400, "invalid", "email", ""},
		{"consent false", body(set("consent", false)), 400, "invalid", "consent", "09-08"},
		{"consent absent", body(del("consent")), 400, "invalid", "consent", "09-08"},
		{"consent null", body(set("consent", nil)), 400, "invalid", "consent", "09-08"},
		{"LF in name", body(set("name", "Amina\nBcc: x@example.org")), 400, "invalid", "name", "retour à la ligne"},
		{"CR/LF in subject", body(set("subject", "Budget\r\nBcc: x@example.org")), 400, "invalid", "subject", "retour à la ligne"},
		{"CR in organisation", body(set("organisation", "Tafra\rX")), 400, "invalid", "organisation", ""},
		{"unknown lang", body(set("lang", "en")), 400, "invalid", "lang", "fr, ar"},
		{"missing lang", body(del("lang")), 400, "invalid", "lang", "obligatoire"},
		{"unknown topic", body(set("topic", "weather")), 400, "invalid", "topic", "action_plan"},
		{"subject too long", body(set("subject", strings.Repeat("é", 201))), 400, "invalid", "subject", "200"},
		{"subject too short", body(set("subject", "ab")), 400, "invalid", "subject", "3"},
		{"message too short", body(set("message", "court")), 400, "invalid", "message", "10"},
		{"message too long", body(set("message", strings.Repeat("م", 5001))), 400, "invalid", "message", "5000"},
		{"name too long", body(set("name", strings.Repeat("n", 121))), 400, "invalid", "name", "120"},
		{"organisation too long", body(set("organisation", strings.Repeat("o", 201))), 400, "invalid", "organisation", "200"},
		{"email too long", body(set("email", strings.Repeat("a", 250)+"@example.org")), 400, "invalid", "email", ""},
		{"control character", body(set("message", "Bonjour \x00 le monde, voici un message.")), 400, "invalid", "message", ""},
		{"empty Idempotency-Key", body(nil, "Idempotency-Key", ""), 400, "invalid", "Idempotency-Key", "Idempotency-Key"},
		{"Idempotency-Key with a space", body(nil, "Idempotency-Key", "a b"), 400, "invalid", "Idempotency-Key", ""},
		{"Idempotency-Key too long", body(nil, "Idempotency-Key", strings.Repeat("k", 101)), 400, "invalid", "Idempotency-Key", ""},
	}
}

const validBodyStatic = `{"topic":"open_data","subject":"Budgets","message":"Publier les budgets.","name":"Amina","email":"amina@example.org","lang":"fr","consent":true}`

func TestSubmitBadInput(t *testing.T) {
	e := newEnv(t)
	for _, c := range badCases() {
		t.Run(c.name, func(t *testing.T) {
			resp := e.serve(t, c.req(t))
			p := checkProblem(t, resp, c.status, c.code)
			if c.field != "" {
				msg, ok := fieldMessage(p, c.field)
				if !ok {
					t.Fatalf("errors = %+v, want field %q", p.Errors, c.field)
				}
				if !strings.Contains(msg, c.message) {
					t.Errorf("message of %s = %q, want it to contain %q", c.field, msg, c.message)
				}
			}
		})
	}
	if n := e.items(t); n != 0 {
		t.Errorf("table holds %d items after refused requests, want 0", n)
	}
	if n := len(e.sender.Sent()); n != 0 {
		t.Errorf("%d emails sent for refused requests", n)
	}
}

func TestSubmitBadInputInArabic(t *testing.T) {
	e := newEnv(t)
	body := validBody(t, func(m map[string]any) { m["consent"] = false; m["email"] = "x" })
	resp := e.serve(t, submitRequest(t, body, "Accept-Language", "ar-MA,ar;q=0.9,fr;q=0.5"))
	p := checkProblem(t, resp, 400, "invalid")
	if p.Title != "طلب غير صالح" || resp.Headers["Content-Language"] != "ar" {
		t.Errorf("title = %q (Content-Language %q), want the Arabic title", p.Title, resp.Headers["Content-Language"])
	}
	if msg, _ := fieldMessage(p, "consent"); !strings.Contains(msg, "09-08") || !strings.Contains(msg, "يجب") {
		t.Errorf("consent message = %q", msg)
	}
	if msg, _ := fieldMessage(p, "email"); msg != "عنوان البريد الإلكتروني غير صالح." {
		t.Errorf("email message = %q", msg)
	}
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

func TestSubmitWhileSESIsDown(t *testing.T) {
	e := newEnv(t)
	e.sender.Fail(true)
	r := decodeReceipt(t, e.serve(t, submitRequest(t, "")))
	if n := len(e.sender.Sent()); n != 0 {
		t.Fatalf("sent %d emails while SES is down", n)
	}
	e.sender.Fail(false)
	ctx := context.Background()
	res, err := e.outbox.Sweep(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 1 {
		t.Fatalf("first sweep = %+v, want 1 sent", res)
	}
	res, err = e.outbox.Sweep(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 0 || res.Pending != 0 {
		t.Errorf("second sweep = %+v, want nothing to do", res)
	}
	sent := e.sender.Sent()
	if len(sent) != 1 || sent[0].RefID != r.ID || !strings.Contains(sent[0].Text, r.Reference) {
		t.Errorf("sent = %d emails, want the one ack of %s", len(sent), r.ID)
	}
}

func TestSubmitWhileDynamoDBIsDown(t *testing.T) {
	e := newEnv(t)
	minidyn.EmulateFailure(e.db, minidyn.FailureConditionInternalServerError)
	resp := e.serve(t, submitRequest(t, "", "Idempotency-Key", "k-503"))
	checkProblem(t, resp, 503, "unavailable")
	if resp.Headers["Retry-After"] == "" {
		t.Errorf("503 without Retry-After")
	}
	followUp := e.serve(t, followUpRequest(t, strings.Repeat("a", 26), "t"))
	checkProblem(t, followUp, 503, "unavailable")
	minidyn.EmulateFailure(e.db, minidyn.FailureConditionNone)
	if n := e.items(t); n != 0 {
		t.Errorf("table holds %d items after a failed submission", n)
	}
	if n := len(e.sender.Sent()); n != 0 {
		t.Errorf("sent %d emails for a failed submission", n)
	}
	// The same key works once the table is back.
	decodeReceipt(t, e.serve(t, submitRequest(t, "", "Idempotency-Key", "k-503")))
}

func TestIdempotentRetries(t *testing.T) {
	e := newEnv(t)
	const n = 20
	bodies := make([]string, n)
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _ := e.router.Serve(context.Background(), submitRequest(t, "", "Idempotency-Key", "retry-7f3a"))
			bodies[i], statuses[i] = resp.Body, resp.StatusCode
		}()
	}
	wg.Wait()
	for i := range n {
		if statuses[i] != 201 || bodies[i] != bodies[0] {
			t.Errorf("attempt %d: %d %s, want 201 %s", i, statuses[i], bodies[i], bodies[0])
		}
	}
	// One observation + its email + the idempotency record; one email sent.
	if got := e.items(t); got != 3 {
		t.Errorf("table holds %d items, want 3", got)
	}
	if got := len(e.sender.Sent()); got != 1 {
		t.Errorf("sent %d emails, want 1", got)
	}

	// A later retry (different spacing, same content) replays too.
	var m map[string]any
	_ = json.Unmarshal([]byte(httpapitest.Load(t, "submit.json").Body), &m)
	spaced, _ := json.MarshalIndent(m, "", "  ")
	resp := e.serve(t, submitRequest(t, string(spaced), "Idempotency-Key", "retry-7f3a"))
	if resp.StatusCode != 201 || resp.Body != bodies[0] {
		t.Errorf("sequential retry: %d %s, want 201 %s", resp.StatusCode, resp.Body, bodies[0])
	}

	// The same key with another body is refused.
	other := validBody(t, func(m map[string]any) { m["subject"] = "Autre sujet" })
	p := checkProblem(t, e.serve(t, submitRequest(t, other, "Idempotency-Key", "retry-7f3a")), 422, "unprocessable")
	if !strings.Contains(p.Detail, "idempotence") {
		t.Errorf("detail = %q", p.Detail)
	}
	if got := e.items(t); got != 3 {
		t.Errorf("table holds %d items after the retries, want 3", got)
	}
	// Another key is another submission.
	if r := decodeReceipt(t, e.serve(t, submitRequest(t, "", "Idempotency-Key", "retry-other"))); strings.Contains(bodies[0], r.ID) {
		t.Errorf("a new key replayed the old receipt")
	}
}

func FuzzSubmission(f *testing.F) {
	seeds := []string{
		validBodyStatic,
		`{"topic":"open_data","subject":"Budgets","message":"Publier les budgets.","name":"Amina\r\nBcc: x@example.org","email":"amina@example.org","lang":"fr","consent":true}`,
		`{"topic":"open_data","subject":"Bud\ngets","message":"Publier les budgets.","name":"Amina","email":"amina@example.org","lang":"ar","consent":true}`,
		`{"topic":"open_data","subject":"` + strings.Repeat("x", 3000) + `","message":"` + strings.Repeat("m", 40000) + `","name":"Amina","email":"amina@example.org","lang":"fr","consent":true}`,
		`{"topic":1,"subject":["a"],"message":{},"name":null,"email":true,"lang":2,"consent":"true"}`,
		"{\"topic\":\"open_data\",\"subject\":\"\xff\xfe\xfd\",\"message\":\"Publier les budgets.\",\"name\":\"Amina\",\"email\":\"amina@example.org\",\"lang\":\"fr\",\"consent\":true}",
		`{"topic":"open_data","subject":"Budgets","message":"Publier les budgets.","name":"Amina","email":"amina@example.org","lang":"fr","consent":true,"x":1}`,
		`{"consent":true}`,
		`null`,
		``,
		`{"topic":"other","subject":"\u0000\u0000\u0000","message":"\u2028\u2029 message long","name":"أمينة","email":"a@b.ma","lang":"ar","consent":true}`,
	}
	for _, s := range seeds {
		f.Add(s)
	}
	e := newEnv(f)
	f.Fuzz(func(t *testing.T, body string) {
		before := e.items(t)
		req := submitRequest(t, "")
		req.Body = body
		resp, err := e.router.Serve(context.Background(), req)
		if err != nil {
			t.Fatalf("Serve error: %v", err)
		}
		if resp.StatusCode >= 500 {
			t.Fatalf("status %d for %q: %s", resp.StatusCode, body, resp.Body)
		}
		var sub observations.Submission
		dec := json.NewDecoder(strings.NewReader(body))
		dec.DisallowUnknownFields()
		valid := len(body) <= httpapi.MaxBodyBytes && dec.Decode(&sub) == nil && !dec.More() && sub.Validate() == nil
		if resp.StatusCode == 201 {
			if !valid {
				t.Fatalf("201 for invalid input %q", body)
			}
			return
		}
		if resp.StatusCode < 400 {
			t.Fatalf("status %d for %q", resp.StatusCode, body)
		}
		var p httpapi.Problem
		if err := json.Unmarshal([]byte(resp.Body), &p); err != nil {
			t.Fatalf("problem body %q: %v", resp.Body, err)
		}
		if !strings.HasPrefix(resp.Headers["Content-Type"], "application/problem+json") || p.Status != resp.StatusCode ||
			!strings.HasPrefix(p.Type, httpapi.ProblemTypeBase) || p.Title == "" {
			t.Fatalf("malformed problem %s for %q", resp.Body, body)
		}
		for _, fe := range p.Errors {
			// (The field may be "" for an unknown field named "": httpapi reports the name as sent.)
			if fe.Message == "" {
				t.Fatalf("empty field error in %s", resp.Body)
			}
		}
		if after := e.items(t); after != before {
			t.Fatalf("refused request stored %d items", after-before)
		}
	})
}
