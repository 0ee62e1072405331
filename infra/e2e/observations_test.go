package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

var mailSeq atomic.Int64

func submission(email string) map[string]any {
	return map[string]any{
		"topic": "action_plan", "subject": "Données ouvertes des marchés publics",
		"message": "Publier les données des marchés publics au format ouvert, chaque trimestre.",
		"name":    "Amina Berrada", "email": email, "organisation": "Association Tafra",
		"lang": "fr", "consent": true,
	}
}

func uniqueEmail(prefix string) string {
	return fmt.Sprintf("%s-%d@example.ma", prefix, mailSeq.Add(1))
}

type created struct {
	ID        string `json:"id"`
	Reference string `json:"reference"`
	Status    string `json:"status"`
}

var followUpLink = regexp.MustCompile(`/(fr|ar)/observations/([A-Za-z0-9_-]+)\?token=([A-Za-z0-9_-]+)`)

// adminObservationCount counts the observations an administrator can list.
func adminObservationCount(t *testing.T) int {
	t.Helper()
	admin := token(t, "admin")
	n, cursor := 0, ""
	for i := 0; i < 100; i++ {
		path := "/api/admin/observations?limit=50"
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		r := do(t, call{method: "GET", path: path, token: admin})
		expectStatus(t, r, http.StatusOK)
		var page struct {
			Items      []map[string]any `json:"items"`
			NextCursor string           `json:"nextCursor"`
		}
		r.json(t, &page)
		n += len(page.Items)
		if page.NextCursor == "" {
			return n
		}
		cursor = page.NextCursor
	}
	t.Fatal("too many pages")
	return 0
}

func TestObservationRoundTrip(t *testing.T) {
	email := uniqueEmail("amina")
	r := do(t, call{method: "POST", path: "/api/observations", body: submission(email)})
	expectStatus(t, r, http.StatusCreated)
	var c created
	r.json(t, &c)
	if c.ID == "" || !strings.HasPrefix(c.Reference, "OBS-") || c.Status != "received" {
		t.Fatalf("created = %+v", c)
	}

	msgs := mailTo(email)
	if len(msgs) != 1 {
		t.Fatalf("acknowledgements = %d, want 1", len(msgs))
	}
	ack := msgs[0]
	if !strings.Contains(ack.Subject, c.Reference) && !strings.Contains(ack.Text, c.Reference) {
		t.Fatalf("acknowledgement does not quote the reference %s", c.Reference)
	}
	m := followUpLink.FindStringSubmatch(ack.Text)
	if m == nil || m[2] != c.ID {
		t.Fatalf("no follow-up link for %s in: %s", c.ID, ack.Text)
	}
	tok := m[3]

	r = do(t, call{method: "GET", path: "/api/observations/" + c.ID + "?token=" + tok})
	expectStatus(t, r, http.StatusOK)
	// A wrong, empty or other observation's token opens nothing.
	expectProblem(t, do(t, call{method: "GET", path: "/api/observations/" + c.ID + "?token=" + strings.Repeat("A", len(tok))}), http.StatusNotFound, "")
	expectProblem(t, do(t, call{method: "GET", path: "/api/observations/" + c.ID}), http.StatusNotFound, "")

	admin := token(t, "admin")
	expectStatus(t, do(t, call{method: "GET", path: "/api/admin/observations"}), http.StatusUnauthorized)
	expectProblem(t, do(t, call{method: "GET", path: "/api/admin/observations", token: token(t, "evaluator")}), http.StatusForbidden, "")

	answer := "Merci. Votre proposition est retenue pour l'atelier de co-création du 14 octobre."
	r = do(t, call{method: "PATCH", path: "/api/admin/observations/" + c.ID, token: admin,
		body: map[string]any{"status": "answered", "response": answer}})
	expectStatus(t, r, http.StatusOK)

	msgs = mailTo(email)
	if len(msgs) != 2 {
		t.Fatalf("emails to the author = %d, want 2 (acknowledgement, answer)", len(msgs))
	}
	if !strings.Contains(msgs[1].Text, answer) {
		t.Fatalf("answer email does not carry the response: %s", msgs[1].Text)
	}
	if strings.Contains(msgs[1].HTML, "<script") {
		t.Fatal("answer email HTML contains a script tag")
	}

	r = do(t, call{method: "GET", path: "/api/observations/" + c.ID + "?token=" + tok})
	expectStatus(t, r, http.StatusOK)
	var follow struct {
		Status   string `json:"status"`
		Response struct {
			Text string `json:"text"`
		} `json:"response"`
	}
	r.json(t, &follow)
	if follow.Status != "answered" || follow.Response.Text != answer {
		t.Fatalf("follow-up = %+v", follow)
	}
}

func TestObservationBadInputStoresNothing(t *testing.T) {
	before := adminObservationCount(t)
	with := func(k string, v any) map[string]any {
		s := submission(uniqueEmail("bad"))
		s[k] = v
		return s
	}
	without := func(k string) map[string]any {
		s := submission(uniqueEmail("bad"))
		delete(s, k)
		return s
	}
	tests := []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"malformed JSON", `{"topic":`, 400, ""},
		{"wrong type", with("consent", "yes"), 400, "consent"},
		{"missing email", without("email"), 400, "email"},
		{"unknown field", with("cin", "AB123456"), 400, "cin"},
		{"body over 64 KiB", with("message", strings.Repeat("x", 70<<10)), 413, ""},
		{"invalid email", with("email", "amina@"), 400, "email"},
		{"consent false", with("consent", false), 400, "consent"},
		{"consent absent", without("consent"), 400, "consent"},
		{"CR/LF in name", with("name", "Amina\r\nBcc: victim@example.ma"), 400, "name"},
		{"CR/LF in subject", with("subject", "Objet\nBcc: victim@example.ma"), 400, "subject"},
		{"unknown lang", with("lang", "en"), 400, "lang"},
		{"oversize subject", with("subject", strings.Repeat("س", 201)), 400, "subject"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := do(t, call{method: "POST", path: "/api/observations", body: tt.body, headers: map[string]string{"Accept-Language": "ar"}})
			p := expectProblem(t, r, tt.status, tt.field)
			if !strings.ContainsRune(p.Title, 'ا') && !strings.ContainsRune(p.Title, 'ل') {
				t.Fatalf("title %q is not in Arabic", p.Title)
			}
		})
	}
	if got := adminObservationCount(t); got != before {
		t.Fatalf("observations after bad input = %d, want %d", got, before)
	}
}

func TestObservationSurvivesSESOutage(t *testing.T) {
	email := uniqueEmail("outage")
	setFault(t, "ses", "fail")
	r := do(t, call{method: "POST", path: "/api/observations", body: submission(email)})
	expectStatus(t, r, http.StatusCreated)
	if n := len(mailTo(email)); n != 0 {
		t.Fatalf("mails while SES fails = %d, want 0", n)
	}
	// Still failing: the sweep delivers nothing and loses nothing.
	if _, err := lc.RunSchedule(t.Context(), "OutboxSweep"); err != nil {
		t.Fatalf("sweep during outage: %v", err)
	}
	if n := len(mailTo(email)); n != 0 {
		t.Fatalf("mails while SES fails = %d, want 0", n)
	}

	setFault(t, "ses", "none")
	r = do(t, call{method: "POST", path: "/_local/schedules/OutboxSweep"})
	expectStatus(t, r, http.StatusOK)
	if n := len(mailTo(email)); n != 1 {
		t.Fatalf("mails after recovery = %d, want 1", n)
	}
	// Another sweep sends nothing twice.
	expectStatus(t, do(t, call{method: "POST", path: "/_local/schedules/OutboxSweep"}), http.StatusOK)
	if n := len(mailTo(email)); n != 1 {
		t.Fatalf("mails after a second sweep = %d, want 1", n)
	}
}

func TestObservationDynamoDBOutage(t *testing.T) {
	for _, mode := range []string{"fail", "throttle"} {
		t.Run(mode, func(t *testing.T) {
			before := adminObservationCount(t)
			email := uniqueEmail("ddb-" + mode)
			setFault(t, "dynamodb", mode)
			r := do(t, call{method: "POST", path: "/api/observations", body: submission(email)})
			expectProblem(t, r, http.StatusServiceUnavailable, "")
			if err := lc.SetFault("dynamodb", "none"); err != nil {
				t.Fatal(err)
			}
			if got := adminObservationCount(t); got != before {
				t.Fatalf("observations after the outage = %d, want %d", got, before)
			}
			if n := len(mailTo(email)); n != 0 {
				t.Fatalf("mails for a refused submission = %d, want 0", n)
			}
		})
	}
}

func TestObservationIdempotentRetry(t *testing.T) {
	before := adminObservationCount(t)
	email := uniqueEmail("retry")
	body := submission(email)
	key := fmt.Sprintf("e2e-retry-%d", mailSeq.Add(1))

	const n = 10
	replies := make([]reply, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			replies[i], _ = doAsync(t, call{method: "POST", path: "/api/observations", body: body, headers: map[string]string{"Idempotency-Key": key}})
		}()
	}
	wg.Wait()
	for i, r := range replies {
		if r.status != http.StatusCreated || string(r.body) != string(replies[0].body) {
			t.Fatalf("reply %d = %d %s, want 201 %s", i, r.status, r.body, replies[0].body)
		}
	}
	if got := adminObservationCount(t); got != before+1 {
		t.Fatalf("observations = %d, want %d", got, before+1)
	}
	if got := len(mailTo(email)); got != 1 {
		t.Fatalf("acknowledgements = %d, want 1", got)
	}
	// Same key, different body: refused.
	other := submission(email)
	other["subject"] = "Un autre sujet"
	expectProblem(t, do(t, call{method: "POST", path: "/api/observations", body: other, headers: map[string]string{"Idempotency-Key": key}}), http.StatusUnprocessableEntity, "")
}
