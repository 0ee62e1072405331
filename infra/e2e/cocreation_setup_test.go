package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"espaceosc/infra/local/cloud"

	"github.com/getkin/kin-openapi/openapi3"
)

// cocreationExample builds the co-creation state an operation's
// x-example-setup names, on the seeded plan of c (openapi_setup_test.go).
func cocreationExample(t *testing.T, c *cloud.Cloud, op *openapi3.Operation, setup string, n int) example {
	t.Helper()
	admin := tokenFor(t, c, "admin", "")
	email := fmt.Sprintf("openapi-%s-%d@example.org", setup, n)
	switch setup {
	case "cocreation-proposal":
		p := submitProposalOn(t, c, seededPlan, proposalBody(email))
		moderateOn(t, c, p.id, "publish")
		return example{id: p.id, params: map[string]string{"token": p.token}}
	case "cocreation-commitment":
		return example{id: createCommitmentOn(t, c, seededPlan, n)}
	case "cocreation-link", "cocreation-linked":
		p := submitProposalOn(t, c, seededPlan, proposalBody(email))
		moderateOn(t, c, p.id, "publish")
		commitment := createCommitmentOn(t, c, seededPlan, n)
		body, _ := json.Marshal(map[string]string{"commitmentId": commitment})
		if setup == "cocreation-link" {
			return example{id: p.id, body: body}
		}
		r := doOn(t, c, call{method: "PUT", path: "/api/admin/cocreation/proposals/" + p.id + "/commitment", body: string(body), token: admin})
		expectStatus(t, r, http.StatusOK)
		return example{id: p.id}
	case "cocreation-support":
		p := submitProposalOn(t, c, seededPlan, proposalBody(email))
		moderateOn(t, c, p.id, "publish")
		id, token := supportOn(t, c, p.id, fmt.Sprintf("openapi-supporter-%d@example.org", n), "fr")
		body, _ := json.Marshal(map[string]string{"token": token})
		return example{id: id, body: body}
	case "cocreation-plan":
		b, ok := requestExample(op)
		if !ok {
			t.Fatal("x-example-setup cocreation-plan needs a request example")
		}
		var plan map[string]any
		if err := json.Unmarshal(b, &plan); err != nil {
			t.Fatal(err)
		}
		plan["id"] = fmt.Sprintf("example-plan-%d", n)
		r := doOn(t, c, call{method: "POST", path: "/api/admin/cocreation/plans", body: plan, token: admin})
		expectStatus(t, r, http.StatusCreated)
		return example{id: plan["id"].(string)}
	}
	t.Fatalf("unknown x-example-setup %q", setup)
	return example{}
}
