package ics_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/ics"
	"espaceosc/shared/ics/icstest"

	ical "github.com/arran4/golang-ical"
)

func TestWriteParsesBack(t *testing.T) {
	start := time.Date(2026, 12, 14, 8, 30, 0, 0, time.UTC)
	ev := ics.Event{
		UID: "01jd8zq6v4k3m2n1p0r9s8t7u6@espace-osc", Sequence: 2,
		Stamp: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), Start: start, End: start.Add(3 * time.Hour),
		Summary:     "Atelier de co-création ; plan d'action, 2027 \\ ورشة الإنشاء المشترك لخطة العمل الوطنية للحكومة المنفتحة",
		Description: "Ligne 1\nLigne 2, avec virgule",
		Location:    "Maison de la société civile, Casablanca",
		URL:         "https://espace-osc.ma/fr/evenements/atelier",
		Organizer:   ics.Person{Name: "Espace de la société civile", Email: "no-reply@espace-osc.ma"},
		Attendees:   []ics.Person{{Name: `Nadia "N" Berrada, Casablanca; ناديا`, Email: "nadia@example.ma"}},
	}
	cases := []struct {
		method ics.Method
		status string
	}{{ics.Request, "CONFIRMED"}, {ics.Cancel, "CANCELLED"}}
	for _, c := range cases {
		t.Run(string(c.method), func(t *testing.T) {
			raw := ics.Write(c.method, ev)
			for i, l := range strings.Split(strings.TrimSuffix(string(raw), "\r\n"), "\r\n") {
				if len(l) > 75 {
					t.Errorf("line %d has %d octets: %q", i, len(l), l)
				}
				if strings.ContainsAny(l, "\r\n") {
					t.Errorf("line %d has a bare CR or LF: %q", i, l)
				}
			}
			if !bytes.HasSuffix(raw, []byte("END:VCALENDAR\r\n")) {
				t.Errorf("no final CRLF")
			}
			// golang-ical unfolds lines and unescapes TEXT values.
			cal, err := ical.ParseCalendar(bytes.NewReader(raw))
			if err != nil {
				t.Fatalf("parse: %v\n%s", err, raw)
			}
			props := map[string]string{}
			for _, p := range cal.CalendarProperties {
				props[p.IANAToken] = p.Value
			}
			if got, want := props["METHOD"], string(c.method); got != want {
				t.Errorf("METHOD = %q, want %q", got, want)
			}
			if props["VERSION"] != "2.0" || props["PRODID"] != ics.ProdID {
				t.Errorf("calendar properties = %v", props)
			}
			events := cal.Events()
			if len(events) != 1 {
				t.Fatalf("events = %d, want 1", len(events))
			}
			e := events[0]
			get := func(p ical.ComponentProperty) string {
				if v := e.GetProperty(p); v != nil {
					return v.Value
				}
				return ""
			}
			if got, want := get(ical.ComponentPropertyUniqueId), ev.UID; got != want {
				t.Errorf("UID = %q, want %q", got, want)
			}
			if got, want := (get(ical.ComponentPropertySummary)), ev.Summary; got != want {
				t.Errorf("SUMMARY = %q, want %q", got, want)
			}
			if got, want := (get(ical.ComponentPropertyDescription)), ev.Description; got != want {
				t.Errorf("DESCRIPTION = %q, want %q", got, want)
			}
			if got, want := (get(ical.ComponentPropertyLocation)), ev.Location; got != want {
				t.Errorf("LOCATION = %q, want %q", got, want)
			}
			if got, want := get(ical.ComponentPropertySequence), "2"; got != want {
				t.Errorf("SEQUENCE = %q, want %q", got, want)
			}
			if got, want := get(ical.ComponentPropertyStatus), c.status; got != want {
				t.Errorf("STATUS = %q, want %q", got, want)
			}
			gotStart, err := e.GetStartAt()
			if err != nil || !gotStart.Equal(ev.Start) {
				t.Errorf("DTSTART = %v (%v), want %v", gotStart, err, ev.Start)
			}
			gotEnd, err := e.GetEndAt()
			if err != nil || !gotEnd.Equal(ev.End) {
				t.Errorf("DTEND = %v (%v), want %v", gotEnd, err, ev.End)
			}
		})
	}
}

func TestTextEscapes(t *testing.T) {
	cases := []struct{ in, want string }{
		{"a,b;c\\d", `a\,b\;c\\d`},
		{"l1\r\nl2\nl3\rl4", `l1\nl2\nl3\nl4`},
		{"مرحبا", "مرحبا"},
	}
	for _, c := range cases {
		if got := ics.Text(c.in); got != c.want {
			t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestWriteMeetsITIP runs libical's iTIP restriction check (an independent
// validator) on a REQUEST and a CANCEL, and reads the organizer and the
// attendee back.
func TestWriteMeetsITIP(t *testing.T) {
	start := time.Date(2026, 12, 14, 8, 30, 0, 0, time.UTC)
	ev := ics.Event{
		UID: "01jd8zq6v4k3m2n1p0r9s8t7u6@espace-osc", Sequence: 3,
		Stamp: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), Start: start, End: start.Add(3 * time.Hour),
		Summary:   "ورشة الإنشاء المشترك",
		Location:  "دار الجمعيات، الرباط",
		URL:       "https://espace-osc.ma/ar/evenements/atelier",
		Organizer: ics.Person{Name: "Espace de la société civile", Email: "no-reply@espace-osc.ma"},
		Attendees: []ics.Person{{Name: `Nadia "N" Berrada, Casablanca; ناديا`, Email: "nadia@example.ma"}},
	}
	files := map[string][]byte{"request": ics.Write(ics.Request, ev), "cancel": ics.Write(ics.Cancel, ev)}
	icstest.Valid(t, files)
	for name, raw := range files {
		cal, err := ical.ParseCalendar(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: parse: %v", name, err)
		}
		e := cal.Events()[0]
		if got := e.GetProperty(ical.ComponentPropertyOrganizer); got == nil || got.Value != "mailto:no-reply@espace-osc.ma" || got.ICalParameters["CN"][0] != "Espace de la société civile" {
			t.Errorf("%s: ORGANIZER = %+v", name, got)
		}
		att := e.Attendees()
		if len(att) != 1 || att[0].Email() != "nadia@example.ma" || att[0].ICalParameters["CN"][0] != "Nadia N Berrada, Casablanca; ناديا" {
			t.Errorf("%s: ATTENDEE = %+v", name, att)
		}
	}
}

// TestITIPCheckRejects proves the validator is not a rubber stamp: a REQUEST
// without its ORGANIZER and ATTENDEE is refused.
func TestITIPCheckRejects(t *testing.T) {
	start := time.Date(2026, 12, 14, 8, 30, 0, 0, time.UTC)
	bare := ics.Write(ics.Request, ics.Event{UID: "x@espace-osc", Stamp: start, Start: start, End: start.Add(time.Hour), Summary: "Atelier"})
	r := icstest.Check(t, map[string][]byte{"bare": bare})["bare"]
	if r.OK || !strings.Contains(strings.Join(r.Errors, " "), "ORGANIZER") {
		t.Errorf("a REQUEST without ORGANIZER: %+v, want refused for it", r)
	}
}
