package httpapi

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"strings"

	"espaceosc/shared/apperr"
)

// MaxBodyBytes is the largest JSON body any route accepts.
const MaxBodyBytes = 64 << 10

// Decode reads the request's JSON body into v: JSON content type required,
// at most MaxBodyBytes, unknown fields and trailing data rejected, type
// mismatches reported per field. It validates nothing else: that is the
// domain's job.
func (r *Request) Decode(v any) error {
	return decodeBody(r.Headers["content-type"], r.Body, r.IsBase64Encoded, v)
}

func decodeBody(contentType, body string, isBase64 bool, v any) error {
	if isBase64 {
		// Check the encoded size first so a huge body is refused before decoding.
		if base64.StdEncoding.DecodedLen(len(body)) > MaxBodyBytes+3 {
			return tooLarge()
		}
		raw, err := base64.StdEncoding.DecodeString(body)
		if err != nil {
			return apperr.New(apperr.Invalid, "malformed_json")
		}
		body = string(raw)
	}
	if len(body) > MaxBodyBytes {
		return tooLarge()
	}
	if mt, _, err := mime.ParseMediaType(contentType); err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return apperr.New(apperr.UnsupportedMediaType, "")
	}
	if strings.TrimSpace(body) == "" {
		return apperr.New(apperr.Invalid, "empty_body")
	}
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	// Exactly one JSON value: anything after it is malformed.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.Invalid, "malformed_json")
	}
	return nil
}

func tooLarge() error {
	return &apperr.Error{Code: apperr.TooLarge, Key: "detail.too_large", Params: map[string]any{"max": MaxBodyBytes}}
}

func decodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		var fs apperr.Fields
		fs.Add(field, "type", map[string]any{"expected": jsonTypeName(typeErr.Type.Kind().String())})
		return fs.Err()
	}
	// encoding/json reports unknown fields only as text: `json: unknown field "x"`.
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		var fs apperr.Fields
		fs.Add(strings.Trim(name, `"`), "unknown", nil)
		return fs.Err()
	}
	return apperr.Wrap(apperr.Invalid, "malformed_json", err)
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "string"
	case "bool":
		return "boolean"
	case "map", "struct":
		return "object"
	case "slice", "array":
		return "array"
	default:
		if strings.HasPrefix(kind, "int") || strings.HasPrefix(kind, "uint") || strings.HasPrefix(kind, "float") {
			return "number"
		}
		return kind
	}
}
