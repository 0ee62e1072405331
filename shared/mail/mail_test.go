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

// TestLTRRunsKeepTheirOrder: a Latin reference inside Arabic text is an
// isolate in both parts (LRI … PDI in the text and the subject, a <bdi
// dir="ltr"> in the HTML), and nothing of it in a French message.
func TestLTRRunsKeepTheirOrder(t *testing.T) {
	ref := "OBS-2026-7K3Q9X"
	ar, err := mail.Message{Lang: i18n.AR, Subject: "ردّ على مساهمتكم — " + mail.LTR(ref), Blocks: []mail.Block{
		{Text: "تحمل مساهمتكم المرجع " + mail.LTR(ref) + "، يرجى ذكره <في> كل مراسلة."},
		{Text: "فتح صفحة التتبع", Link: "https://portail.example/ar/observations/abc?token=x"},
	}}.Render()
	if err != nil {
		t.Fatal(err)
	}
	if want := "\u2066" + ref + "\u2069"; !strings.Contains(ar.Text, "المرجع "+want+"،") || !strings.Contains(ar.Subject, want) {
		t.Errorf("Arabic text or subject without the isolated reference:\n%q\n%q", ar.Subject, ar.Text)
	}
	if want := `المرجع <bdi dir="ltr">` + ref + `</bdi>، يرجى ذكره &lt;في&gt; كل مراسلة.`; !strings.Contains(ar.HTML, want) {
		t.Errorf("Arabic HTML lacks %q:\n%s", want, ar.HTML)
	}
	if strings.Contains(ar.HTML, "\u2066") || strings.Contains(ar.HTML, "\u2069") {
		t.Errorf("isolate characters left in the HTML:\n%s", ar.HTML)
	}
	// The link: once as text (the URL), once in the HTML (an anchor with its label).
	url := "https://portail.example/ar/observations/abc?token=x"
	if strings.Count(ar.Text, url) != 1 || strings.Contains(ar.Text, "فتح صفحة التتبع") {
		t.Errorf("text part: the URL %d times, or the label:\n%s", strings.Count(ar.Text, url), ar.Text)
	}
	if strings.Count(ar.HTML, url) != 1 || !strings.Contains(ar.HTML, ">فتح صفحة التتبع</a>") {
		t.Errorf("HTML part: the URL %d times, want once in href with the label as text:\n%s", strings.Count(ar.HTML, url), ar.HTML)
	}

	fr, err := mail.Message{Lang: i18n.FR, Subject: "Réponse — " + mail.LTR(ref), Blocks: []mail.Block{{Text: "Référence " + mail.LTR(ref) + "."}}}.Render()
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(fr.Text+fr.Subject, "\u2066\u2069") || !strings.Contains(fr.Text, "Référence "+ref+".") || fr.Subject != "Réponse — "+ref {
		t.Errorf("French message keeps isolate characters: %q / %q", fr.Subject, fr.Text)
	}
}
