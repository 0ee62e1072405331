package news

import (
	"strings"
	"time"

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

// Validate checks d: every problem at once, as apperr.Fields.
func (d Draft) Validate() error {
	_, err := d.content()
	return err
}

func (d Draft) content() (content, error) {
	var fs apperr.Fields
	c := checkContent(&fs, d.Lang, true, d.Title, d.Summary, d.Body, d.PublishedAt)
	if d.Slug != "" && !ValidSlug(d.Slug) {
		fs.Add("slug", "news.slug", nil)
	}
	return c, fs.Err()
}

// Validate checks ch: every problem at once, as apperr.Fields.
func (ch Changes) Validate() error {
	_, err := ch.content()
	return err
}

func (ch Changes) content() (content, error) {
	var fs apperr.Fields
	c := checkContent(&fs, ch.Lang, false, ch.Title, ch.Summary, ch.Body, ch.PublishedAt)
	return c, fs.Err()
}

// Validate checks in.
func (in PublishInput) Validate() error {
	_, err := in.at()
	return err
}

// at is the date asked for (zero when none).
func (in PublishInput) at() (time.Time, error) {
	var fs apperr.Fields
	t := checkTime(&fs, "publishedAt", in.PublishedAt)
	return t, fs.Err()
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

// parseFilter reads the administrators' ?lang= and ?status= filters.
// Returns Invalid with fields "lang" or "status".
func parseFilter(lang, status string) (Filter, error) {
	var fs apperr.Fields
	var f Filter
	if lang != "" && validate.Lang(&fs, "lang", lang) {
		f.Lang = i18n.Lang(lang)
	}
	if status != "" && validate.OneOf(&fs, "status", status, string(StatusDraft), string(StatusPublished)) {
		f.Status = Status(status)
	}
	return f, fs.Err()
}
