// Package mail composes the portal's emails: one simple model (paragraphs,
// links, quoted user text) rendered twice, as plain text and as HTML in the
// recipient's language and direction (Arabic: dir="rtl" lang="ar"). Every
// value is HTML-escaped in the HTML part, so user text (names, subjects,
// responses) can never inject markup. Left-to-right runs inside Arabic text
// (a reference, a code, a hash) are marked with LTR so that they keep their
// order and stay in one piece.
package mail

import (
	"html"
	"net/url"
	"strings"

	"espaceosc/shared/i18n"
)

// Block is one paragraph of an email.
type Block struct {
	Text string // the paragraph
	// Link, if set, makes the paragraph this link: in the HTML part, an
	// anchor whose text is Text (the URL itself when Text is empty); in the
	// text part, the URL alone (the paragraph before it says what it is),
	// so that the address appears once, whatever shows the message.
	Link  string
	Quote bool // user text quoted as is (line breaks kept), e.g. an administration's response
}

// The Unicode directional isolates LTR puts around a run (UAX #9): LRI
// starts a left-to-right isolate, PDI ends it.
const (
	lri = "⁦"
	pdi = "⁩"
)

// LTR marks s as a left-to-right run of its own — a reference such as
// OBS-2026-7K3Q9X, a check-in code, a hash, an address — so that in
// right-to-left text it is shown in one piece, in its order, whatever
// surrounds it. In an Arabic message the text part and the subject keep
// the isolate characters (LRI … PDI) and the HTML part renders the run as
// <bdi dir="ltr">; in a left-to-right message the marks are dropped.
func LTR(s string) string {
	if s == "" {
		return ""
	}
	return lri + s + pdi
}

// plain renders marked text for the text part or a header: the isolates
// kept in right-to-left messages, dropped (with any stray one) otherwise.
func plain(s string, rtl bool) string {
	if rtl {
		return s
	}
	return strings.NewReplacer(lri, "", pdi, "").Replace(s)
}

// escMarked escapes s for HTML and turns each LTR run into a <bdi
// dir="ltr"> element (in any message: an isolate is harmless left to
// right); a mark without its pair is dropped.
func escMarked(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, lri)
		if i < 0 {
			break
		}
		j := strings.Index(s[i+len(lri):], pdi)
		if j < 0 {
			break
		}
		b.WriteString(esc(strings.ReplaceAll(s[:i], pdi, "")))
		b.WriteString(`<bdi dir="ltr">` + esc(s[i+len(lri):i+len(lri)+j]) + "</bdi>")
		s = s[i+len(lri)+j+len(pdi):]
	}
	b.WriteString(esc(strings.NewReplacer(lri, "", pdi, "").Replace(s)))
	return b.String()
}

// Attachment is a file sent with an email (e.g. an .ics calendar file).
type Attachment struct {
	Filename    string
	ContentType string
	Data        []byte
}

// Message is an email to compose. Every message ends with the portal's
// footer in its language (Footer replaces it when set).
type Message struct {
	Lang        i18n.Lang
	Subject     string
	Blocks      []Block
	Footer      string
	Attachments []Attachment
}

// Content is a composed email.
type Content struct {
	Subject     string // one line
	Text        string
	HTML        string
	Attachments []Attachment
}

// Footer is the line every email of the portal ends with.
var Footer = i18n.Text{
	FR: "Espace de la société civile — Gouvernement ouvert Maroc. Ce message est envoyé automatiquement ; merci de ne pas y répondre.",
	AR: "فضاء المجتمع المدني — الحكومة المنفتحة بالمغرب. هذه رسالة آلية، يرجى عدم الرد عليها.",
}

// SingleLine folds any line breaks and runs of spaces of s into single
// spaces: what may go into a header.
func SingleLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func normalizeNewlines(s string) string {
	return strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
}

// Render composes m as text and HTML.
func (m Message) Render() (Content, error) {
	if m.Footer == "" {
		m.Footer = Footer.In(m.Lang)
	}
	rtl := m.Lang.Dir() == "rtl"
	c := Content{Subject: SingleLine(plain(m.Subject, rtl)), Attachments: m.Attachments}
	var text strings.Builder
	for i, b := range m.Blocks {
		if i > 0 {
			text.WriteString("\n\n")
		}
		switch {
		case b.Link != "":
			text.WriteString(b.Link)
		case b.Quote:
			for j, l := range strings.Split(normalizeNewlines(b.Text), "\n") {
				if j > 0 {
					text.WriteString("\n")
				}
				text.WriteString("> " + l)
			}
		default:
			text.WriteString(plain(b.Text, rtl))
		}
	}
	if m.Footer != "" {
		text.WriteString("\n\n-- \n" + m.Footer)
	}
	text.WriteString("\n")
	c.Text = text.String()

	c.HTML = m.html(c.Subject)
	return c, nil
}

// html renders the HTML part. It is built by hand rather than with
// html/template: text/template's reflection (MethodByName) turns off the
// linker's dead-code elimination and doubled the size of every function
// binary that links the AWS SDK. The model is small enough to escape by
// hand: every value goes through esc, links must be http(s).
func (m Message) html(subject string) string {
	dir, side := m.Lang.Dir(), "left"
	if dir == "rtl" {
		side = "right"
	}
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"" + esc(string(m.Lang)) + "\" dir=\"" + dir + "\">\n")
	b.WriteString("<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>" + esc(strings.NewReplacer(lri, "", pdi, "").Replace(subject)) + "</title></head>\n")
	b.WriteString("<body style=\"margin:0;padding:24px;background:#f5f5f5;\">\n")
	b.WriteString("<div dir=\"" + dir + "\" style=\"max-width:600px;margin:0 auto;padding:24px;background:#ffffff;font-family:Arial,Tahoma,sans-serif;font-size:16px;line-height:1.6;color:#1a1a1a;text-align:" + side + ";\">\n")
	for _, bl := range m.Blocks {
		switch {
		case bl.Link != "":
			label := escMarked(bl.Text)
			if bl.Text == "" {
				// A bare URL reads left to right, whatever the message.
				label = `<span dir="ltr">` + esc(bl.Link) + "</span>"
			}
			if safeURL(bl.Link) {
				b.WriteString("<p><a href=\"" + esc(bl.Link) + "\" style=\"color:#005a9c;font-weight:bold;word-break:break-all;\">" + label + "</a></p>\n")
			} else {
				b.WriteString("<p>" + label + "</p>\n")
			}
		case bl.Quote:
			b.WriteString("<blockquote style=\"margin:16px 0;padding:8px 16px;border-" + side + ":4px solid #c8102e;background:#fafafa;\">")
			for i, l := range strings.Split(normalizeNewlines(bl.Text), "\n") {
				if i > 0 {
					b.WriteString("<br>")
				}
				b.WriteString(esc(l))
			}
			b.WriteString("</blockquote>\n")
		default:
			b.WriteString("<p>" + escMarked(bl.Text) + "</p>\n")
		}
	}
	if m.Footer != "" {
		b.WriteString("<p style=\"margin-top:32px;font-size:13px;color:#555555;\">" + esc(m.Footer) + "</p>\n")
	}
	b.WriteString("</div>\n</body>\n</html>\n")
	return b.String()
}

// esc escapes text for HTML element content and quoted attribute values.
func esc(s string) string { return html.EscapeString(s) }

// safeURL accepts absolute http(s) URLs only (no javascript: and the like).
func safeURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
