// Package validate holds the field checks every domain package uses. Each
// check appends at most one apperr.FieldError and reports whether the value
// passed, so callers can chain checks and still report one problem per field.
package validate

import (
	"net/mail"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"espaceosc/shared/apperr"
)

// Text checks a trimmed text's length in characters (runes) and its
// characters. Required text has min >= 1. Single-line text (names, subjects:
// anything that may reach an email header) refuses CR and LF; all text refuses
// other control characters and invalid UTF-8.
func Text(fs *apperr.Fields, field, value string, min, max int, singleLine bool) bool {
	if fs.Has(field) {
		return false
	}
	if !utf8.ValidString(value) {
		fs.Add(field, "control_char", nil)
		return false
	}
	v := strings.TrimSpace(value)
	n := utf8.RuneCountInString(v)
	if n == 0 {
		if min > 0 {
			fs.Add(field, "required", nil)
			return false
		}
		return true
	}
	for _, r := range value {
		if r == '\r' || r == '\n' || r == '\u2028' || r == '\u2029' || r == '\u0085' {
			if singleLine {
				fs.Add(field, "single_line", nil)
				return false
			}
			continue
		}
		if r == '\t' {
			continue
		}
		if unicode.IsControl(r) {
			fs.Add(field, "control_char", nil)
			return false
		}
	}
	if n < min {
		fs.Add(field, "too_short", map[string]any{"min": min})
		return false
	}
	if n > max {
		fs.Add(field, "too_long", map[string]any{"max": max})
		return false
	}
	return true
}

// Email checks a required email address: a bare addr-spec (no display name),
// at most 254 characters, a dotted domain, nothing that could break a header.
func Email(fs *apperr.Fields, field, value string) bool {
	if !Text(fs, field, value, 1, 254, true) {
		return false
	}
	v := strings.TrimSpace(value)
	a, err := mail.ParseAddress(v)
	ok := err == nil && a.Address == v && a.Name == ""
	if ok {
		local, domain, _ := strings.Cut(v, "@")
		ok = local != "" && strings.Contains(domain, ".") && !strings.HasSuffix(domain, ".") &&
			!strings.ContainsAny(v, " <>\"(),;:[]\\")
	}
	if !ok {
		fs.Add(field, "email", nil)
	}
	return ok
}

// NormalizeEmail is the form of an address used for lookups (loi 09-08 access
// and erasure requests): trimmed and lower-cased.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// OneOf checks that value is one of allowed.
func OneOf(fs *apperr.Fields, field, value string, allowed ...string) bool {
	if fs.Has(field) {
		return false
	}
	if value == "" {
		fs.Add(field, "required", nil)
		return false
	}
	for _, a := range allowed {
		if value == a {
			return true
		}
	}
	fs.Add(field, "one_of", map[string]any{"values": strings.Join(allowed, ", ")})
	return false
}

// URL checks a required absolute http(s) URL of at most max characters.
func URL(fs *apperr.Fields, field, value string, max int) bool {
	if !Text(fs, field, value, 1, max, true) {
		return false
	}
	u, err := url.Parse(strings.TrimSpace(value))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		fs.Add(field, "url", nil)
		return false
	}
	return true
}

// Lang checks a required language code ("fr" or "ar").
func Lang(fs *apperr.Fields, field, value string) bool {
	if fs.Has(field) {
		return false
	}
	switch value {
	case "fr", "ar":
		return true
	case "":
		fs.Add(field, "required", nil)
	default:
		fs.Add(field, "lang", nil)
	}
	return false
}
