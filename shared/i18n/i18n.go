// Package i18n holds the languages of the portal (French and Arabic) and the
// catalog of user-facing messages in both. Messages are looked up by key;
// placeholders are written {name} and filled from params.
package i18n

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Lang is a portal language.
type Lang string

const (
	FR Lang = "fr"
	AR Lang = "ar"
)

// Default is the language used when a request names none we support.
const Default = FR

// Langs lists the supported languages.
var Langs = []Lang{FR, AR}

// Parse returns the language named s ("fr", "ar", case-insensitive) and
// whether it is supported.
func Parse(s string) (Lang, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "fr":
		return FR, true
	case "ar":
		return AR, true
	}
	return "", false
}

// Dir is the writing direction of the language, for HTML.
func (l Lang) Dir() string {
	if l == AR {
		return "rtl"
	}
	return "ltr"
}

// Negotiate picks the response language: a supported ?lang= first, then the
// first supported language of Accept-Language (quality order), then Default.
func Negotiate(queryLang, acceptLanguage string) Lang {
	if l, ok := Parse(queryLang); ok {
		return l
	}
	type cand struct {
		tag string
		q   float64
		i   int
	}
	var cands []cand
	for i, part := range strings.Split(acceptLanguage, ",") {
		fields := strings.Split(strings.TrimSpace(part), ";")
		tag := strings.ToLower(strings.TrimSpace(fields[0]))
		if tag == "" {
			continue
		}
		q := 1.0
		for _, p := range fields[1:] {
			p = strings.TrimSpace(p)
			if v, ok := strings.CutPrefix(p, "q="); ok {
				if _, err := fmt.Sscanf(v, "%g", &q); err != nil {
					q = 0
				}
			}
		}
		cands = append(cands, cand{tag, q, i})
	}
	sort.SliceStable(cands, func(a, b int) bool { return cands[a].q > cands[b].q })
	for _, c := range cands {
		if c.q <= 0 {
			continue
		}
		primary, _, _ := strings.Cut(c.tag, "-")
		if l, ok := Parse(primary); ok {
			return l
		}
	}
	return Default
}

var (
	mu      sync.RWMutex
	catalog = map[string]map[Lang]string{}
)

// Register adds messages to the catalog; domain packages call it from init.
// A key registered twice panics, to catch copy-paste mistakes at start-up.
func Register(messages map[string]map[Lang]string) {
	mu.Lock()
	defer mu.Unlock()
	for k, v := range messages {
		if _, dup := catalog[k]; dup {
			panic("i18n: message registered twice: " + k)
		}
		catalog[k] = v
	}
}

// T renders the message key in lang, falling back to French, then to the key.
func T(lang Lang, key string, params map[string]any) string {
	mu.RLock()
	msgs, ok := catalog[key]
	mu.RUnlock()
	if !ok {
		return key
	}
	s, ok := msgs[lang]
	if !ok || s == "" {
		s = msgs[FR]
	}
	for k, v := range params {
		s = strings.ReplaceAll(s, "{"+k+"}", fmt.Sprint(v))
	}
	return s
}

// Has reports whether key is in the catalog.
func Has(key string) bool {
	mu.RLock()
	defer mu.RUnlock()
	_, ok := catalog[key]
	return ok
}
