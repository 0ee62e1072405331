package i18n

import (
	"testing"
	"time"
)

func TestCasablancaMatchesTheSystemDatabase(t *testing.T) {
	sys, err := time.LoadLocation("Africa/Casablanca")
	if err != nil {
		t.Skipf("no system zoneinfo to compare with: %v", err)
	}
	// Morocco is UTC+1 except during Ramadan (UTC+0): compare a year of hours.
	for at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC); at.Year() < 2028; at = at.Add(time.Hour) {
		_, got := at.In(Casablanca).Zone()
		_, want := at.In(sys).Zone()
		if got != want {
			t.Fatalf("offset at %s = %d, system database says %d", at, got, want)
		}
	}
}

func TestTextFallsBackToFrench(t *testing.T) {
	cases := []struct {
		text Text
		lang Lang
		want string
	}{
		{Text{FR: "Atelier", AR: "ورشة"}, AR, "ورشة"},
		{Text{FR: "Atelier", AR: "ورشة"}, FR, "Atelier"},
		{Text{FR: "Atelier"}, AR, "Atelier"},
	}
	for _, c := range cases {
		if got := c.text.In(c.lang); got != c.want {
			t.Errorf("%+v.In(%s) = %q, want %q", c.text, c.lang, got, c.want)
		}
	}
}
