// Package mail composes the portal's emails: one simple model (paragraphs,
// links, quoted user text) rendered twice, as plain text and as HTML in the
// recipient's language and direction (Arabic: dir="rtl" lang="ar"). Every
// value is escaped in the HTML part by html/template, so user text (names,
// subjects, responses) can never inject markup.
package mail

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"espaceosc/shared/i18n"
)

// Block is one paragraph of an email.
type Block struct {
	Text  string // the paragraph
	Link  string // if set, the paragraph is this link (Text, if any, is its label)
	Quote bool   // user text quoted as is (line breaks kept), e.g. an administration's response
}

// Message is an email to compose.
type Message struct {
	Lang    i18n.Lang
	Subject string
	Blocks  []Block
	Footer  string
}

// Content is a composed email.
type Content struct {
	Subject string // one line
	Text    string
	HTML    string
}

// SingleLine folds any line breaks and runs of spaces of s into single
// spaces: what may go into a header.
func SingleLine(s string) string { return strings.Join(strings.Fields(s), " ") }

var page = template.Must(template.New("email").Funcs(template.FuncMap{
	"lines": func(s string) []string { return strings.Split(normalizeNewlines(s), "\n") },
}).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}" dir="{{.Dir}}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{.Subject}}</title></head>
<body style="margin:0;padding:24px;background:#f5f5f5;">
<div dir="{{.Dir}}" style="max-width:600px;margin:0 auto;padding:24px;background:#ffffff;font-family:Arial,Tahoma,sans-serif;font-size:16px;line-height:1.6;color:#1a1a1a;text-align:{{.Align}};">
{{range .Blocks}}{{if .Link}}<p><a href="{{.Link}}" style="color:#005a9c;word-break:break-all;">{{if .Text}}{{.Text}}{{else}}{{.Link}}{{end}}</a></p>
{{else if .Quote}}<blockquote style="margin:16px 0;padding:8px 16px;border-{{$.Side}}:4px solid #c8102e;background:#fafafa;">{{range $i, $l := lines .Text}}{{if $i}}<br>{{end}}{{$l}}{{end}}</blockquote>
{{else}}<p>{{.Text}}</p>
{{end}}{{end}}{{if .Footer}}<p style="margin-top:32px;font-size:13px;color:#555555;">{{.Footer}}</p>
{{end}}</div>
</body>
</html>
`))

func normalizeNewlines(s string) string {
	return strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
}

// Render composes m as text and HTML.
func (m Message) Render() (Content, error) {
	c := Content{Subject: SingleLine(m.Subject)}
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
			text.WriteString(b.Text)
		}
	}
	if m.Footer != "" {
		text.WriteString("\n\n-- \n" + m.Footer)
	}
	text.WriteString("\n")
	c.Text = text.String()

	side, align := "left", "left"
	if m.Lang.Dir() == "rtl" {
		side, align = "right", "right"
	}
	var buf bytes.Buffer
	err := page.Execute(&buf, map[string]any{
		"Lang": string(m.Lang), "Dir": m.Lang.Dir(), "Side": side, "Align": align,
		"Subject": c.Subject, "Blocks": m.Blocks, "Footer": m.Footer,
	})
	if err != nil {
		return Content{}, fmt.Errorf("render email: %w", err)
	}
	c.HTML = buf.String()
	return c, nil
}
