package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"espaceosc/infra/local/cloud"

	"github.com/getkin/kin-openapi/openapi3"
)

// Operations of openapi.yaml that act on evaluation state declare what they
// need instead of an id that exists on a fresh cloud:
//
//	x-example-setup: assigned   a call in evaluation with a submitted candidacy
//	                            assigned to the evaluator eval-example
//	x-example-setup: decided    the same, the candidacy selected
//	x-example-setup: published  the same, the results published
//	x-example-setup: cancelled-event  an event with a registrant, cancelled:
//	                            {id} is its notification's id
//	x-example-role: evaluator   send eval-example's token, not an administrator's
//	x-example-setup: cocreation-*  co-creation state on the seeded plan
//	                            (cocreation_setup_test.go)
//
// and the membership routes (membership_test.go):
//
//	x-example-setup: membership-unconfirmed, membership-pending, membership-approved
//	                            a new organisation's request in that state: its
//	                            id and token, and organisationId in the body
//	x-example-setup: group-member   an approved organisation in the working group
//	                            transparence: memberId
//	x-example-setup: group-request  an approved organisation asking to join
//	                            transparence: organisationId
//
// Each such operation gets its own call and candidacy, so that examples do
// not depend on each other's order; {id} is the candidacy's id on
// candidacy paths and the call's id otherwise.

// exampleEvaluator is the evaluator of the examples.
const exampleEvaluator = "eval-example"

type example struct {
	id    string // for the {id} path parameter ("" = the documented example)
	token string // bearer token to send instead of the administrator's ("" = default)
	// params replace the documented examples of these parameters (by name).
	params map[string]string
	// fields replace these fields of the documented request body; body
	// replaces the whole body.
	fields map[string]any
	body   []byte
}

var exampleSeq int

func exampleFor(t *testing.T, c *cloud.Cloud, op *openapi3.Operation, path string) example {
	t.Helper()
	var ex example
	if role, _ := op.Extensions["x-example-role"].(string); role != "" {
		ex.token = tokenFor(t, c, role, exampleEvaluator)
	}
	setup, _ := op.Extensions["x-example-setup"].(string)
	if setup == "" {
		return ex
	}
	exampleSeq++
	if setup == "cancelled-event" {
		ex.id = cancelledEventExample(t, c, exampleSeq)
		return ex
	}
	if strings.HasPrefix(setup, "membership-") || strings.HasPrefix(setup, "group-") {
		return membershipExample(t, c, setup, path, exampleSeq) // membership_test.go
	}
	if strings.HasPrefix(setup, "cocreation-") {
		return cocreationExample(t, c, op, setup, exampleSeq)
	}
	callID, candID := evaluationExample(t, c, setup, exampleSeq)
	ex.id = callID
	if strings.Contains(path, "/candidacies/{id}") {
		ex.id = candID
	}
	return ex
}

// evaluationExample builds the state setup names on c.
func evaluationExample(t *testing.T, c *cloud.Cloud, setup string, n int) (callID, candID string) {
	t.Helper()
	switch setup {
	case "assigned", "decided", "published":
	default:
		t.Fatalf("unknown x-example-setup %q", setup)
	}
	admin := tokenFor(t, c, "admin", "")
	now := time.Now()
	callID = createOpenCall(t, c, callBody(fmt.Sprintf("example-%s-%d", setup, n), now.Add(-time.Hour), now.Add(30*24*time.Hour)))
	s := applySubmitOn(t, c, callID, "Association Tafra pour la transparence", fmt.Sprintf("example-%d-%d@example.org", n, now.UnixNano()), "fr", nil)
	setCallStatus(t, c, admin, callID, "closed", "evaluating")
	tokenFor(t, c, "evaluator", exampleEvaluator) // the evaluator's account: a member of the group
	r := doOn(t, c, call{method: "POST", path: "/api/admin/candidacies/" + s.id + "/assignments", body: map[string]any{"evaluators": []string{exampleEvaluator}}, token: admin})
	expectStatus(t, r, http.StatusOK)
	if setup == "assigned" {
		return callID, s.id
	}
	r = doOn(t, c, call{method: "POST", path: "/api/admin/candidacies/" + s.id + "/decision", body: map[string]string{"outcome": "selected"}, token: admin})
	expectStatus(t, r, http.StatusOK)
	if setup == "decided" {
		return callID, s.id
	}
	r = doOn(t, c, call{method: "POST", path: "/api/admin/calls/" + callID + "/results", token: admin})
	expectStatus(t, r, http.StatusOK)
	return callID, s.id
}

// cancelledEventExample publishes an event on c, registers someone and
// cancels it; it returns the cancellation's notification id.
func cancelledEventExample(t *testing.T, c *cloud.Cloud, n int) string {
	t.Helper()
	admin := tokenFor(t, c, "admin", "")
	id := fmt.Sprintf("example-cancelled-%d", n)
	expectStatus(t, doOn(t, c, call{method: "POST", path: "/api/admin/events", body: eventBody(id, 10, 5, 72*time.Hour), token: admin}), http.StatusCreated)
	expectStatus(t, doOn(t, c, call{method: "POST", path: "/api/admin/events/" + id + "/publish", token: admin}), http.StatusOK)
	expectStatus(t, doOn(t, c, call{method: "POST", path: "/api/events/" + id + "/registrations", body: registration(fmt.Sprintf("example-cancel-%d@example.org", n), "fr")}), http.StatusCreated)
	r := doOn(t, c, call{method: "POST", path: "/api/admin/events/" + id + "/cancel", token: admin})
	expectStatus(t, r, http.StatusOK)
	var res struct{ Notification struct{ ID string } }
	r.json(t, &res)
	return res.Notification.ID
}
