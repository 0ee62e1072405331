package news

import (
	"strings"
	"time"
	"unicode"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/validate"
)

// Draft is the body of POST /api/admin/news.
type Draft struct {
	Slug        string `json:"slug"`
	Lang        string `json:"lang"`
	Title       string `json:"title"`
	Summary     string `json:"summary"`
	Body        string `json:"body"`
	PublishedAt string `json:"publishedAt"`
}

// Changes is the body of PUT /api/admin/news/{slug}; the slug never changes
// and an empty Lang keeps the item's language.
type Changes struct {
	Lang        string `json:"lang"`
	Title       string `json:"title"`
	Summary     string `json:"summary"`
	Body        string `json:"body"`
	PublishedAt string `json:"publishedAt"`
}

// PublishInput is the optional body of POST /api/admin/news/{slug}/publish.
type PublishInput struct {
	PublishedAt string `json:"publishedAt"`
}

// content is what Draft and Changes have in common once validated.
type content struct {
	lang        i18n.Lang
	title       string
	summary     string
	body        string
	publishedAt time.Time
}

func checkContent(fs *apperr.Fields, lang string, langRequired bool, title, summary, body, publishedAt string) content {
	var c content
	if lang != "" || langRequired {
		if validate.Lang(fs, "lang", lang) {
			c.lang = i18n.Lang(lang)
		}
	}
	validate.Text(fs, "title", title, 1, TitleMax, true)
	validate.Text(fs, "summary", summary, 0, SummaryMax, false)
	validate.Text(fs, "body", body, 1, BodyMax, false)
	c.title = strings.TrimSpace(title)
	c.summary = strings.TrimSpace(summary)
	c.body = normalizeBody(body)
	c.publishedAt = checkTime(fs, "publishedAt", publishedAt)
	return c
}

// checkTime parses an optional RFC 3339 timestamp (zero when absent).
func checkTime(fs *apperr.Fields, field, v string) time.Time {
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil || t.Year() < 1970 || t.Year() > 9999 {
		fs.Add(field, "timestamp", nil)
		return time.Time{}
	}
	return t.UTC()
}

// normalizeBody trims the body and unifies line ends, so paragraphs are
// separated by "\n\n" whatever the client sent.
func normalizeBody(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.TrimSpace(s)
}

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
