package news

import (
	"crypto/rand"
	"strings"
	"testing"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
)

func TestSlugFromTitle(t *testing.T) {
	tests := []struct{ title, want string }{
		{"Résultats de la sélection des représentants au Copil 2024", "resultats-de-la-selection-des-representants-au-copil-2024"},
		{"Visite d'une délégation de Côte d'Ivoire", "visite-d-une-delegation-de-cote-d-ivoire"},
		{"  Œuvre, été & Noël !  ", "oeuvre-ete-noel"},
		{"Cafe\u0301 décomposé", "cafe-decompose"},
		{"نتائج انتقاء ممثلي المجتمع المدني", ""},
		{"نتائج Copil 2024", "copil-2024"},
		{strings.Repeat("abcdefghi ", 20), strings.TrimSuffix(strings.Repeat("abcdefghi-", 8), "-")},
	}
	for _, tt := range tests {
		if got := SlugFromTitle(tt.title); got != tt.want {
			t.Errorf("SlugFromTitle(%q) = %q, want %q", tt.title, got, tt.want)
		}
		if got := SlugFromTitle(tt.title); got != "" && len(got) >= SlugMin && !ValidSlug(got) {
			t.Errorf("SlugFromTitle(%q) = %q is not a valid slug", tt.title, got)
		}
	}
}

func TestValidSlug(t *testing.T) {
	tests := []struct {
		slug string
		want bool
	}{
		{"abc", true}, {"resultats-copil-2024", true}, {"ab", false}, {strings.Repeat("a", 81), false},
		{strings.Repeat("a", 80), true}, {"Abc", false}, {"a_b", false}, {"é-ab", false}, {"a b", false},
	}
	for _, tt := range tests {
		if got := ValidSlug(tt.slug); got != tt.want {
			t.Errorf("ValidSlug(%q) = %v, want %v", tt.slug, got, tt.want)
		}
	}
}

func TestDeriveSlug(t *testing.T) {
	tests := []struct {
		title string
		lang  i18n.Lang
		want  string
	}{
		{"Appel à candidature", i18n.FR, "appel-a-candidature"},
		{"نتائج الانتقاء", i18n.AR, "actualite-x7k2p9"},
		{"نتائج Copil 2024", i18n.AR, "copil-2024-x7k2p9"},
		{"É", i18n.FR, "e-x7k2p9"},
	}
	for _, tt := range tests {
		got := deriveSlug(tt.title, tt.lang, "x7k2p9")
		if got != tt.want {
			t.Errorf("deriveSlug(%q, %s) = %q, want %q", tt.title, tt.lang, got, tt.want)
		}
		if !ValidSlug(got) {
			t.Errorf("deriveSlug(%q) = %q is not valid", tt.title, got)
		}
	}
	if got, err := randomSuffix(rand.Reader); err != nil || len(got) != 6 || !ValidSlug("ab-"+got) {
		t.Errorf("randomSuffix() = %q, %v", got, err)
	}
}

func TestCheckContent(t *testing.T) {
	tests := []struct {
		name   string
		d      Draft
		fields []string
	}{
		{"ok", Draft{Lang: "fr", Title: "T", Body: "B", PublishedAt: "2024-09-27T09:00:00Z"}, nil},
		{"missing", Draft{}, []string{"lang", "title", "body"}},
		{"bad lang and date", Draft{Lang: "de", Title: "T", Body: "B", PublishedAt: "27/09/2024"}, []string{"lang", "publishedAt"}},
		{"title on two lines", Draft{Lang: "ar", Title: "a\nb", Body: "B"}, []string{"title"}},
		{"too long", Draft{Lang: "fr", Title: strings.Repeat("é", 201), Summary: strings.Repeat("s", 501), Body: strings.Repeat("b", 20001)}, []string{"title", "summary", "body"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fs apperr.Fields
			checkContent(&fs, tt.d.Lang, true, tt.d.Title, tt.d.Summary, tt.d.Body, tt.d.PublishedAt)
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
