package links

import (
	"strings"
	"testing"

	"espaceosc/shared/apperr"
)

func TestCheck(t *testing.T) {
	n := func(i int) *int { return &i }
	tests := []struct {
		name   string
		in     Input
		fields []string
	}{
		{"ok", Input{URL: "https://www.chikaya.ma", Title: Text{FR: "Chikaya"}, Order: n(10)}, nil},
		{"missing", Input{}, []string{"url", "title.fr"}},
		{"bad url", Input{URL: "javascript:alert(1)", Title: Text{FR: "x"}}, []string{"url"}},
		{"ftp", Input{URL: "ftp://example.org", Title: Text{FR: "x"}}, []string{"url"}},
		{"too long", Input{URL: "https://e.ma/" + strings.Repeat("a", 500), Title: Text{FR: "x", AR: strings.Repeat("ع", 201)}, Description: Text{FR: strings.Repeat("d", 501)}}, []string{"url", "title.ar", "description.fr"}},
		{"order", Input{URL: "http://e.ma", Title: Text{FR: "x"}, Order: n(10001)}, []string{"order"}},
		{"negative order", Input{URL: "http://e.ma", Title: Text{FR: "x"}, Order: n(-1)}, []string{"order"}},
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
		{ID: "c", Order: 20, Title: Text{FR: "Zeta", AR: "ألف"}},
		{ID: "b", Order: 20, Title: Text{FR: "Alpha", AR: "ياء"}},
		{ID: "a", Order: 10, Title: Text{FR: "Omega"}},
	}
	tests := []struct{ lang, want string }{{"fr", "a,b,c"}, {"ar", "a,c,b"}}
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
	if got, want := (Link{Title: Text{FR: "Omega"}}).Public("ar").Title, "Omega"; got != want {
		t.Errorf("fallback title = %q, want %q", got, want)
	}
}
