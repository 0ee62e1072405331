// Package ics writes iCalendar files (RFC 5545) for event emails: one VEVENT
// in a VCALENDAR with METHOD REQUEST (an invitation to add, or an update of
// one: same UID, higher SEQUENCE) or CANCEL (the event, or one person's
// place at it, is off), with the ORGANIZER and the ATTENDEE that iTIP (RFC
// 5546) requires of both. Times are written in UTC ("Z"): Morocco's offset
// changes around Ramadan, and a UTC time needs no VTIMEZONE to be exact in
// every calendar. Lines end in CRLF, are folded at 75 octets without
// splitting a UTF-8 character, and text values escape backslash, comma,
// semicolon and newlines.
package ics

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Method is the iTIP method of the calendar.
type Method string

const (
	Request Method = "REQUEST"
	Cancel  Method = "CANCEL"
)

// ProdID names the product that writes the files.
const ProdID = "-//Espace OSC//Gouvernement ouvert Maroc//FR"

// Event is one calendar entry.
type Event struct {
	UID         string // stable across updates: "<id>@espace-osc"
	Sequence    int    // incremented by each update of the same UID
	Stamp       time.Time
	Start, End  time.Time
	Summary     string
	Description string
	Location    string
	URL         string
	// Organizer is who sends the invitations (the portal's sender address);
	// iTIP requires it in a REQUEST and a CANCEL.
	Organizer Person
	// Attendees are the people invited (iTIP: at least one in a REQUEST).
	Attendees []Person
}

// Person is an ORGANIZER or an ATTENDEE: an email address and a display
// name (CN), optional.
type Person struct {
	Name  string
	Email string
}

// address renders p as a CAL-ADDRESS property's parameters and value,
// e.g. ";CN=Nadia Berrada:mailto:nadia@example.ma". A CN is always quoted
// (it may hold commas, colons or semicolons); DQUOTE and control
// characters, which a quoted parameter value cannot hold, are dropped.
func (p Person) address(params ...string) string {
	var b strings.Builder
	if name := paramText(p.Name); name != "" {
		b.WriteString(`;CN="` + name + `"`)
	}
	for _, x := range params {
		b.WriteString(";" + x)
	}
	b.WriteString(":mailto:" + strings.TrimSpace(p.Email))
	return b.String()
}

func paramText(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == '"' || r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s))
}

// Write renders e as a calendar with method m.
func Write(m Method, e Event) []byte {
	var b strings.Builder
	line := func(name, value string) { b.WriteString(fold(name + ":" + value)) }
	// prop writes a property whose rendering starts with its parameters.
	prop := func(name, paramsAndValue string) { b.WriteString(fold(name + paramsAndValue)) }
	line("BEGIN", "VCALENDAR")
	line("PRODID", ProdID)
	line("VERSION", "2.0")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", string(m))
	line("BEGIN", "VEVENT")
	line("UID", Text(e.UID))
	line("SEQUENCE", fmt.Sprint(e.Sequence))
	line("DTSTAMP", utc(e.Stamp))
	line("DTSTART", utc(e.Start))
	line("DTEND", utc(e.End))
	line("SUMMARY", Text(e.Summary))
	if e.Description != "" {
		line("DESCRIPTION", Text(e.Description))
	}
	if e.Location != "" {
		line("LOCATION", Text(e.Location))
	}
	if e.URL != "" {
		line("URL", e.URL)
	}
	if e.Organizer.Email != "" {
		prop("ORGANIZER", e.Organizer.address())
	}
	for _, a := range e.Attendees {
		if a.Email == "" {
			continue
		}
		// A registration is the answer already: in a REQUEST the person
		// takes part (ACCEPTED) and no reply is expected; a CANCEL only
		// names who it is for.
		if m == Cancel {
			prop("ATTENDEE", a.address("CUTYPE=INDIVIDUAL", "ROLE=REQ-PARTICIPANT"))
		} else {
			prop("ATTENDEE", a.address("CUTYPE=INDIVIDUAL", "ROLE=REQ-PARTICIPANT", "PARTSTAT=ACCEPTED", "RSVP=FALSE"))
		}
	}
	if m == Cancel {
		line("STATUS", "CANCELLED")
	} else {
		line("STATUS", "CONFIRMED")
	}
	line("END", "VEVENT")
	line("END", "VCALENDAR")
	return []byte(b.String())
}

func utc(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// Text escapes a TEXT value (RFC 5545 3.3.11).
func Text(s string) string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`).Replace(s)
}

// fold splits a content line into lines of at most 75 octets (RFC 5545
// 3.1), continuation lines starting with a space, never inside a UTF-8
// sequence, each ended by CRLF.
func fold(l string) string {
	var b strings.Builder
	limit := 75
	for len(l) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(l[cut]) {
			cut--
		}
		b.WriteString(l[:cut])
		b.WriteString("\r\n ")
		l = l[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(l)
	b.WriteString("\r\n")
	return b.String()
}
