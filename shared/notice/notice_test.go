package notice

import (
	"encoding/json"
	"strings"
	"testing"

	"espaceosc/shared/i18n"
)

func TestFor(t *testing.T) {
	tests := []struct {
		lang     i18n.Lang
		wantLang string
		contains []string
	}{
		{i18n.FR, "fr", []string{"D-W-123/2026", "Ministère de la Transition Numérique", "accès", "rectification", "opposition", ContactEmail, "eu-west-3", "Paris", "CNDP", "astérisque", "trois ans"}},
		{i18n.AR, "ar", []string{"D-W-123/2026", "وزارة الانتقال الرقمي وإصلاح الإدارة", "الولوج", "تصحيحها", "التعرض", ContactEmail, "eu-west-3", "باريس", "إلزامية", "ثلاث سنوات"}},
		{"de", "fr", []string{"Responsable du traitement"}},
	}
	for _, tt := range tests {
		n := For(tt.lang, "D-W-123/2026", "2026-11-01")
		if n.Lang != tt.wantLang || n.Version != "2026-11-01" || n.CNDPNumber != "D-W-123/2026" {
			t.Errorf("For(%s) = lang %q version %q cndp %q", tt.lang, n.Lang, n.Version, n.CNDPNumber)
		}
		for _, s := range tt.contains {
			if !strings.Contains(n.Text+n.Controller, s) {
				t.Errorf("For(%s) text lacks %q", tt.lang, s)
			}
		}
		if strings.Contains(n.Text, "{") {
			t.Errorf("For(%s) left a placeholder: %s", tt.lang, n.Text)
		}
	}
	b, _ := json.Marshal(For(i18n.FR, "X", "V"))
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	for _, k := range []string{"version", "cndpNumber", "lang", "controller", "text"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
	if len(m) != 5 {
		t.Errorf("JSON has %d keys, want 5: %s", len(m), b)
	}
}
