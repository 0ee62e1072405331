package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"espaceosc/infra/local/cloud"
	"espaceosc/infra/seed"
	"espaceosc/infra/template"

	"github.com/getkin/kin-openapi/openapi3"
)

// TestOpenAPIExamplesWorkOnAFreshCloud sends every operation of openapi.yaml,
// built from its documented examples, to a freshly started and seeded local
// cloud, and expects a documented 2xx or 3xx answer. Observation routes get
// the id and follow-up token of an observation submitted first.
func TestOpenAPIExamplesWorkOnAFreshCloud(t *testing.T) {
	root, err := template.FindRepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join(root, "openapi.yaml"))
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	fresh, err := cloud.Start(ctx, cloud.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), NoSchedules: true, Seed: seed.Apply})
	if err != nil {
		t.Fatalf("start a fresh local cloud: %v", err)
	}
	defer fresh.Close()
	admin := tokenFor(t, fresh, "admin", "")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	type op struct {
		method, path string
		op           *openapi3.Operation
		item         *openapi3.PathItem
	}
	var ops []op
	for path, item := range doc.Paths.Map() {
		for method, o := range item.Operations() {
			ops = append(ops, op{method, path, o, item})
		}
	}
	// Reads first, then writes, deletions last, so that one example's deletion
	// does not break another's read.
	rank := map[string]int{"GET": 0, "POST": 1, "PUT": 2, "PATCH": 3, "DELETE": 4}
	sort.Slice(ops, func(i, j int) bool {
		if rank[ops[i].method] != rank[ops[j].method] {
			return rank[ops[i].method] < rank[ops[j].method]
		}
		return ops[i].path < ops[j].path
	})

	var obsID, obsToken string
	send := func(method, path string, query url.Values, headers map[string]string, body []byte, auth bool) (int, []byte) {
		t.Helper()
		u := fresh.URL() + path
		if len(query) > 0 {
			u += "?" + query.Encode()
		}
		var rd io.Reader
		if body != nil {
			rd = strings.NewReader(string(body))
		}
		req, err := http.NewRequest(method, u, rd)
		if err != nil {
			t.Fatal(err)
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		if auth {
			req.Header.Set("Authorization", "Bearer "+admin)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, u, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}

	// Observation routes need a real observation: submit the documented example first.
	for _, o := range ops {
		if o.method != "POST" || o.path != "/api/observations" {
			continue
		}
		body, ok := requestExample(o.op)
		if !ok {
			t.Fatal("POST /api/observations has no request example")
		}
		status, got := send("POST", o.path, nil, nil, body, false)
		if status != http.StatusCreated {
			t.Fatalf("submit the example observation: %d %s", status, got)
		}
		var c struct{ ID string }
		_ = json.Unmarshal(got, &c)
		obsID = c.ID
		for _, m := range fresh.Mail() {
			if mm := followUpLink.FindStringSubmatch(m.Text); mm != nil && mm[2] == c.ID {
				obsToken = mm[3]
			}
		}
		if obsID == "" || obsToken == "" {
			t.Fatalf("submitted observation: id %q, token found %v", obsID, obsToken != "")
		}
	}
	if obsID == "" {
		t.Fatal("openapi.yaml has no POST /api/observations operation")
	}

	// Registration routes need a real registration on the seeded event, and
	// the check-in example needs its code: register first (another address
	// than the example's, which the registration example itself uses).
	var regID, regToken, regCode string
	for _, o := range ops {
		if o.method != "POST" || o.path != "/api/events/{id}/registrations" {
			continue
		}
		body, ok := requestExample(o.op)
		if !ok {
			t.Fatal("POST /api/events/{id}/registrations has no request example")
		}
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		m["email"] = "openapi-examples@example.org"
		body, _ = json.Marshal(m)
		status, got := send("POST", "/api/events/atelier-cocreation-pan/registrations", nil, nil, body, false)
		if status != http.StatusCreated {
			t.Fatalf("register on the seeded event: %d %s", status, got)
		}
		var rc struct{ ID, Code string }
		_ = json.Unmarshal(got, &rc)
		regID, regCode = rc.ID, rc.Code
		for _, m := range fresh.Mail() {
			if mm := manageLinkRE.FindStringSubmatch(m.Text); mm != nil && mm[2] == rc.ID {
				regToken = mm[3]
			}
		}
		if regID == "" || regToken == "" {
			t.Fatalf("registration: id %q, token found %v", regID, regToken != "")
		}
	}

	// Candidacy routes need real candidacies of the seeded call (calls_test.go).
	var draftCand, fullCand candidacy
	for _, o := range ops {
		if o.method == "POST" && o.path == "/api/calls/{id}/candidacies" {
			body, _ := requestExample(o.op)
			draftCand, fullCand = openAPICandidacies(t, fresh, body)
		}
	}

	for _, o := range ops {
		name := o.method + " " + o.path
		body, hasBody := requestExample(o.op)
		if o.op.RequestBody != nil && o.op.RequestBody.Value.Required && !hasBody {
			t.Errorf("%s: required request body without an example", name)
			continue
		}
		path, query, headers := o.path, url.Values{}, map[string]string{}
		ex := exampleFor(t, fresh, o.op, o.path) // x-example-setup, x-example-role (openapi_setup_test.go)
		params := append(openapi3.Parameters{}, o.item.Parameters...)
		params = append(params, o.op.Parameters...)
		for _, p := range params {
			v, ok := parameterExample(p.Value)
			if strings.HasPrefix(o.path, "/api/registrations/") {
				switch p.Value.Name {
				case "id":
					v, ok = regID, true
				case "token":
					v, ok = regToken, true
				}
			}
			if strings.HasPrefix(o.path, "/api/candidacies/") {
				c := draftCand
				if strings.HasSuffix(o.path, "/submit") || strings.HasSuffix(o.path, "/withdraw") {
					c = fullCand
				}
				switch p.Value.Name {
				case "id":
					v, ok = c.id, true
				case "token":
					v, ok = c.token, true
				}
			}
			if strings.HasPrefix(o.path, "/api/observations/") || strings.HasPrefix(o.path, "/api/admin/observations/") {
				switch p.Value.Name {
				case "id":
					v, ok = obsID, true
				case "token":
					v, ok = obsToken, true
				}
			}
			if ex.id != "" && p.Value.In == "path" && p.Value.Name == "id" {
				v, ok = ex.id, true
			}
			if pv, set := ex.params[p.Value.Name]; set {
				v, ok = pv, true
			}
			if !ok {
				if p.Value.Required {
					t.Errorf("%s: required parameter %q has no example", name, p.Value.Name)
				}
				continue
			}
			switch p.Value.In {
			case "path":
				if p.Value.Extensions["x-greedy"] == true { // API Gateway's {proxy+}: slashes included
					path = strings.Replace(path, "{"+p.Value.Name+"}", v, 1)
				}
				path = strings.Replace(path, "{"+p.Value.Name+"}", url.PathEscape(v), 1)
			case "query":
				query.Set(p.Value.Name, v)
			case "header":
				headers[p.Value.Name] = v
			}
		}
		if len(ex.fields) > 0 && body != nil {
			var m map[string]any
			if err := json.Unmarshal(body, &m); err == nil {
				for k, v := range ex.fields {
					if _, documented := m[k]; documented {
						m[k] = v
					}
				}
				body, _ = json.Marshal(m)
			}
		}
		if o.path == "/api/admin/events/{id}/checkins" {
			body, _ = json.Marshal(map[string]string{"code": regCode})
		}
		if ex.body != nil {
			body = ex.body
		}
		auth := o.op.Security == nil || len(*o.op.Security) > 0
		if ex.token != "" {
			headers["Authorization"], auth = "Bearer "+ex.token, false
		}
		status, got := send(o.method, path, query, headers, body, auth)
		documented := o.op.Responses.Value(strconv.Itoa(status)) != nil
		if !documented || status >= 400 {
			t.Errorf("%s (%s): status %d (documented: %v); body: %.300s", name, path, status, documented, got)
			continue
		}
	}
}

func requestExample(op *openapi3.Operation) ([]byte, bool) {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil, false
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil {
		return nil, false
	}
	var v any
	switch {
	case mt.Example != nil:
		v = mt.Example
	case len(mt.Examples) > 0:
		keys := make([]string, 0, len(mt.Examples))
		for k := range mt.Examples {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		v = mt.Examples[keys[0]].Value.Value
	default:
		return nil, false
	}
	b, err := json.Marshal(v)
	return b, err == nil
}

func parameterExample(p *openapi3.Parameter) (string, bool) {
	var v any
	switch {
	case p.Example != nil:
		v = p.Example
	case len(p.Examples) > 0:
		for _, e := range p.Examples {
			v = e.Value.Value
			break
		}
	case p.Schema != nil && p.Schema.Value != nil && p.Schema.Value.Example != nil:
		v = p.Schema.Value.Example
	default:
		return "", false
	}
	return fmt.Sprint(v), true
}
