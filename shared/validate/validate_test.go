package validate

import (
	"strings"
	"testing"

	"espaceosc/shared/apperr"
)

func rule(fs apperr.Fields) string {
	if len(fs) == 0 {
		return ""
	}
	return fs[0].Rule
}

func TestText(t *testing.T) {
	tests := []struct {
		name       string
		value      string
		min, max   int
		singleLine bool
		want       string
	}{
		{"ok", "Bonjour", 1, 10, true, ""},
		{"arabic counts runes", strings.Repeat("ب", 10), 1, 10, true, ""},
		{"too long", strings.Repeat("a", 11), 1, 10, true, "too_long"},
		{"too short", "ab", 3, 10, true, "too_short"},
		{"required", "   ", 1, 10, true, "required"},
		{"optional empty", "", 0, 10, true, ""},
		{"crlf refused", "a\r\nBcc: x", 1, 100, true, "single_line"},
		{"lf refused", "a\nb", 1, 100, true, "single_line"},
		{"unicode line separator", "a\u2028b", 1, 100, true, "single_line"},
		{"multiline ok", "a\r\nb", 1, 100, false, ""},
		{"control char", "a\x00b", 1, 100, false, "control_char"},
		{"invalid utf8", "a\xffb", 1, 100, false, "control_char"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fs apperr.Fields
			Text(&fs, "f", tt.value, tt.min, tt.max, tt.singleLine)
			if got := rule(fs); got != tt.want {
				t.Fatalf("rule = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestEmail(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"amina@example.ma", true},
		{"a.b+c@sub.example.org", true},
		{"", false},
		{"no-at.example.ma", false},
		{"a@localhost", false},
		{"Amina <amina@example.ma>", false},
		{"a@example.ma\r\nBcc: x@y.z", false},
		{"a b@example.ma", false},
		{strings.Repeat("a", 250) + "@x.ma", false},
	}
	for _, tt := range tests {
		var fs apperr.Fields
		if got := Email(&fs, "email", tt.in); got != tt.ok {
			t.Errorf("Email(%q) = %v, want %v (%v)", tt.in, got, tt.ok, fs)
		}
	}
}

func TestOneOfURLLang(t *testing.T) {
	var fs apperr.Fields
	if OneOf(&fs, "topic", "x", "a", "b") || rule(fs) != "one_of" {
		t.Fatalf("OneOf accepted x: %v", fs)
	}
	fs = nil
	if !URL(&fs, "url", "https://www.chikaya.ma", 500) {
		t.Fatalf("URL refused a good url: %v", fs)
	}
	for _, bad := range []string{"javascript:alert(1)", "ftp://x.ma", "https://", "//x.ma", "https://u:p@x.ma"} {
		fs = nil
		if URL(&fs, "url", bad, 500) {
			t.Errorf("URL accepted %q", bad)
		}
	}
	fs = nil
	if Lang(&fs, "lang", "en") || rule(fs) != "lang" {
		t.Fatalf("Lang accepted en: %v", fs)
	}
	fs = nil
	if Lang(&fs, "lang", "") || rule(fs) != "required" {
		t.Fatalf("Lang accepted empty: %v", fs)
	}
	if got, want := NormalizeEmail("  Amina@Example.MA "), "amina@example.ma"; got != want {
		t.Fatalf("NormalizeEmail = %q, want %q", got, want)
	}
}
