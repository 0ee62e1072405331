package consistency

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// securityScheme is the name openapi.yaml gives the Cognito JWT authorizer.
const securityScheme = "cognitoJwt"

// loadOpenAPI loads openapi.yaml and validates it, examples included (JSON Schema
// 2020-12 for OpenAPI 3.1).
func loadOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(repoPath(t, "openapi.yaml"))
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi.yaml: openapi %s, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not valid: %v", err)
	}
	return doc
}

// auth describes who may call a route.
func auth(public bool) string {
	if public {
		return "public"
	}
	return "JWT"
}

// greedy is the extension that marks a path parameter as API Gateway's
// greedy one ({proxy+}: the rest of the path, slashes included), which an
// OpenAPI path template cannot spell.
const greedy = "x-greedy"

// routePath returns p as API Gateway spells it: {name+} for the operation's
// greedy path parameter, which must be the last segment.
func routePath(p string, params openapi3.Parameters) (string, error) {
	for _, ref := range params {
		prm := ref.Value
		if prm == nil || prm.In != "path" || prm.Extensions[greedy] != true {
			continue
		}
		if !strings.HasSuffix(p, "/{"+prm.Name+"}") {
			return "", fmt.Errorf("%s: greedy parameter %q is not the last segment", p, prm.Name)
		}
		return strings.TrimSuffix(p, "{"+prm.Name+"}") + "{" + prm.Name + "+}", nil
	}
	return p, nil
}

// openAPIRoutes returns "METHOD /path" (API Gateway's route key) -> auth of
// every operation of doc.
func openAPIRoutes(t *testing.T, doc *openapi3.T) map[string]string {
	t.Helper()
	routes := map[string]string{}
	for p, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			rp, err := routePath(p, slices.Concat(item.Parameters, op.Parameters))
			if err != nil {
				t.Errorf("openapi.yaml %s %s", strings.ToUpper(method), err)
			}
			key := strings.ToUpper(method) + " " + rp
			sec := op.Security
			if sec == nil {
				sec = &doc.Security
			}
			switch {
			case len(*sec) == 0:
				routes[key] = auth(true)
			case len(*sec) == 1 && len((*sec)[0]) == 1 && (*sec)[0][securityScheme] != nil:
				routes[key] = auth(false)
			default:
				t.Errorf("openapi.yaml %s: security must be [] (public) or [{%s: []}], got %v", key, securityScheme, *sec)
			}
		}
	}
	return routes
}

// openapi.yaml describes exactly the routes of template.yaml, with the same auth.
func TestOpenAPIMatchesTemplate(t *testing.T) {
	tpl := loadTemplate(t)
	doc := loadOpenAPI(t)

	want := map[string]string{}
	for _, r := range tpl.Routes() {
		want[r.Key()] = auth(r.Public)
	}
	got := openAPIRoutes(t, doc)

	for _, k := range sortedKeys(want) {
		g, ok := got[k]
		switch {
		case !ok:
			t.Errorf("template.yaml route %s (%s) is missing from openapi.yaml", k, want[k])
		case g != want[k]:
			t.Errorf("%s: openapi.yaml says %s, template.yaml says %s", k, g, want[k])
		}
	}
	for _, k := range sortedKeys(got) {
		if _, ok := want[k]; !ok {
			t.Errorf("openapi.yaml route %s is not in template.yaml", k)
		}
	}
	if _, ok := doc.Components.SecuritySchemes[securityScheme]; !ok {
		t.Errorf("openapi.yaml: no security scheme %s", securityScheme)
	}
}

// Admin and evaluator routes sit behind the JWT authorizer and nothing else does.
func TestTemplateAuthFollowsThePath(t *testing.T) {
	tpl := loadTemplate(t)
	for _, r := range tpl.Routes() {
		admin := r.Path == "/api/admin" || strings.HasPrefix(r.Path, "/api/admin/") ||
			r.Path == "/api/evaluator" || strings.HasPrefix(r.Path, "/api/evaluator/")
		if admin && r.Public {
			t.Errorf("%s (%s.%s) is public; every /api/admin and /api/evaluator route needs the JWT authorizer", r.Key(), r.FunctionLogicalID, r.EventName)
		}
		if !admin && !r.Public {
			t.Errorf("%s (%s.%s) needs a JWT; routes outside /api/admin and /api/evaluator say Auth: Authorizer: NONE", r.Key(), r.FunctionLogicalID, r.EventName)
		}
	}
}

// Every operation can be tried as documented: its required parameters and its body
// have an example (Validate checks that examples match their schemas), and API
// operations document their errors as problem+json.
func TestOpenAPIOperationsHaveExamplesAndErrors(t *testing.T) {
	doc := loadOpenAPI(t)
	for p, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			key := strings.ToUpper(method) + " " + p
			params := slices.Concat(item.Parameters, op.Parameters)
			for _, ref := range params {
				prm := ref.Value
				if !prm.Required {
					continue
				}
				if prm.Example == nil && len(prm.Examples) == 0 && (prm.Schema == nil || prm.Schema.Value.Example == nil) {
					t.Errorf("%s: required %s parameter %q has no example", key, prm.In, prm.Name)
				}
			}
			if op.RequestBody != nil {
				for ct, mt := range op.RequestBody.Value.Content {
					if mt.Example == nil && len(mt.Examples) == 0 {
						t.Errorf("%s: request body %s has no example", key, ct)
					}
				}
			}
			if op.OperationID == "" {
				t.Errorf("%s: no operationId", key)
			}
			if !strings.HasPrefix(p, "/api/") {
				continue
			}
			if err := problemResponses(op, "500"); err != nil {
				t.Errorf("%s: %v", key, err)
			}
			if op.Security == nil || len(*op.Security) > 0 {
				if err := problemResponses(op, "401", "403"); err != nil {
					t.Errorf("%s: %v", key, err)
				}
			}
		}
	}
}

// problemResponses reports the first status of statuses that op does not document
// with an application/problem+json body.
func problemResponses(op *openapi3.Operation, statuses ...string) error {
	for _, s := range statuses {
		r := op.Responses.Value(s)
		if r == nil || r.Value == nil {
			return fmt.Errorf("no %s response", s)
		}
		if r.Value.Content.Get("application/problem+json") == nil {
			return fmt.Errorf("response %s is not application/problem+json", s)
		}
	}
	return nil
}
