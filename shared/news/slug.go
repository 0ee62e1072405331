package news

import (
	"io"
	"strings"
	"unicode"

	"espaceosc/shared/i18n"
)

// ValidSlug reports whether s is a well-formed slug: [a-z0-9-]{3,80}.
func ValidSlug(s string) bool {
	if len(s) < SlugMin || len(s) > SlugMax {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// ascii spells the accented Latin letters of French (and their neighbours)
// in lower-case ASCII.
var ascii = func() map[rune]string {
	m := map[rune]string{'œ': "oe", 'Œ': "oe", 'æ': "ae", 'Æ': "ae", 'ß': "ss"}
	for base, letters := range map[string]string{
		"a": "àâäáãåÀÂÄÁÃÅ",
		"c": "çÇ",
		"e": "éèêëÉÈÊË",
		"i": "îïíìÎÏÍÌ",
		"n": "ñÑ",
		"o": "ôöóòõøÔÖÓÒÕØ",
		"u": "ùûüúÙÛÜÚ",
		"y": "ÿýŸÝ",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// SlugFromTitle derives a slug from a title: French accents transliterated
// to ASCII, letters lower-cased, everything else a single hyphen, at most
// SlugMax characters cut at a word boundary. Letters without an ASCII
// spelling (Arabic) are dropped, so the result may be shorter than SlugMin.
func SlugFromTitle(title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range title {
		if unicode.Is(unicode.Mn, r) {
			continue // a combining accent
		}
		s := ""
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			s = string(unicode.ToLower(r))
		case ascii[r] != "":
			s = ascii[r]
		}
		if s == "" {
			hyphen = b.Len() > 0
			continue
		}
		if hyphen {
			b.WriteByte('-')
			hyphen = false
		}
		b.WriteString(s)
	}
	slug := b.String()
	if len(slug) > SlugMax {
		slug = slug[:SlugMax]
		if i := strings.LastIndexByte(slug, '-'); i >= SlugMin {
			slug = slug[:i]
		}
		slug = strings.Trim(slug, "-")
	}
	return slug
}

// deriveSlug makes a slug from a title. Arabic titles (and any title with
// too few Latin letters) get the short random suffix, as they cannot be
// spelled in ASCII.
func deriveSlug(title string, lang i18n.Lang, suffix string) string {
	slug := SlugFromTitle(title)
	if lang == i18n.AR || len(slug) < SlugMin {
		if slug == "" {
			slug = "actualite"
		}
		if max := SlugMax - len(suffix) - 1; len(slug) > max {
			slug = slug[:max]
		}
		slug = strings.TrimRight(slug, "-") + "-" + suffix
	}
	return slug
}

const suffixAlphabet = "abcdefghijkmnpqrstuvwxyz23456789"

// randomSuffix is 6 random characters (about 30 bits): unique enough for
// the few items a day administrators write, and a clash is a 409, not a loss.
func randomSuffix(r io.Reader) (string, error) {
	b := make([]byte, 6)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", err
	}
	for i := range b {
		b[i] = suffixAlphabet[int(b[i])%len(suffixAlphabet)]
	}
	return string(b), nil
}
