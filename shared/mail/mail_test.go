package mail_test

import (
	"strings"
	"testing"

	"espaceosc/shared/i18n"
	"espaceosc/shared/mail"
)

func TestRenderEscapesAndSetsDirection(t *testing.T) {
	m := mail.Message{
		Lang:    i18n.AR,
		Subject: "ردّ\r\nBcc: x@example.org",
		Blocks: []mail.Block{
			{Text: `مرحبًا <script>alert(1)</script>،`},
			{Quote: true, Text: "سطر 1\n<b>سطر</b> 2"},
			{Link: "https://portail.example/ar/observations/abc?token=x&y=<z>"},
		},
		Footer: "فضاء المجتمع المدني",
	}
	c, err := m.Render()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Subject, "ردّ Bcc: x@example.org"; got != want {
		t.Errorf("subject = %q, want %q", got, want)
	}
	for _, want := range []string{`<html lang="ar" dir="rtl">`, "&lt;script&gt;", "سطر 1<br>&lt;b&gt;سطر&lt;/b&gt; 2", `href="https://portail.example/ar/observations/abc?token=x&amp;y=&lt;z&gt;"`} {
		if !strings.Contains(c.HTML, want) {
			t.Errorf("HTML lacks %q:\n%s", want, c.HTML)
		}
	}
	if strings.Contains(c.HTML, "<script>") || strings.Contains(c.HTML, "<b>") {
		t.Errorf("HTML carries unescaped user markup:\n%s", c.HTML)
	}
	for _, want := range []string{"مرحبًا <script>alert(1)</script>،", "> سطر 1\n> <b>سطر</b> 2", "https://portail.example/ar/observations/abc?token=x&y=<z>"} {
		if !strings.Contains(c.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, c.Text)
		}
	}
}

func TestRenderFrenchIsLTR(t *testing.T) {
	c, err := mail.Message{Lang: i18n.FR, Subject: "Objet", Blocks: []mail.Block{{Text: "Bonjour"}}}.Render()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.HTML, `<html lang="fr" dir="ltr">`) {
		t.Errorf("HTML = %s", c.HTML)
	}
}

func TestRenderRefusesNonHTTPLinks(t *testing.T) {
	c, err := mail.Message{Lang: i18n.FR, Blocks: []mail.Block{{Link: `javascript:alert("x")`}}}.Render()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.HTML, "href") || !strings.Contains(c.HTML, "javascript:alert(&#34;x&#34;)") {
		t.Errorf("HTML = %s", c.HTML)
	}
}
