// Package ics writes iCalendar files (RFC 5545) for event emails: one VEVENT
// in a VCALENDAR with METHOD REQUEST (an invitation to add) or CANCEL (the
// event is off). Times are written in UTC ("Z"): Morocco's offset changes
// around Ramadan, and a UTC time needs no VTIMEZONE to be exact in every
// calendar. Lines end in CRLF, are folded at 75 octets without splitting a
// UTF-8 character, and text values escape backslash, comma, semicolon and
// newlines.
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
	Organizer   string // email address, optional
}

// Write renders e as a calendar with method m.
func Write(m Method, e Event) []byte {
	var b strings.Builder
	line := func(name, value string) { b.WriteString(fold(name + ":" + value)) }
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
	if e.Organizer != "" {
		line("ORGANIZER", "mailto:"+e.Organizer)
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
