// Package apperr is the one error vocabulary of Espace OSC. Domain code returns
// *Error values with a Code; the HTTP layer maps each Code to a status in one
// place (httpapi) and renders the message keys in the request's language.
// Anything that is not an *Error is internal: logged with context, shown to the
// user as a generic message.
package apperr

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error for the caller.
type Code string

const (
	Invalid              Code = "invalid"                // the request is malformed or a field is wrong
	UnsupportedMediaType Code = "unsupported_media_type" // the body is not JSON
	TooLarge             Code = "too_large"              // the body exceeds the limit
	Unauthorized         Code = "unauthorized"           // no or bad credentials
	Forbidden            Code = "forbidden"              // credentials lack the right group
	NotFound             Code = "not_found"              // nothing there (or not for this caller)
	Conflict             Code = "conflict"               // the current state forbids the change
	Unprocessable        Code = "unprocessable"          // well-formed but semantically refused
	Unavailable          Code = "unavailable"            // a dependency is down or throttling; retry later
	Internal             Code = "internal"               // a bug or an unexpected failure
)

// FieldError is one problem with one field. Rule is a message key of package
// i18n (e.g. "required", "too_long"); Params fill its placeholders.
type FieldError struct {
	Field  string
	Rule   string
	Params map[string]any
}

// Error is a coded error. Key is the i18n message key of the detail shown to
// the user ("" uses the code's generic detail).
type Error struct {
	Code   Code
	Key    string
	Params map[string]any
	Fields []FieldError
	Err    error // the cause, never shown to users
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Code))
	if e.Key != "" {
		b.WriteString(": " + e.Key)
	}
	for _, f := range e.Fields {
		fmt.Fprintf(&b, " [%s: %s]", f.Field, f.Rule)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error with a code and a detail message key.
func New(code Code, key string) *Error { return &Error{Code: code, Key: key} }

// Wrap returns a coded error that keeps err as its cause.
func Wrap(code Code, key string, err error) *Error { return &Error{Code: code, Key: key, Err: err} }

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// CodeOf returns err's code; uncoded errors are Internal, nil has no code.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	if e, ok := As(err); ok {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }

// Fields collects field errors; its Err method returns nil when there are none,
// so validation reads as a list of checks followed by `return v.Err()`.
type Fields []FieldError

// Add records a problem with field.
func (fs *Fields) Add(field, rule string, params map[string]any) {
	*fs = append(*fs, FieldError{Field: field, Rule: rule, Params: params})
}

// Has reports whether field already has a problem (to report one per field).
func (fs Fields) Has(field string) bool {
	for _, f := range fs {
		if f.Field == field {
			return true
		}
	}
	return false
}

// Err returns an Invalid error listing the fields, or nil.
func (fs Fields) Err() error {
	if len(fs) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Key: "invalid_fields", Fields: fs}
}
