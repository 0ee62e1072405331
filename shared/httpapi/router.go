// Package httpapi is the HTTP edge shared by every API function: routing by
// API Gateway route key, JSON decoding with limits, one error-to-status
// mapping, RFC 9457 problem bodies in the request's language, identity from
// JWT claims and structured logs without personal data.
package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"

	"github.com/aws/aws-lambda-go/events"
)

// Request is an API Gateway request with what every handler needs decoded.
type Request struct {
	events.APIGatewayV2HTTPRequest
	Lang     i18n.Lang // the response language (?lang=, Accept-Language, fr)
	Identity Identity
	Log      *slog.Logger
}

// Response is what a handler returns; the router renders it.
type Response struct {
	Status  int
	Body    any    // marshalled as JSON unless Raw is set
	Raw     []byte // sent as is with ContentType
	Headers map[string]string
	// ContentType of Raw; JSON bodies are application/json.
	ContentType string
}

// JSON is a JSON response.
func JSON(status int, body any) Response { return Response{Status: status, Body: body} }

// NoContent is a 204.
func NoContent() Response { return Response{Status: http.StatusNoContent} }

// HandlerFunc serves one route.
type HandlerFunc func(ctx context.Context, r *Request) (Response, error)

// Router dispatches on the route key API Gateway sets ("GET /api/news/{slug}").
type Router struct {
	routes map[string]HandlerFunc
	log    *slog.Logger
}

// NewRouter returns an empty router logging to log.
func NewRouter(log *slog.Logger) *Router {
	return &Router{routes: map[string]HandlerFunc{}, log: log}
}

// Handle registers h for routeKey. Registering a key twice panics.
func (rt *Router) Handle(routeKey string, h HandlerFunc) {
	if _, dup := rt.routes[routeKey]; dup {
		panic("httpapi: route registered twice: " + routeKey)
	}
	rt.routes[routeKey] = h
}

// Admin registers h for routeKey, reachable only by the admins group.
func (rt *Router) Admin(routeKey string, h HandlerFunc) {
	rt.Handle(routeKey, RequireGroup(GroupAdmins, h))
}

// Routes lists the registered route keys, sorted.
func (rt *Router) Routes() []string {
	keys := make([]string, 0, len(rt.routes))
	for k := range rt.routes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// RequireGroup wraps h so that only members of group reach it: 401 without
// an identity, 403 with one outside the group.
func RequireGroup(group string, h HandlerFunc) HandlerFunc {
	return func(ctx context.Context, r *Request) (Response, error) {
		if r.Identity.Subject == "" {
			return Response{}, apperr.New(apperr.Unauthorized, "")
		}
		if !r.Identity.In(group) {
			return Response{}, apperr.New(apperr.Forbidden, group+"_only")
		}
		return h(ctx, r)
	}
}

// Serve handles one API Gateway event. It always returns a nil error: every
// failure is a problem+json response (a Go error would become a bare 502).
func (rt *Router) Serve(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (resp events.APIGatewayV2HTTPResponse, _ error) {
	start := time.Now()
	r := &Request{
		APIGatewayV2HTTPRequest: ev,
		Lang:                    i18n.Negotiate(ev.QueryStringParameters["lang"], header(ev.Headers, "accept-language")),
		Identity:                IdentityFrom(ev),
	}
	r.Log = rt.log.With("requestId", ev.RequestContext.RequestID, "route", ev.RouteKey)
	defer func() {
		if p := recover(); p != nil {
			r.Log.Error("panic", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			resp = ProblemResponse(fmt.Errorf("panic: %v", p), r.Lang)
		}
		r.Log.Info("request", "status", resp.StatusCode, "durationMs", time.Since(start).Milliseconds())
	}()

	h, ok := rt.routes[ev.RouteKey]
	if !ok {
		return ProblemResponse(apperr.New(apperr.NotFound, "no_route"), r.Lang), nil
	}
	out, err := h(ctx, r)
	if err != nil {
		code := apperr.CodeOf(err)
		switch code {
		case apperr.Internal:
			r.Log.Error("request failed", "code", code, "error", err.Error())
		case apperr.Unavailable:
			r.Log.Warn("dependency unavailable", "code", code, "error", err.Error())
		default:
			r.Log.Info("request refused", "code", code)
		}
		return ProblemResponse(err, r.Lang), nil
	}
	return render(out, r.Lang), nil
}

func render(out Response, lang i18n.Lang) events.APIGatewayV2HTTPResponse {
	headers := map[string]string{"X-Content-Type-Options": "nosniff"}
	var body string
	switch {
	case out.Raw != nil:
		body = string(out.Raw)
		headers["Content-Type"] = out.ContentType
	case out.Body != nil:
		b, err := json.Marshal(out.Body)
		if err != nil {
			return ProblemResponse(fmt.Errorf("marshal response: %w", err), lang)
		}
		body = string(b)
		headers["Content-Type"] = "application/json; charset=utf-8"
		headers["Content-Language"] = string(lang)
	}
	if _, set := out.Headers["Cache-Control"]; !set {
		headers["Cache-Control"] = "no-store"
	}
	for k, v := range out.Headers {
		headers[k] = v
	}
	status := out.Status
	if status == 0 {
		status = http.StatusOK
	}
	return events.APIGatewayV2HTTPResponse{StatusCode: status, Headers: headers, Body: body}
}

// header reads a header; API Gateway lower-cases names in payload 2.0.
func header(h map[string]string, name string) string {
	v, _ := LookupHeader(h, name)
	return v
}

// LookupHeader returns the header name of h (case-insensitive) and whether
// it was sent at all.
func LookupHeader(h map[string]string, name string) (string, bool) {
	if v, ok := h[name]; ok {
		return v, true
	}
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}

// Header returns the named request header (case-insensitive).
func (r *Request) Header(name string) string { return header(r.Headers, name) }

// HeaderValue returns the named request header (case-insensitive) and
// whether it was sent at all: an empty header is not a missing one.
func (r *Request) HeaderValue(name string) (string, bool) { return LookupHeader(r.Headers, name) }

// Query returns a query parameter.
func (r *Request) Query(name string) string { return r.QueryStringParameters[name] }

// Path returns a path parameter.
func (r *Request) Path(name string) string { return r.PathParameters[name] }

// QueryLang returns the ?lang= of a listing: fr when absent, Invalid when
// it names a language the portal does not have.
func (r *Request) QueryLang() (i18n.Lang, error) {
	v, present := r.QueryStringParameters["lang"]
	if !present || v == "" {
		return r.Lang, nil
	}
	if l, ok := i18n.Parse(v); ok {
		return l, nil
	}
	var fs apperr.Fields
	fs.Add("lang", "lang", nil)
	return "", fs.Err()
}

// Limit reads ?limit= for a listing: def when absent, Invalid outside 1..max.
func (r *Request) Limit(def, max int) (int, error) {
	v := r.QueryStringParameters["limit"]
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		var fs apperr.Fields
		fs.Add("limit", "range", map[string]any{"min": 1, "max": max})
		return 0, fs.Err()
	}
	return n, nil
}
