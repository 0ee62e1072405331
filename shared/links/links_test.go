package links

import (
	"strings"
	"testing"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
)

func TestCheck(t *testing.T) {
	n := func(i int) *int { return &i }
	tests := []struct {
		name   string
		in     Input
		fields []string
	}{
		{"ok", Input{URL: "https://www.chikaya.ma", Title: i18n.Text{FR: "Chikaya"}, Order: n(10)}, nil},
		{"missing", Input{}, []string{"url", "title.fr"}},
		{"bad url", Input{URL: "javascript:alert(1)", Title: i18n.Text{FR: "x"}}, []string{"url"}},
		{"ftp", Input{URL: "ftp://example.org", Title: i18n.Text{FR: "x"}}, []string{"url"}},
		{"too long", Input{URL: "https://e.ma/" + strings.Repeat("a", 500), Title: i18n.Text{FR: "x", AR: strings.Repeat("ع", 201)}, Description: i18n.Text{FR: strings.Repeat("d", 501)}}, []string{"url", "title.ar", "description.fr"}},
		{"order", Input{URL: "http://e.ma", Title: i18n.Text{FR: "x"}, Order: n(10001)}, []string{"order"}},
		{"negative order", Input{URL: "http://e.ma", Title: i18n.Text{FR: "x"}, Order: n(-1)}, []string{"order"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fs apperr.Fields
			check(&fs, tt.in)
			var got []string
			for _, f := range fs {
				got = append(got, f.Field)
			}
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Errorf("fields = %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestSortAndFallback(t *testing.T) {
	ls := []Link{
		{ID: "c", Order: 20, Title: i18n.Text{FR: "Zeta", AR: "ألف"}},
		{ID: "b", Order: 20, Title: i18n.Text{FR: "Alpha", AR: "ياء"}},
		{ID: "a", Order: 10, Title: i18n.Text{FR: "Omega"}},
	}
	tests := []struct {
		lang i18n.Lang
		want string
	}{{i18n.FR, "a,b,c"}, {i18n.AR, "a,c,b"}}
	for _, tt := range tests {
		Sort(ls, tt.lang)
		var got []string
		for _, l := range ls {
			got = append(got, l.ID)
		}
		if strings.Join(got, ",") != tt.want {
			t.Errorf("Sort(%s) = %v, want %s", tt.lang, got, tt.want)
		}
	}
	if got, want := (Link{Title: i18n.Text{FR: "Omega"}}).PublicView(i18n.AR).Title, "Omega"; got != want {
		t.Errorf("fallback title = %q, want %q", got, want)
	}
}
