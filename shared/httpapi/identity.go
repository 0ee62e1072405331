package httpapi

import (
	"encoding/json"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// Group names of the Cognito user pool.
const (
	GroupAdmins     = "admins"
	GroupEvaluators = "evaluators"
)

// Identity is who signed the request, from the JWT claims the gateway's
// authorizer verified. Public routes have a zero Identity.
type Identity struct {
	Subject string
	Groups  []string
}

// In reports whether the identity belongs to group.
func (id Identity) In(group string) bool {
	for _, g := range id.Groups {
		if g == group {
			return true
		}
	}
	return false
}

// IdentityFrom reads the verified claims of an HTTP API (payload 2.0) request.
func IdentityFrom(req events.APIGatewayV2HTTPRequest) Identity {
	a := req.RequestContext.Authorizer
	if a == nil || a.JWT == nil {
		return Identity{}
	}
	return Identity{Subject: a.JWT.Claims["sub"], Groups: parseGroups(a.JWT.Claims["cognito:groups"])}
}

// parseGroups reads the groups claim as API Gateway passes it: arrays are
// flattened to "[admins evaluators]"; a JSON array or a comma list also works.
func parseGroups(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if strings.HasPrefix(s, `["`) {
		var gs []string
		if json.Unmarshal([]byte(s), &gs) == nil {
			return gs
		}
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	return strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
}
