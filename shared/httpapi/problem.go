package httpapi

import (
	"encoding/json"
	"net/http"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"

	"github.com/aws/aws-lambda-go/events"
)

// ProblemTypeBase prefixes the `type` of every problem; the code follows.
const ProblemTypeBase = "https://espace-osc.ma/problems/"

// Status maps an error code to its HTTP status. It is the only such mapping.
func Status(code apperr.Code) int {
	switch code {
	case apperr.Invalid:
		return http.StatusBadRequest
	case apperr.UnsupportedMediaType:
		return http.StatusUnsupportedMediaType
	case apperr.TooLarge:
		return http.StatusRequestEntityTooLarge
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Unprocessable:
		return http.StatusUnprocessableEntity
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type   string         `json:"type"`
	Title  string         `json:"title"`
	Status int            `json:"status"`
	Detail string         `json:"detail,omitempty"`
	Errors []ProblemField `json:"errors,omitempty"`
}

// ProblemField is one field error of a validation problem.
type ProblemField struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// NewProblem renders err in lang. Uncoded errors become a generic internal
// problem: their text never reaches the client.
func NewProblem(err error, lang i18n.Lang) Problem {
	code := apperr.CodeOf(err)
	p := Problem{
		Type:   ProblemTypeBase + string(code),
		Title:  i18n.T(lang, "title."+string(code), nil),
		Status: Status(code),
	}
	e, ok := apperr.As(err)
	if !ok {
		p.Detail = i18n.T(lang, "detail.internal", nil)
		return p
	}
	key := e.Key
	if key == "" || !i18n.Has(key) {
		key = "detail." + string(code)
	}
	p.Detail = i18n.T(lang, key, e.Params)
	for _, f := range e.Fields {
		p.Errors = append(p.Errors, ProblemField{Field: f.Field, Message: i18n.T(lang, f.Rule, f.Params)})
	}
	return p
}

// ProblemResponse renders err as an application/problem+json response.
func ProblemResponse(err error, lang i18n.Lang) events.APIGatewayV2HTTPResponse {
	p := NewProblem(err, lang)
	body, _ := json.Marshal(p)
	headers := map[string]string{
		"Content-Type":           "application/problem+json; charset=utf-8",
		"Content-Language":       string(lang),
		"Cache-Control":          "no-store",
		"X-Content-Type-Options": "nosniff",
	}
	if p.Status == http.StatusServiceUnavailable {
		headers["Retry-After"] = "5"
	}
	return events.APIGatewayV2HTTPResponse{StatusCode: p.Status, Headers: headers, Body: string(body)}
}
