package httpapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"

	"github.com/aws/aws-lambda-go/events"
)

type sample struct {
	Name    string `json:"name"`
	Age     int    `json:"age"`
	Consent bool   `json:"consent"`
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		base64      bool
		wantCode    apperr.Code
		wantField   string
	}{
		{"valid", "application/json", `{"name":"a","age":3,"consent":true}`, false, "", ""},
		{"valid with charset", "application/json; charset=utf-8", `{"name":"a"}`, false, "", ""},
		{"valid base64", "application/json", base64.StdEncoding.EncodeToString([]byte(`{"name":"a"}`)), true, "", ""},
		{"malformed", "application/json", `{"name":`, false, apperr.Invalid, ""},
		{"trailing data", "application/json", `{"name":"a"} {}`, false, apperr.Invalid, ""},
		{"empty", "application/json", "  ", false, apperr.Invalid, ""},
		{"array", "application/json", `[1]`, false, apperr.Invalid, "body"},
		{"wrong type", "application/json", `{"age":"three"}`, false, apperr.Invalid, "age"},
		{"wrong bool", "application/json", `{"consent":"yes"}`, false, apperr.Invalid, "consent"},
		{"unknown field", "application/json", `{"nom":"a"}`, false, apperr.Invalid, "nom"},
		{"not json", "text/plain", `{"name":"a"}`, false, apperr.UnsupportedMediaType, ""},
		{"no content type", "", `{"name":"a"}`, false, apperr.UnsupportedMediaType, ""},
		{"too large", "application/json", `{"name":"` + strings.Repeat("a", MaxBodyBytes) + `"}`, false, apperr.TooLarge, ""},
		{"too large base64", "application/json", base64.StdEncoding.EncodeToString([]byte(strings.Repeat(" ", MaxBodyBytes+10))), true, apperr.TooLarge, ""},
		{"bad base64", "application/json", "!!!", true, apperr.Invalid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v sample
			err := decodeBody(tt.contentType, tt.body, tt.base64, &v)
			if got, want := apperr.CodeOf(err), tt.wantCode; got != want {
				t.Fatalf("code = %q, want %q (err %v)", got, want, err)
			}
			if tt.wantField != "" {
				e, _ := apperr.As(err)
				if len(e.Fields) != 1 || e.Fields[0].Field != tt.wantField {
					t.Fatalf("fields = %+v, want one for %q", e.Fields, tt.wantField)
				}
			}
		})
	}
}

func TestProblemLocalized(t *testing.T) {
	var fs apperr.Fields
	fs.Add("email", "email", nil)
	fs.Add("subject", "too_long", map[string]any{"max": 200})
	err := fs.Err()

	fr := NewProblem(err, i18n.FR)
	ar := NewProblem(err, i18n.AR)
	if got, want := fr.Status, 400; got != want {
		t.Fatalf("status = %d, want %d", got, want)
	}
	if got, want := fr.Type, ProblemTypeBase+"invalid"; got != want {
		t.Fatalf("type = %q, want %q", got, want)
	}
	if len(fr.Errors) != 2 || fr.Errors[1].Field != "subject" || !strings.Contains(fr.Errors[1].Message, "200") {
		t.Fatalf("fr errors = %+v", fr.Errors)
	}
	if fr.Errors[0].Message == ar.Errors[0].Message || !strings.ContainsRune(ar.Errors[0].Message, 'ا') {
		t.Fatalf("ar message %q is not Arabic", ar.Errors[0].Message)
	}
	// Uncoded errors never leak their text.
	p := NewProblem(errors.New("dynamodb: secret table name"), i18n.FR)
	if p.Status != 500 || strings.Contains(p.Detail, "secret") {
		t.Fatalf("internal problem = %+v", p)
	}
}

func TestStatusMapping(t *testing.T) {
	tests := map[apperr.Code]int{
		apperr.Invalid: 400, apperr.UnsupportedMediaType: 415, apperr.TooLarge: 413,
		apperr.Unauthorized: 401, apperr.Forbidden: 403, apperr.NotFound: 404,
		apperr.Conflict: 409, apperr.Unprocessable: 422, apperr.Unavailable: 503, apperr.Internal: 500,
	}
	for code, want := range tests {
		if got := Status(code); got != want {
			t.Errorf("Status(%s) = %d, want %d", code, got, want)
		}
		// Every code has a title and detail in both languages.
		for _, l := range i18n.Langs {
			if k := "title." + string(code); !i18n.Has(k) || i18n.T(l, k, nil) == "" {
				t.Errorf("missing %s", k)
			}
			if k := "detail." + string(code); !i18n.Has(k) {
				t.Errorf("missing %s", k)
			}
		}
	}
}

func TestParseGroups(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"[admins]", []string{"admins"}},
		{"[admins evaluators]", []string{"admins", "evaluators"}},
		{`["admins","evaluators"]`, []string{"admins", "evaluators"}},
		{"admins,evaluators", []string{"admins", "evaluators"}},
	}
	for _, tt := range tests {
		got := parseGroups(tt.in)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("parseGroups(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func adminEvent(routeKey, groups string) events.APIGatewayV2HTTPRequest {
	ev := events.APIGatewayV2HTTPRequest{RouteKey: routeKey, Headers: map[string]string{}}
	if groups != "" {
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{
				Claims: map[string]string{"sub": "u1", "cognito:groups": groups},
			},
		}
	}
	return ev
}

func TestRouter(t *testing.T) {
	rt := NewRouter(NewLogger(io.Discard))
	rt.Handle("GET /api/ping", func(ctx context.Context, r *Request) (Response, error) {
		return JSON(200, map[string]string{"lang": string(r.Lang)}), nil
	})
	rt.Admin("DELETE /api/admin/thing", func(ctx context.Context, r *Request) (Response, error) {
		return NoContent(), nil
	})
	rt.Handle("GET /api/boom", func(ctx context.Context, r *Request) (Response, error) { panic("boom") })
	rt.Handle("GET /api/down", func(ctx context.Context, r *Request) (Response, error) {
		return Response{}, apperr.Wrap(apperr.Unavailable, "", errors.New("throttled"))
	})

	tests := []struct {
		name       string
		ev         events.APIGatewayV2HTTPRequest
		wantStatus int
		wantType   string
	}{
		{"public", events.APIGatewayV2HTTPRequest{RouteKey: "GET /api/ping"}, 200, "application/json; charset=utf-8"},
		{"admin ok", adminEvent("DELETE /api/admin/thing", "[admins]"), 204, ""},
		{"admin among groups", adminEvent("DELETE /api/admin/thing", "[evaluators admins]"), 204, ""},
		{"evaluator refused", adminEvent("DELETE /api/admin/thing", "[evaluators]"), 403, "application/problem+json; charset=utf-8"},
		{"no identity", adminEvent("DELETE /api/admin/thing", ""), 401, "application/problem+json; charset=utf-8"},
		{"unknown route", events.APIGatewayV2HTTPRequest{RouteKey: "GET /nope"}, 404, "application/problem+json; charset=utf-8"},
		{"panic", events.APIGatewayV2HTTPRequest{RouteKey: "GET /api/boom"}, 500, "application/problem+json; charset=utf-8"},
		{"unavailable", events.APIGatewayV2HTTPRequest{RouteKey: "GET /api/down"}, 503, "application/problem+json; charset=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := rt.Serve(context.Background(), tt.ev)
			if err != nil {
				t.Fatalf("Serve returned error %v", err)
			}
			if got, want := resp.StatusCode, tt.wantStatus; got != want {
				t.Fatalf("status = %d, want %d (body %s)", got, want, resp.Body)
			}
			if got, want := resp.Headers["Content-Type"], tt.wantType; got != want {
				t.Fatalf("content-type = %q, want %q", got, want)
			}
			if strings.HasPrefix(tt.wantType, "application/problem+json") {
				var p Problem
				if err := json.Unmarshal([]byte(resp.Body), &p); err != nil || p.Status != tt.wantStatus || p.Title == "" {
					t.Fatalf("problem body %s: %v", resp.Body, err)
				}
			}
		})
	}
	if got, want := strings.Join(rt.Routes(), ","), "DELETE /api/admin/thing,GET /api/boom,GET /api/down,GET /api/ping"; got != want {
		t.Fatalf("Routes() = %q, want %q", got, want)
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct{ query, accept, want string }{
		{"", "", "fr"},
		{"ar", "fr", "ar"},
		{"de", "ar-MA,fr;q=0.8", "ar"},
		{"", "en-US,en;q=0.9,ar;q=0.8,fr;q=0.7", "ar"},
		{"", "fr;q=0.5,ar;q=0.9", "ar"},
		{"", "ar;q=0", "fr"},
	}
	for _, tt := range tests {
		if got := i18n.Negotiate(tt.query, tt.accept); string(got) != tt.want {
			t.Errorf("Negotiate(%q, %q) = %q, want %q", tt.query, tt.accept, got, tt.want)
		}
	}
}

func TestQueryLangAndLimit(t *testing.T) {
	r := &Request{Lang: i18n.FR}
	r.QueryStringParameters = map[string]string{"lang": "xx", "limit": "0"}
	if _, err := r.QueryLang(); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("QueryLang(xx) err = %v, want invalid", err)
	}
	if _, err := r.Limit(10, 50); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("Limit(0) err = %v, want invalid", err)
	}
	r.QueryStringParameters = map[string]string{"lang": "ar", "limit": "50"}
	if l, err := r.QueryLang(); err != nil || l != i18n.AR {
		t.Fatalf("QueryLang(ar) = %v, %v", l, err)
	}
	if n, err := r.Limit(10, 50); err != nil || n != 50 {
		t.Fatalf("Limit(50) = %v, %v", n, err)
	}
}

// FuzzDecode checks that no body makes decoding panic, and that every failure
// is a coded 4xx error. Its seeds run in every `go test`.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"name":"a","age":3,"consent":true}`, `{"name":"a\r\nBcc: x@y.z"}`, `{"age":1e400}`,
		`{"name":"\xff\xfe"}`, `{"name":null}`, `[]`, `"x"`, `{"a":{"b":[`, strings.Repeat("[", 10000),
		`{"name":"a","name":"b"}`, "\ufeff{}",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var v sample
		err := decodeBody("application/json", body, false, &v)
		if err == nil {
			return
		}
		code := apperr.CodeOf(err)
		if s := Status(code); s < 400 || s >= 500 {
			t.Fatalf("decode(%q) = %v: status %d, want 4xx", body, err, s)
		}
	})
}

func TestHeaderValue(t *testing.T) {
	r := &Request{APIGatewayV2HTTPRequest: events.APIGatewayV2HTTPRequest{Headers: map[string]string{
		"idempotency-key": "", "X-Forwarded-For": "203.0.113.7",
	}}}
	tests := []struct {
		name        string
		want        string
		wantPresent bool
	}{
		{"Idempotency-Key", "", true}, // sent empty: present
		{"idempotency-key", "", true},
		{"x-forwarded-for", "203.0.113.7", true},
		{"X-Forwarded-For", "203.0.113.7", true},
		{"Authorization", "", false},
	}
	for _, tt := range tests {
		got, present := r.HeaderValue(tt.name)
		if got != tt.want || present != tt.wantPresent {
			t.Errorf("HeaderValue(%q) = %q, %v; want %q, %v", tt.name, got, present, tt.want, tt.wantPresent)
		}
		if got := r.Header(tt.name); got != tt.want {
			t.Errorf("Header(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
