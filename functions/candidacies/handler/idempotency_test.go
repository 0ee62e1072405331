package handler

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/i18n"

	"github.com/aws/aws-lambda-go/events"
)

// applyWith is apply.json with body (if not "") and an Idempotency-Key.
func applyWith(t *testing.T, body, key string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	r := httpapitest.Load(t, "apply.json")
	if body != "" {
		r.Body = body
	}
	r.Headers["idempotency-key"] = key
	return r
}

func TestApplyIdempotentRetries(t *testing.T) {
	e := newEnv(t)
	const n = 20
	bodies := make([]string, n)
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := e.router.Serve(context.Background(), applyWith(t, "", "apply-7f3a"))
			if err != nil {
				t.Error(err)
			}
			bodies[i], statuses[i] = resp.Body, resp.StatusCode
		}()
	}
	wg.Wait()
	for i := range n {
		if statuses[i] != 201 || bodies[i] != bodies[0] {
			t.Errorf("attempt %d: %d %s, want 201 %s", i, statuses[i], bodies[i], bodies[0])
		}
	}
	if got := e.candidacies(t); got != 1 {
		t.Errorf("%d candidacies after %d attempts with one key, want 1", got, n)
	}
	if got := len(e.sender.Sent()); got != 1 {
		t.Errorf("sent %d emails, want 1", got)
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(bodies[0]), &first); err != nil || first["status"] != "draft" {
		t.Fatalf("first response %s: %v", bodies[0], err)
	}

	// A later retry (the response was lost; same content, other spacing) replays.
	var m map[string]any
	_ = json.Unmarshal([]byte(httpapitest.Load(t, "apply.json").Body), &m)
	spaced, _ := json.MarshalIndent(m, "", "  ")
	status, _, resp := e.serve(t, applyWith(t, string(spaced), "apply-7f3a"))
	if status != 201 || resp.Body != bodies[0] || resp.Headers["Cache-Control"] != "no-store" {
		t.Errorf("sequential retry: %d %s %v, want 201 %s", status, resp.Body, resp.Headers, bodies[0])
	}

	// The same key with another body is refused, in the request's language.
	other := applyWith(t, strings.Replace(httpapitest.Load(t, "apply.json").Body, `"city":"Agadir"`, `"city":"Tiznit"`, 1), "apply-7f3a")
	other.Headers["accept-language"] = "ar"
	status, body, resp := e.serve(t, other)
	if status != 422 || body["type"] == nil || resp.Headers["Content-Language"] != "ar" || !strings.HasPrefix(resp.Headers["Content-Type"], "application/problem+json") {
		t.Errorf("same key, other body: %d %s", status, resp.Body)
	}

	// A retry after the call closed (within the key's 24 h) still gets its
	// answer; a new key does not.
	e.setClock(time.Date(2024, 9, 5, 22, 0, 0, 0, time.UTC)) // 23:00 in Casablanca, before closing
	status, _, resp = e.serve(t, applyWith(t, "", "apply-last-minute"))
	lastMinute := resp.Body
	e.setClock(time.Date(2024, 9, 6, 9, 0, 0, 0, time.UTC))
	if status, _, resp := e.serve(t, applyWith(t, "", "apply-last-minute")); status != 201 || resp.Body != lastMinute {
		t.Errorf("retry after closing: %d %s, want 201 %s", status, resp.Body, lastMinute)
	}
	if status, _, resp := e.serve(t, applyWith(t, "", "apply-late")); status != 409 {
		t.Errorf("new key after closing: %d %s, want 409", status, resp.Body)
	}
	if got, sent := e.candidacies(t), len(e.sender.Sent()); got != 2 || sent != 2 {
		t.Errorf("after the retries: %d candidacies, %d emails, want 2 and 2", got, sent)
	}
	e.setClock(time.Date(2024, 8, 20, 10, 0, 0, 0, time.UTC))

	// Another key is another application; no key at all too.
	if status, body, _ := e.serve(t, applyWith(t, "", "apply-other")); status != 201 || body["id"] == first["id"] {
		t.Errorf("a new key: %d %v, want a new candidacy", status, body["id"])
	}
	if status, _, _ := e.serve(t, httpapitest.Load(t, "apply.json")); status != 201 {
		t.Errorf("no key: %d, want 201", status)
	}
	if got, sent := e.candidacies(t), len(e.sender.Sent()); got != 4 || sent != 4 {
		t.Errorf("%d candidacies, %d emails, want 4 and 4", got, sent)
	}
}

func TestApplyBadIdempotencyKey(t *testing.T) {
	cases := []struct{ name, key string }{
		{"empty", ""},
		{"with a space", "a b"},
		{"too long", strings.Repeat("k", 101)},
		{"not ASCII", "clé"},
	}
	e := newEnv(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body, resp := e.serve(t, applyWith(t, "", c.key))
			errs, _ := body["errors"].([]any)
			if status != 400 || len(errs) != 1 || errs[0].(map[string]any)["field"] != "Idempotency-Key" {
				t.Errorf("got %d %s, want 400 on field Idempotency-Key", status, resp.Body)
			}
		})
	}
	if got, sent := e.candidacies(t), len(e.sender.Sent()); got != 0 || sent != 0 {
		t.Errorf("bad keys stored %d candidacies and sent %d emails", got, sent)
	}
}

// TestReplayOfAMinimalDraft: a replayed application with empty lists (as the
// portal sends a bare draft) leaves the table readable: minidyn cannot
// cancel a transaction on an item holding an empty list.
func TestReplayOfAMinimalDraft(t *testing.T) {
	e := newEnv(t)
	body := `{"association":{"name":"Association Tafra","email":"contact@tafra.example.ma"},"representative":{"name":"Salma Idrissi","email":"salma@example.org"},"thematicAreas":[],"workingGroups":[],"motivation":"","lang":"fr","consent":true}`
	var first string
	for i := range 2 {
		status, _, resp := e.serve(t, applyWith(t, body, "bare-draft"))
		if i == 0 {
			first = resp.Body
		}
		if status != 201 || resp.Body != first {
			t.Fatalf("attempt %d: %d %s", i, status, resp.Body)
		}
	}
	if _, _, err := e.svc.PublicCalls(context.Background(), "open", i18n.FR, 10, ""); err != nil {
		t.Errorf("listing calls after a replay: %v", err)
	}
	if got := e.candidacies(t); got != 1 {
		t.Errorf("%d candidacies, want 1", got)
	}
}
