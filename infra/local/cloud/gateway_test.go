package cloud

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/golang-jwt/jwt/v5"

	"espaceosc/infra/template"
)

func TestRouteMatching(t *testing.T) {
	tpl, err := template.Load("testdata/template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	g, err := newGateway(tpl, nil, nil, func(string) (string, bool) { return "x", true })
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		method, path, wantKey string
		wantParams            map[string]string
	}{
		{"GET", "/echo/exact", "GET /echo/exact", nil},
		{"GET", "/echo/42", "GET /echo/{id}", map[string]string{"id": "42"}},
		{"GET", "/echo/a%20b", "GET /echo/{id}", map[string]string{"id": "a b"}},
		{"GET", "/echo/a/b/c", "GET /echo/{proxy+}", map[string]string{"proxy": "a/b/c"}},
		{"GET", "/echo", "", nil},
		{"POST", "/echo", "POST /echo", nil},
		{"DELETE", "/echo", "", nil},
		{"PUT", "/items/7", "PUT /items/{id}", map[string]string{"id": "7"}},
		{"GET", "/nowhere", "", nil},
	}
	for _, c := range cases {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			rt, params := g.match(c.method, strings.Split(c.path, "?")[0])
			got := ""
			if rt != nil {
				got = rt.def.Key()
			}
			if got != c.wantKey {
				t.Fatalf("route: got %q, want %q", got, c.wantKey)
			}
			for k, v := range c.wantParams {
				if params[k] != v {
					t.Errorf("param %s: got %q, want %q", k, params[k], v)
				}
			}
		})
	}
}

func TestRenderClaims(t *testing.T) {
	cases := []struct {
		name string
		in   any
		want string
	}{
		{"string", "abc", "abc"},
		{"number", json.Number("1700000000"), "1700000000"},
		{"float", 1.5, "1.5"},
		{"bool", true, "true"},
		{"one group", []any{"admins"}, "[admins]"},
		{"two groups", []any{"admins", "evaluators"}, "[admins evaluators]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := renderClaim(c.in); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// echoEvent calls the echo function and returns the event it received.
func echoEvent(t *testing.T, method, path, tok, body string, headers ...string) (int, events.APIGatewayV2HTTPRequest, map[string]any) {
	t.Helper()
	status, resp, _ := do(t, method, path, tok, body, headers...)
	var out struct {
		Event events.APIGatewayV2HTTPRequest
	}
	var all map[string]any
	if status == http.StatusOK {
		if err := json.Unmarshal([]byte(resp), &out); err != nil {
			t.Fatalf("decode %q: %v", resp, err)
		}
		_ = json.Unmarshal([]byte(resp), &all)
	}
	return status, out.Event, all
}

func TestPayload(t *testing.T) {
	status, ev, all := echoEvent(t, "GET", "/echo/a%2Fb?x=1&x=2&y=z", "", "",
		"X-Multi", "one", "X-Multi", "two", "Cookie", "c1=v1; c2=v2", "User-Agent", "tester")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	checks := []struct{ name, got, want string }{
		{"version", ev.Version, "2.0"},
		{"routeKey", ev.RouteKey, "GET /echo/{id}"},
		{"rawPath", ev.RawPath, "/echo/a%2Fb"},
		{"rawQueryString", ev.RawQueryString, "x=1&x=2&y=z"},
		{"query x", ev.QueryStringParameters["x"], "1,2"},
		{"path id", ev.PathParameters["id"], "a/b"},
		{"header", ev.Headers["x-multi"], "one,two"},
		{"cookie header removed", ev.Headers["cookie"], ""},
		{"cookies", strings.Join(ev.Cookies, "|"), "c1=v1|c2=v2"},
		{"stage", ev.RequestContext.Stage, "$default"},
		{"method", ev.RequestContext.HTTP.Method, "GET"},
		{"userAgent", ev.RequestContext.HTTP.UserAgent, "tester"},
		{"sourceIp", ev.RequestContext.HTTP.SourceIP, "127.0.0.1"},
		{"accountId", ev.RequestContext.AccountID, AccountID},
		{"greeting env", all["greeting"].(string), "hello from eu-west-3"},
		{"table env", all["table"].(string), "espace-osc-local"},
		{"bucket env", all["bucket"].(string), "espace-osc-uploads-local"},
		{"origin env", all["origin"].(string), tc.URL()},
		{"memory env", all["memory"].(string), "128"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, c.got, c.want)
		}
	}
	if ev.RequestContext.Authorizer != nil {
		t.Errorf("public route got an authorizer: %+v", ev.RequestContext.Authorizer)
	}
	if ev.RequestContext.TimeEpoch == 0 || ev.RequestContext.RequestID == "" {
		t.Errorf("requestContext incomplete: %+v", ev.RequestContext)
	}

	_, ev, _ = echoEvent(t, "POST", "/echo", "", "{\"a\":1}", "Content-Type", "application/json")
	if ev.IsBase64Encoded || ev.Body != `{"a":1}` {
		t.Errorf("json body: got %q base64=%v", ev.Body, ev.IsBase64Encoded)
	}
	_, ev, _ = echoEvent(t, "POST", "/echo", "", "\x00\x01\x02", "Content-Type", "application/octet-stream")
	if !ev.IsBase64Encoded || ev.Body != "AAEC" {
		t.Errorf("binary body: got %q base64=%v", ev.Body, ev.IsBase64Encoded)
	}
}

func TestResponseMapping(t *testing.T) {
	status, body, h := do(t, "GET", "/echo/binary", "", "")
	if got, want := status, 201; got != want {
		t.Errorf("status: got %d, want %d", got, want)
	}
	if got, want := body, "\x00\x01\x02"; got != want {
		t.Errorf("body: got %q, want %q", got, want)
	}
	if got, want := strings.Join(h.Values("Set-Cookie"), "|"), "a=1|b=2"; got != want {
		t.Errorf("cookies: got %q, want %q", got, want)
	}
	cases := []struct {
		path       string
		wantStatus int
		wantBody   string
	}{
		{"/nowhere", 404, `{"message":"Not Found"}`},
		{"/echo/error", 500, `{"message":"Internal Server Error"}`},
		{"/echo/crash", 500, `{"message":"Internal Server Error"}`},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			status, body, _ := do(t, "GET", c.path, "", "")
			if status != c.wantStatus || body != c.wantBody {
				t.Errorf("got %d %s, want %d %s", status, body, c.wantStatus, c.wantBody)
			}
		})
	}
	status, _, _ = do(t, "POST", "/echo", "", strings.Repeat("x", maxBodyBytes+1))
	if got, want := status, http.StatusRequestEntityTooLarge; got != want {
		t.Errorf("big body: got %d, want %d", got, want)
	}
}

func TestCORS(t *testing.T) {
	status, _, h := do(t, "OPTIONS", "/items/1", "", "", "Origin", tc.URL(),
		"Access-Control-Request-Method", "PUT", "Access-Control-Request-Headers", "authorization,content-type")
	if status != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != tc.URL() || h.Get("Access-Control-Max-Age") != "600" {
		t.Errorf("preflight: got %d %v", status, h)
	}
	_, _, h = do(t, "OPTIONS", "/items/1", "", "", "Origin", "https://evil.example", "Access-Control-Request-Method", "PUT")
	if got := h.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("foreign origin allowed: %q", got)
	}
	_, _, h = do(t, "GET", "/echo/exact", "", "", "Origin", tc.URL())
	if got, want := h.Get("Access-Control-Allow-Origin"), tc.URL(); got != want {
		t.Errorf("simple request: got %q, want %q", got, want)
	}
}

func TestJWTAuthorizer(t *testing.T) {
	other, err := newAuthority(t.TempDir(), tc.tpl, tc.resolve)
	if err != nil {
		t.Fatal(err)
	}
	claims := func(mod func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"sub": "u1", "iss": tc.auth.issuer, "aud": tc.auth.audience, "token_use": "id",
			"cognito:groups": []string{"admins", "evaluators"}, "exp": 4102444800, "iat": 1700000000}
		if mod != nil {
			mod(c)
		}
		return c
	}
	sign := func(a *authority, c jwt.MapClaims) string {
		s, err := a.sign(c)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	cases := []struct {
		name       string
		token      string
		wantStatus int
	}{
		{"no token", "", 401},
		{"garbage", "not.a.jwt", 401},
		{"bad signature", sign(other, claims(nil)), 401},
		{"expired", sign(tc.auth, claims(func(c jwt.MapClaims) { c["exp"] = 1600000000 })), 401},
		{"not yet valid", sign(tc.auth, claims(func(c jwt.MapClaims) { c["nbf"] = 4102444000 })), 401},
		{"wrong aud", sign(tc.auth, claims(func(c jwt.MapClaims) { c["aud"] = "someone-else" })), 401},
		{"wrong iss", sign(tc.auth, claims(func(c jwt.MapClaims) { c["iss"] = "https://evil.example" })), 401},
		{"access token client_id", sign(tc.auth, claims(func(c jwt.MapClaims) { delete(c, "aud"); c["client_id"] = tc.auth.audience })), 200},
		{"valid", sign(tc.auth, claims(nil)), 200},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body, _ := do(t, "GET", "/secure", c.token, "")
			if status != c.wantStatus {
				t.Fatalf("got %d %s, want %d", status, body, c.wantStatus)
			}
			if status == 401 && body != `{"message":"Unauthorized"}` {
				t.Errorf("body: got %s", body)
			}
		})
	}
	_, ev, _ := echoEvent(t, "GET", "/secure", sign(tc.auth, claims(nil)), "")
	if ev.RequestContext.Authorizer == nil || ev.RequestContext.Authorizer.JWT == nil {
		t.Fatal("no jwt authorizer context")
	}
	got := ev.RequestContext.Authorizer.JWT.Claims
	want := map[string]string{"sub": "u1", "cognito:groups": "[admins evaluators]", "exp": "4102444800", "token_use": "id"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("claim %s: got %q, want %q", k, got[k], v)
		}
	}
}

func TestLocalToken(t *testing.T) {
	cases := []struct {
		query      string
		wantStatus int
		wantGroups string
	}{
		{"role=admin", 200, "[admins]"},
		{"role=evaluator&sub=e7", 200, "[evaluators]"},
		{"role=root", 400, ""},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			status, tok, _ := do(t, "GET", "/_local/token?"+c.query, "", "")
			if status != c.wantStatus {
				t.Fatalf("status: got %d, want %d", status, c.wantStatus)
			}
			if status != 200 {
				return
			}
			_, ev, _ := echoEvent(t, "GET", "/secure", tok, "")
			if got := ev.RequestContext.Authorizer.JWT.Claims["cognito:groups"]; got != c.wantGroups {
				t.Errorf("groups: got %q, want %q", got, c.wantGroups)
			}
		})
	}
	status, body, _ := do(t, "GET", "/_local/jwks.json", "", "")
	if status != 200 || !strings.Contains(body, `"kty":"RSA"`) {
		t.Errorf("jwks: got %d %s", status, body)
	}
}
