package membership

import (
	"fmt"
	"strings"

	"espaceosc/shared/i18n"
)

// Theme is a theme of interest an organisation declares, and the
// directory's second filter.
type Theme struct {
	ID   string
	Name i18n.Text
}

// DefaultThemes are the themes of interest when the deployment sets none:
// those of Morocco's open government action plans.
var DefaultThemes = []Theme{
	{"transparency", i18n.Text{FR: "Transparence et accès à l'information", AR: "الشفافية والحق في الحصول على المعلومات"}},
	{"participation", i18n.Text{FR: "Participation citoyenne", AR: "المشاركة المواطنة"}},
	{"integrity", i18n.Text{FR: "Intégrité et lutte contre la corruption", AR: "النزاهة ومكافحة الفساد"}},
	{"accountability", i18n.Text{FR: "Redevabilité", AR: "المساءلة"}},
	{"open_justice", i18n.Text{FR: "Justice ouverte", AR: "العدالة المنفتحة"}},
	{"open_data", i18n.Text{FR: "Données ouvertes", AR: "البيانات المفتوحة"}},
	{"public_services", i18n.Text{FR: "Services publics", AR: "الخدمات العمومية"}},
	{"local_governance", i18n.Text{FR: "Gouvernance locale", AR: "الحكامة المحلية"}},
	{"gender_equality", i18n.Text{FR: "Égalité femmes-hommes", AR: "المساواة بين النساء والرجال"}},
	{"youth", i18n.Text{FR: "Jeunesse", AR: "الشباب"}},
	{"environment", i18n.Text{FR: "Environnement", AR: "البيئة"}},
}

// ThemesEnv is the environment variable that overrides DefaultThemes on a
// deployment: theme IDs separated by commas, e.g.
// "transparency,participation,integrity,budget_ouvert". An ID of
// DefaultThemes keeps its names; another ID is named by itself in both
// languages until it is added to DefaultThemes. Both functions of the
// capability must be given the same value.
const ThemesEnv = "MEMBERSHIP_THEMES"

// ParseThemes reads the value of ThemesEnv: empty gives DefaultThemes; a
// malformed ID (not a slug of 2..40 characters) or a repeated one is an
// error, so a deployment with a typo fails at start-up.
func ParseThemes(v string) ([]Theme, error) {
	if strings.TrimSpace(v) == "" {
		return DefaultThemes, nil
	}
	known := map[string]Theme{}
	for _, t := range DefaultThemes {
		known[t.ID] = t
	}
	var out []Theme
	seen := map[string]bool{}
	for _, id := range strings.Split(v, ",") {
		id = strings.TrimSpace(id)
		if len(id) < 2 || len(id) > 40 || !groupIDRe.MatchString(id) {
			return nil, fmt.Errorf("%s: %q is not a theme ID (a-z, 0-9, words joined by - or _)", ThemesEnv, id)
		}
		if seen[id] {
			return nil, fmt.Errorf("%s: theme %q is listed twice", ThemesEnv, id)
		}
		seen[id] = true
		t, ok := known[id]
		if !ok {
			t = Theme{ID: id, Name: i18n.Text{FR: id, AR: id}}
		}
		out = append(out, t)
	}
	return out, nil
}

// themeIDs returns the IDs of ts.
func themeIDs(ts []Theme) []string {
	ids := make([]string, len(ts))
	for i, t := range ts {
		ids[i] = t.ID
	}
	return ids
}
