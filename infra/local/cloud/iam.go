package cloud

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"

	"espaceosc/infra/template"
)

// IAM of the local cloud. Every function runs with credentials of its own
// (as a Lambda runs with its role's session credentials), and every call it
// makes to DynamoDB, S3 or SES is signed with them; the services check the
// signature, find the function's role, and evaluate the request against the
// role's inline statements in template.yaml as IAM does: an explicit Deny
// wins, then any Allow, else the request is denied. SAM policy templates and
// managed policies are not evaluated: they grant nothing here, so a function
// that relies on one fails locally as it would not in AWS — which is why
// the template lists explicit statements, checked by infra/consistency.

// principal is one role session: a function's, or the operator's (tests
// and tools acting as the account's administrator).
type principal struct {
	name         string // the function's logical ID, or "operator"
	accessKey    string
	secretKey    string
	sessionToken string
	statements   []policyStatement
	allowAll     bool
	templates    []string // SAM policy templates the function lists (not evaluated)
}

// arn is how AWS names the principal in an AccessDenied message.
func (p *principal) arn() string {
	if p.allowAll {
		return "arn:aws:iam::" + AccountID + ":root"
	}
	return "arn:aws:sts::" + AccountID + ":assumed-role/espace-osc-local-" + p.name + "Role/" + p.name
}

type policyStatement struct {
	allow        bool
	actions      []string // lower case
	notActions   []string
	resources    []string
	notResources []string
	conditions   []condition
}

type condition struct {
	op     string // e.g. StringEquals, ForAllValues:StringLike, StringLikeIfExists
	key    string // lower case
	values []string
}

// iamRequest is one action on one resource, with the request's condition
// keys (lower-case names).
type iamRequest struct {
	action   string // service:Action
	resource string
	context  map[string][]string
}

// iam holds the principals by access key.
type iam struct {
	mu    sync.RWMutex
	byKey map[string]*principal
	byFn  map[string]*principal
	now   func() time.Time
}

func newIAM() *iam {
	return &iam{byKey: map[string]*principal{}, byFn: map[string]*principal{}, now: time.Now}
}

// newCredentials draws an access key (ASIA…, as session credentials are
// named), a secret and a session token.
func newCredentials(name string) (ak, sk, token string) {
	b := make([]byte, 64)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	h := hmac.New(sha256.New, b[:32])
	h.Write([]byte(name))
	id := base32.StdEncoding.EncodeToString(h.Sum(nil))
	return "ASIA" + id[:16], base64.RawStdEncoding.EncodeToString(b[32:62]), "local-" + base64.RawURLEncoding.EncodeToString(b[:48])
}

// addFunction gives the function f credentials and its role's statements,
// resolved with resolve (Ref, GetAtt and Sub names) and then rewrite (local
// names for deployed ones).
func (m *iam) addFunction(f template.Function, resolve func(string) (string, bool), rewrite func(string) string) (*principal, error) {
	p := &principal{name: f.LogicalID, templates: f.PolicyTemplates}
	p.accessKey, p.secretKey, p.sessionToken = newCredentials(f.LogicalID)
	for _, s := range f.Policies {
		ps, err := resolveStatement(s, resolve, rewrite)
		if err != nil {
			return nil, fmt.Errorf("function %s: policy: %w", f.LogicalID, err)
		}
		p.statements = append(p.statements, ps)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.byKey[p.accessKey] = p
	m.byFn[f.LogicalID] = p
	return p, nil
}

// addOperator returns credentials allowed everything.
func (m *iam) addOperator() *principal {
	p := &principal{name: "operator", allowAll: true}
	p.accessKey, p.secretKey, p.sessionToken = newCredentials("operator")
	p.sessionToken = ""
	m.mu.Lock()
	defer m.mu.Unlock()
	m.byKey[p.accessKey] = p
	return p
}

func resolveStatement(s template.Statement, resolve func(string) (string, bool), rewrite func(string) string) (policyStatement, error) {
	ps := policyStatement{allow: s.Effect == "Allow"}
	for _, a := range s.Actions {
		ps.actions = append(ps.actions, strings.ToLower(a))
	}
	for _, a := range s.NotActions {
		ps.notActions = append(ps.notActions, strings.ToLower(a))
	}
	resolveAll := func(vs []template.Value) ([]string, error) {
		var out []string
		for _, v := range vs {
			r, err := v.Resolve(resolve)
			if err != nil {
				return nil, err
			}
			out = append(out, rewrite(r))
		}
		return out, nil
	}
	var err error
	if ps.resources, err = resolveAll(s.Resources); err != nil {
		return ps, err
	}
	if ps.notResources, err = resolveAll(s.NotResources); err != nil {
		return ps, err
	}
	for op, keys := range s.Conditions {
		for key, vals := range keys {
			rv, err := resolveAll(vals)
			if err != nil {
				return ps, err
			}
			ps.conditions = append(ps.conditions, condition{op: op, key: strings.ToLower(key), values: rv})
		}
	}
	return ps, nil
}

// allowed evaluates req against p's role.
func (p *principal) allowed(req iamRequest) bool {
	if p.allowAll {
		return true
	}
	allow := false
	for _, s := range p.statements {
		if !s.matches(req) {
			continue
		}
		if !s.allow {
			return false // an explicit Deny wins
		}
		allow = true
	}
	return allow
}

func (s policyStatement) matches(req iamRequest) bool {
	action := strings.ToLower(req.action)
	if len(s.actions) > 0 && !anyMatch(s.actions, action) {
		return false
	}
	if len(s.notActions) > 0 && anyMatch(s.notActions, action) {
		return false
	}
	if len(s.resources) > 0 && !anyMatch(s.resources, req.resource) {
		return false
	}
	if len(s.notResources) > 0 && anyMatch(s.notResources, req.resource) {
		return false
	}
	for _, c := range s.conditions {
		if !c.holds(req.context) {
			return false
		}
	}
	return true
}

func anyMatch(patterns []string, s string) bool {
	for _, p := range patterns {
		if template.MatchWildcard(p, s) {
			return true
		}
	}
	return false
}

// holds evaluates one condition as IAM does, for the string operators the
// template may use. An unknown operator never holds (fails closed).
func (c condition) holds(ctx map[string][]string) bool {
	vals, present := ctx[c.key]
	op := c.op
	ifExists := strings.HasSuffix(op, "IfExists")
	op = strings.TrimSuffix(op, "IfExists")
	set := ""
	if i := strings.Index(op, ":"); i >= 0 {
		set, op = op[:i], op[i+1:]
	}
	match := func(v string) bool {
		for _, want := range c.values {
			switch op {
			case "StringEquals", "StringNotEquals":
				if v == want {
					return true
				}
			case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase":
				if strings.EqualFold(v, want) {
					return true
				}
			case "StringLike", "StringNotLike":
				if template.MatchWildcard(want, v) {
					return true
				}
			case "Bool":
				if strings.EqualFold(v, want) {
					return true
				}
			}
		}
		return false
	}
	negated := strings.Contains(op, "Not")
	switch op {
	case "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike", "Bool":
	default:
		log.Printf("local IAM: condition operator %s is not supported: the statement does not apply", c.op)
		return false
	}
	switch set {
	case "ForAllValues":
		// True when every value of the key matches — and when the key is absent.
		for _, v := range vals {
			if match(v) == negated {
				return false
			}
		}
		return true
	case "ForAnyValue":
		for _, v := range vals {
			if match(v) != negated {
				return true
			}
		}
		return false
	}
	if !present || len(vals) == 0 {
		// A missing key matches nothing: a negated operator holds, as does
		// any ...IfExists.
		return ifExists || negated
	}
	// A single-valued key.
	return match(vals[0]) != negated
}

// authError is a refusal, rendered by each service in its own format.
type authError struct {
	status  int
	code    string
	message string
}

func (e *authError) Error() string { return e.code + ": " + e.message }

// authenticate finds the principal that signed r for service and checks the
// signature. It returns an *authError the service renders.
func (m *iam) authenticate(r *http.Request, service string) (*principal, sigRequest, error) {
	s, err := parseSig(r)
	if errors.Is(err, errNoAuth) {
		return nil, s, &authError{http.StatusForbidden, "MissingAuthenticationToken", "Request is missing Authentication Token"}
	}
	if err != nil {
		return nil, s, &authError{http.StatusBadRequest, "IncompleteSignature", err.Error()}
	}
	m.mu.RLock()
	p := m.byKey[s.accessKey]
	m.mu.RUnlock()
	if p == nil {
		return nil, s, &authError{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."}
	}
	if s.service != service || s.region != Region {
		return nil, s, &authError{http.StatusForbidden, "SignatureDoesNotMatch", fmt.Sprintf("Credential should be scoped to a valid region (%s) and service (%s)", Region, service)}
	}
	if p.sessionToken != "" && s.token != p.sessionToken {
		return nil, s, &authError{http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid."}
	}
	switch err := s.verify(r, p.secretKey, m.now().UTC()); {
	case errors.Is(err, errExpired):
		return nil, s, &authError{http.StatusForbidden, "AccessDenied", "Request has expired"}
	case errors.Is(err, errSkewed):
		return nil, s, &authError{http.StatusForbidden, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large."}
	case err != nil:
		return nil, s, &authError{http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided."}
	}
	return p, s, nil
}

// authorize checks every request of reqs (a call may need several actions,
// e.g. a transaction's items); the first one denied is returned.
func (p *principal) authorize(reqs ...iamRequest) *iamRequest {
	for i := range reqs {
		if !p.allowed(reqs[i]) {
			return &reqs[i]
		}
	}
	return nil
}

// deniedMessage is AWS's AccessDenied text for an identity-based refusal.
func (p *principal) deniedMessage(req *iamRequest) string {
	return fmt.Sprintf("User: %s is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s action",
		p.arn(), req.action, req.resource, req.action)
}
