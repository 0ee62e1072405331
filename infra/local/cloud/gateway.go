package cloud

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"espaceosc/infra/template"
)

// gateway emulates an API Gateway HTTP API (payload format 2.0) built from the
// template's HttpApi events.
type gateway struct {
	routes    []*route
	functions map[string]*function
	auth      *authority
	cors      *corsConfig
}

type segKind int

// Segment kinds, ordered by precedence: a literal beats {param} beats {proxy+}.
const (
	segLiteral segKind = iota
	segParam
	segGreedy
)

type segment struct {
	kind segKind
	text string // literal text or parameter name
}

type route struct {
	def       template.Route
	segments  []segment
	isDefault bool
}

type corsConfig struct {
	origins, methods, headers, expose []string
	maxAge                            int
	credentials                       bool
}

func newGateway(tpl *template.Template, fns map[string]*function, auth *authority, resolve func(string) (string, bool)) (*gateway, error) {
	g := &gateway{functions: fns, auth: auth}
	for _, r := range tpl.Routes() {
		rt := &route{def: r}
		if r.Path == "$default" {
			rt.isDefault = true
		} else {
			rt.segments = parsePath(r.Path)
		}
		g.routes = append(g.routes, rt)
	}
	if c := tpl.API.CORS; c != nil {
		cc := &corsConfig{methods: c.AllowMethods, headers: c.AllowHeaders, expose: c.ExposeHeaders, maxAge: c.MaxAge, credentials: c.AllowCredentials}
		for _, o := range c.AllowOrigins {
			s, err := o.Resolve(resolve)
			if err != nil {
				return nil, fmt.Errorf("CORS origin: %w", err)
			}
			cc.origins = append(cc.origins, s)
		}
		g.cors = cc
	}
	return g, nil
}

func parsePath(p string) []segment {
	var segs []segment
	for _, s := range strings.Split(strings.Trim(p, "/"), "/") {
		switch {
		case s == "":
			continue
		case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "+}"):
			segs = append(segs, segment{segGreedy, s[1 : len(s)-2]})
		case strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}"):
			segs = append(segs, segment{segParam, s[1 : len(s)-1]})
		default:
			segs = append(segs, segment{segLiteral, s})
		}
	}
	return segs
}

// match finds the most specific route for method and path: literal segments beat
// {param} beat {proxy+}; an exact method beats ANY; $default catches the rest.
func (g *gateway) match(method, path string) (*route, map[string]string) {
	parts := splitPath(path)
	var (
		best       *route
		bestParams map[string]string
		bestScore  []int
	)
	var fallback *route
	for _, rt := range g.routes {
		if rt.def.Method != method && rt.def.Method != "ANY" {
			continue
		}
		if rt.isDefault {
			fallback = rt
			continue
		}
		params, score, ok := rt.matchPath(parts)
		if !ok {
			continue
		}
		if rt.def.Method == "ANY" {
			score = append(score, 1)
		} else {
			score = append(score, 0)
		}
		if best == nil || less(score, bestScore) {
			best, bestParams, bestScore = rt, params, score
		}
	}
	if best == nil && fallback != nil {
		return fallback, nil
	}
	return best, bestParams
}

func splitPath(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (rt *route) matchPath(parts []string) (map[string]string, []int, bool) {
	params := map[string]string{}
	var score []int
	for i, seg := range rt.segments {
		if seg.kind == segGreedy {
			if i >= len(parts) {
				return nil, nil, false
			}
			v, err := url.PathUnescape(strings.Join(parts[i:], "/"))
			if err != nil {
				return nil, nil, false
			}
			params[seg.text] = v
			score = append(score, int(segGreedy))
			return params, score, true
		}
		if i >= len(parts) {
			return nil, nil, false
		}
		switch seg.kind {
		case segLiteral:
			if parts[i] != seg.text {
				return nil, nil, false
			}
		case segParam:
			v, err := url.PathUnescape(parts[i])
			if err != nil {
				return nil, nil, false
			}
			params[seg.text] = v
		}
		score = append(score, int(seg.kind))
	}
	if len(parts) != len(rt.segments) {
		return nil, nil, false
	}
	return params, score, true
}

// less compares two route scores: at the first differing segment, the lower kind wins.
func less(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) > len(b)
}

func writeMessage(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, "{\"message\":%q}", msg)
}

func (g *gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	began := time.Now()
	origin := r.Header.Get("Origin")
	if g.cors != nil && r.Method == http.MethodOptions && origin != "" && r.Header.Get("Access-Control-Request-Method") != "" {
		g.preflight(w, r)
		return
	}
	if g.cors != nil && origin != "" {
		g.corsHeaders(w.Header(), origin)
	}
	rt, params := g.match(r.Method, r.URL.EscapedPath())
	if rt == nil {
		writeMessage(w, http.StatusNotFound, "Not Found")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		writeMessage(w, http.StatusBadRequest, "Bad Request")
		return
	}
	if len(body) > maxBodyBytes {
		writeMessage(w, http.StatusRequestEntityTooLarge, "Request Entity Too Large")
		return
	}
	ev := buildEvent(r, rt, params, body, began)
	if !rt.def.Public {
		claims, scopes, err := g.auth.authorize(rt.def.Authorizer, ev.Headers)
		if err != nil {
			// As API Gateway's JWT authorizer: the scheme alone without a
			// token, an invalid_token error with a refused one.
			challenge := `Bearer error="invalid_token"`
			if errors.Is(err, errNoToken) {
				challenge = "Bearer"
			}
			w.Header().Set("WWW-Authenticate", challenge)
			writeMessage(w, http.StatusUnauthorized, "Unauthorized")
			return
		}
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: claims, Scopes: scopes},
		}
	}
	payload, err := json.Marshal(ev)
	if err != nil {
		writeMessage(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	fn := g.functions[rt.def.FunctionLogicalID]
	if fn == nil {
		log.Printf("%s %s: function %s is not built", r.Method, r.URL.Path, rt.def.FunctionLogicalID)
		writeMessage(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	// A client that goes away does not stop a Lambda invocation.
	res, err := fn.invoke(context.WithoutCancel(r.Context()), payload)
	switch {
	case errors.Is(err, errTimeout):
		log.Printf("%s %s: %s: %v", r.Method, r.URL.Path, rt.def.FunctionLogicalID, err)
		writeMessage(w, http.StatusServiceUnavailable, "Service Unavailable")
		return
	case err != nil:
		log.Printf("%s %s: %s: %v", r.Method, r.URL.Path, rt.def.FunctionLogicalID, err)
		writeMessage(w, http.StatusInternalServerError, "Internal Server Error")
		return
	case res.err != nil:
		log.Printf("%s %s: %s returned an error (%s)", r.Method, r.URL.Path, rt.def.FunctionLogicalID, res.err.Type)
		writeMessage(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	if err := writeResponse(w, res.payload); err != nil {
		log.Printf("%s %s: %s: invalid response: %v", r.Method, r.URL.Path, rt.def.FunctionLogicalID, err)
		writeMessage(w, http.StatusInternalServerError, "Internal Server Error")
	}
}

// buildEvent builds the payload format 2.0 event as HTTP API does.
func buildEvent(r *http.Request, rt *route, params map[string]string, body []byte, now time.Time) events.APIGatewayV2HTTPRequest {
	headers := map[string]string{}
	var cookies []string
	for k, vs := range r.Header {
		lk := strings.ToLower(k)
		if lk == "cookie" {
			for _, v := range vs {
				for _, c := range strings.Split(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						cookies = append(cookies, c)
					}
				}
			}
			continue
		}
		headers[lk] = strings.Join(vs, ",")
	}
	headers["host"] = r.Host
	host, port, _ := net.SplitHostPort(r.Host)
	if host == "" {
		host, port = r.Host, "80"
	}
	sourceIP, _, _ := net.SplitHostPort(r.RemoteAddr)
	if xff := headers["x-forwarded-for"]; xff != "" {
		headers["x-forwarded-for"] = xff + ", " + sourceIP
	} else {
		headers["x-forwarded-for"] = sourceIP
	}
	headers["x-forwarded-port"] = port
	headers["x-forwarded-proto"] = "http"
	if len(body) > 0 || r.ContentLength >= 0 && r.Method != http.MethodGet && r.Method != http.MethodHead {
		headers["content-length"] = strconv.Itoa(len(body))
	}
	if _, ok := headers["x-amzn-trace-id"]; !ok {
		headers["x-amzn-trace-id"] = "Root=1-" + strconv.FormatInt(now.Unix(), 16) + "-" + strings.ReplaceAll(newID(), "-", "")[:24]
	}

	var query map[string]string
	if r.URL.RawQuery != "" {
		query = map[string]string{}
		q := r.URL.Query()
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			query[k] = strings.Join(q[k], ",")
		}
	}
	if len(params) == 0 {
		params = nil
	}
	rawPath := r.URL.EscapedPath()
	prefix, _, _ := strings.Cut(host, ".")
	ev := events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              rt.def.Key(),
		RawPath:               rawPath,
		RawQueryString:        r.URL.RawQuery,
		Cookies:               cookies,
		Headers:               headers,
		QueryStringParameters: query,
		PathParameters:        params,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     rt.def.Key(),
			AccountID:    AccountID,
			Stage:        "$default",
			RequestID:    strings.ReplaceAll(newID(), "-", "")[:16] + "=",
			APIID:        apiID,
			DomainName:   host,
			DomainPrefix: prefix,
			Time:         now.UTC().Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch:    now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    r.Method,
				Path:      rawPath,
				Protocol:  r.Proto,
				SourceIP:  sourceIP,
				UserAgent: r.UserAgent(),
			},
		},
	}
	if len(body) > 0 {
		if isTextual(r.Header.Get("Content-Type")) && utf8.Valid(body) {
			ev.Body = string(body)
		} else {
			ev.Body = base64.StdEncoding.EncodeToString(body)
			ev.IsBase64Encoded = true
		}
	}
	return ev
}

// isTextual reports whether a request body of this content type reaches the
// function as text (other bodies are base64-encoded).
func isTextual(contentType string) bool {
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"),
		mt == "application/json", mt == "application/xml", mt == "application/javascript",
		mt == "application/x-www-form-urlencoded", mt == "application/graphql",
		strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"):
		return true
	}
	return false
}

// writeResponse maps a payload 2.0 function response to HTTP.
func writeResponse(w http.ResponseWriter, payload []byte) error {
	trimmed := bytes.TrimSpace(payload)
	if !json.Valid(trimmed) {
		return errors.New("response is not JSON")
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(trimmed, &probe) != nil || probe["statusCode"] == nil {
		// No statusCode: HTTP API takes the whole payload as a JSON body with status 200.
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(trimmed)
		return nil
	}
	var resp events.APIGatewayV2HTTPResponse
	if err := json.Unmarshal(trimmed, &resp); err != nil {
		return err
	}
	if resp.StatusCode < 100 || resp.StatusCode > 599 {
		return fmt.Errorf("invalid statusCode %d", resp.StatusCode)
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(resp.Body)
		if err != nil {
			return fmt.Errorf("body is not base64: %w", err)
		}
		body = b
	}
	h := w.Header()
	for k, v := range resp.Headers {
		h.Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	for _, c := range resp.Cookies {
		h.Add("Set-Cookie", c)
	}
	if h.Get("Content-Type") == "" && len(body) > 0 {
		h.Set("Content-Type", "application/json")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(body)
	return nil
}

func (c *corsConfig) originAllowed(origin string) (string, bool) {
	for _, o := range c.origins {
		if o == "*" {
			return "*", true
		}
		if strings.EqualFold(strings.TrimRight(o, "/"), origin) {
			return origin, true
		}
	}
	return "", false
}

func (g *gateway) corsHeaders(h http.Header, origin string) {
	allow, ok := g.cors.originAllowed(origin)
	if !ok {
		return
	}
	h.Set("Access-Control-Allow-Origin", allow)
	if allow != "*" {
		h.Add("Vary", "Origin")
	}
	if g.cors.credentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	if len(g.cors.expose) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(g.cors.expose, ","))
	}
}

// preflight answers a CORS preflight from the CorsConfiguration, without calling a function.
func (g *gateway) preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	allow, ok := g.cors.originAllowed(r.Header.Get("Origin"))
	method := strings.ToUpper(r.Header.Get("Access-Control-Request-Method"))
	methodOK := containsFold(g.cors.methods, "*") || containsFold(g.cors.methods, method)
	headersOK := true
	for _, rh := range strings.Split(r.Header.Get("Access-Control-Request-Headers"), ",") {
		if rh = strings.TrimSpace(rh); rh != "" && !containsFold(g.cors.headers, "*") && !containsFold(g.cors.headers, rh) {
			headersOK = false
		}
	}
	if ok && methodOK && headersOK {
		h.Set("Access-Control-Allow-Origin", allow)
		h.Set("Access-Control-Allow-Methods", strings.Join(g.cors.methods, ","))
		if len(g.cors.headers) > 0 {
			h.Set("Access-Control-Allow-Headers", strings.Join(g.cors.headers, ","))
		}
		if g.cors.maxAge > 0 {
			h.Set("Access-Control-Max-Age", strconv.Itoa(g.cors.maxAge))
		}
		if g.cors.credentials {
			h.Set("Access-Control-Allow-Credentials", "true")
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
