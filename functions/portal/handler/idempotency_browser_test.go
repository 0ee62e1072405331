package handler

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// postRecorder answers the portal's POSTs with scripted responses and records
// each request's Idempotency-Key and body.
type postRecorder struct {
	mu      sync.Mutex
	answers []scripted // one per POST, in order
	keys    []string
	bodies  []string
}

type scripted struct {
	status int
	body   string
}

func (p *postRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"text":"Avis loi 09-08.","cndpNumber":"D-W-000/2026","version":"2026-11-01"}`)
		return
	}
	b, _ := io.ReadAll(r.Body)
	p.mu.Lock()
	n := len(p.keys)
	p.keys = append(p.keys, r.Header.Get("Idempotency-Key"))
	p.bodies = append(p.bodies, string(b))
	a := scripted{http.StatusInternalServerError, `{"title":"no answer scripted"}`}
	if n < len(p.answers) {
		a = p.answers[n]
	}
	p.mu.Unlock()
	if a.status >= 300 {
		w.Header().Set("Content-Type", "application/problem+json")
	} else {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(a.status)
	_, _ = io.WriteString(w, a.body)
}

func (p *postRecorder) sent() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.keys...)
}

// The observation form (the three forms share forms.js idempotentSubmit)
// sends one Idempotency-Key per fill: the same one again after a 5xx, a new
// one after a 4xx and when the body changed.
func TestFormKeepsItsIdempotencyKeyOnlyWhileTheOutcomeIsUnknown(t *testing.T) {
	ctx, consoleProblems := browser(t)
	api := &postRecorder{answers: []scripted{
		{http.StatusServiceUnavailable, `{"title":"Service indisponible","status":503}`},
		{http.StatusUnprocessableEntity, `{"title":"Invalide","status":422,"detail":"Corrigez le formulaire.","errors":[{"field":"subject","message":"Trop court."}]}`},
		{http.StatusServiceUnavailable, `{"title":"Service indisponible","status":503}`},
		{http.StatusCreated, `{"reference":"OBS-2026-7KQ4M9"}`},
	}}
	srv := servePortal(t, newTestHandler(t), api)

	// submit clicks the submit button and waits until the page has handled
	// the n-th POST's answer (the button is enabled again).
	submit := func(n int, what string) {
		t.Helper()
		step(t, ctx, what, chromedp.Click(`form button[type="submit"]`))
		deadline := time.Now().Add(10 * time.Second)
		for len(api.sent()) < n {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the page sent %d POSTs, want %d", what, len(api.sent()), n)
			}
			time.Sleep(20 * time.Millisecond)
		}
		step(t, ctx, what+": answer shown", chromedp.WaitVisible(`form button[type="submit"]:enabled`), chromedp.WaitVisible(`.alert p`))
	}

	step(t, ctx, "fill the form",
		chromedp.Navigate(srv.URL+"/fr/observations/nouvelle"),
		chromedp.WaitVisible(`[data-field="topic"] select`),
		chromedp.WaitVisible(".notice-box .meta"),
		chromedp.SetValue(`[data-field="topic"] select`, "open_data"),
		chromedp.SendKeys(`[data-field="subject"] input`, "Budgets ouverts"),
		chromedp.SendKeys(`[data-field="message"] textarea`, "Publier les budgets en données ouvertes."),
		chromedp.SendKeys(`[data-field="name"] input`, "Karim"),
		chromedp.SendKeys(`[data-field="email"] input`, "karim@example.ma"),
		chromedp.Click(`[data-field="consent"] input`))
	submit(1, "first send (503)")
	submit(2, "retry after the 503 (422)")
	step(t, ctx, "the 422's field error", chromedp.WaitVisible(`[data-field="subject"] input[aria-invalid="true"]`))
	submit(3, "the same body after the 422 (503)")
	step(t, ctx, "change the subject and send (201)",
		chromedp.SendKeys(`[data-field="subject"] input`, " 2026"),
		chromedp.Click(`form button[type="submit"]`),
		chromedp.WaitVisible(`[data-reference]`))

	keys := api.sent()
	if len(keys) != 4 {
		t.Fatalf("the page sent %d POSTs, want 4", len(keys))
	}
	for i, k := range keys {
		if len(k) != 36 {
			t.Errorf("POST %d: Idempotency-Key %q, want a UUID", i+1, k)
		}
	}
	if keys[1] != keys[0] {
		t.Errorf("retry after a 503 sent key %q, want the first send's %q", keys[1], keys[0])
	}
	if keys[2] == keys[1] {
		t.Errorf("the send after a 422 reused key %q", keys[2])
	}
	if keys[3] == keys[2] {
		t.Errorf("a changed body reused key %q", keys[3])
	}
	api.mu.Lock()
	var last map[string]any
	err := json.Unmarshal([]byte(api.bodies[3]), &last)
	same := api.bodies[0] == api.bodies[2]
	api.mu.Unlock()
	if err != nil || last["subject"] != "Budgets ouverts 2026" || last["consent"] != true {
		t.Errorf("last body %v (%v)", last, err)
	}
	if !same {
		t.Error("the body changed between sends that did not change the form")
	}
	for _, p := range consoleProblems() {
		if !strings.Contains(p, "Failed to load resource") { // the scripted 4xx and 5xx
			t.Errorf("console error: %s", p)
		}
	}
}
