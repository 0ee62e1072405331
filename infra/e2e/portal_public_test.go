package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// waitMail waits (briefly: the outbox delivers right after the write) for
// n messages to addr whose text matches re, and returns the latest match (a
// link sent again carries a new token).
func waitMail(t *testing.T, addr string, n int, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var last []string
		matches := 0
		for _, m := range mailTo(addr) {
			if found := re.FindStringSubmatch(m.Text); found != nil {
				last = found
				matches++
			}
		}
		if matches >= n {
			return last
		}
		if time.Now().After(deadline) {
			t.Fatalf("fewer than %d emails to the test address matching %s", n, re)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestPortalArabicEventRegistration(t *testing.T) {
	ctx, consoleProblems := portalBrowser(t)
	acceptDialogs(ctx)

	// The home card leads to the events list, which lists the seeded event.
	eventLink := `//ul[contains(@class,"news-list")]//a[contains(@href,"/ar/evenements/atelier-cocreation-pan")]`
	run(t, ctx, "open the events from the home page",
		chromedp.Navigate(lc.URL()+"/ar/"),
		chromedp.WaitVisible(`.services a[href="/ar/evenements"]`),
		chromedp.Click(`.services a[href="/ar/evenements"]`),
		chromedp.WaitVisible(eventLink))
	// Other tests add events of their own: look at the seeded one's card.
	if got := textOf(t, ctx, `//li[contains(@class,"event-item")][.//a[contains(@href,"/atelier-cocreation-pan")]]//p[contains(@class,"badges")]`); !strings.Contains(got, "التسجيل مفتوح") {
		t.Errorf("event badges = %q, want registration open", got)
	}
	screenshot(t, ctx, "events-ar.png")

	email := fmt.Sprintf("portal-event-%d@example.ma", time.Now().UnixNano())
	run(t, ctx, "fill the registration form",
		chromedp.Click(eventLink),
		chromedp.WaitVisible(`[data-field="fullName"] input`),
		chromedp.WaitVisible(".notice-box .meta"),
		chromedp.SendKeys(`[data-field="fullName"] input`, "سلمى الإدريسي"),
		chromedp.SendKeys(`[data-field="email"] input`, email),
		chromedp.Click(`[data-field="consent"] input`),
		// The required choice question left out: the page says so next to it.
		chromedp.Click(`form button[type="submit"]`),
		chromedp.WaitVisible(`[data-field="answers.role"] .field-error`))
	screenshot(t, ctx, "event-form-ar.png")
	if got := textOf(t, ctx, "main"); strings.Contains(got, "[object") || strings.Contains(got, "null") || strings.Contains(got, "undefined") {
		t.Errorf("the event page shows code instead of text: %q", got)
	}
	if got := textOf(t, ctx, `.alert`); !strings.Contains(got, "تحضرون بصفتكم") {
		t.Errorf("error summary = %q, want it to name the question", got)
	}
	run(t, ctx, "register",
		chromedp.Click(`[data-field="answers.role"] input[value="association"]`),
		chromedp.SendKeys(`[data-field="answers.attentes"] textarea`, "تبادل التجارب حول الميزانيات التشاركية."),
		chromedp.Click(`form button[type="submit"]`),
		chromedp.WaitVisible(`[data-code]`))
	code := textOf(t, ctx, "[data-code]")
	if !regexp.MustCompile(`^[A-Z0-9]{6,12}$`).MatchString(code) {
		t.Fatalf("code shown = %q", code)
	}
	screenshot(t, ctx, "event-registered-ar.png")

	// The same address again: a 409 that says so (and the link is sent again).
	run(t, ctx, "register twice",
		chromedp.Navigate(lc.URL()+"/ar/evenements/atelier-cocreation-pan"),
		chromedp.WaitVisible(`[data-field="fullName"] input`),
		chromedp.SendKeys(`[data-field="fullName"] input`, "سلمى الإدريسي"),
		chromedp.SendKeys(`[data-field="email"] input`, email),
		chromedp.Click(`[data-field="answers.role"] input[value="association"]`),
		chromedp.Click(`[data-field="consent"] input`),
		chromedp.Click(`form button[type="submit"]`),
		chromedp.WaitVisible(`.alert p`))
	if got := textOf(t, ctx, ".alert p"); !strings.Contains(got, "مسجّل مسبقًا") {
		t.Errorf("second registration shows %q, want the already-registered message", got)
	}

	// The confirmation email carries the same code and the manage link.
	// The confirmation, then the link sent again after the second attempt.
	link := waitMail(t, email, 2, regexp.MustCompile(`/ar/registrations/[a-z0-9]{26}\?token=[A-Za-z0-9_-]+`))
	var withCode bool
	for _, m := range mailTo(email) {
		withCode = withCode || strings.Contains(m.Text, code)
	}
	if !withCode {
		t.Errorf("no confirmation email quotes the code %s", code)
	}

	// The manage page shows the registration and cancels it after confirmation.
	run(t, ctx, "open the manage link",
		chromedp.Navigate(lc.URL()+link[0]),
		chromedp.WaitVisible(`dl.facts [data-code]`))
	if got := textOf(t, ctx, "dl.facts [data-code]"); got != code {
		t.Errorf("manage page code = %q, want %q", got, code)
	}
	screenshot(t, ctx, "registration-ar.png")
	run(t, ctx, "cancel",
		chromedp.Click(`button.danger`),
		chromedp.WaitVisible(`//dd/span[contains(@class,"badge") and text()="ملغى"]`))

	if problems := consoleProblems(); len(problems) > 0 {
		t.Errorf("console errors (CSP violations, failed loads, exceptions):\n%s", strings.Join(problems, "\n"))
	}
}

func TestPortalFrenchCandidacy(t *testing.T) {
	ctx, consoleProblems := portalBrowser(t)
	acceptDialogs(ctx)
	dir := t.TempDir()
	write := func(name string, body []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, body, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	callLink := `//ul[contains(@class,"news-list")]//a[contains(@href,"/fr/candidatures/appels/copil-societe-civile")]`
	run(t, ctx, "open the calls from the home page",
		chromedp.Navigate(lc.URL()+"/fr/"),
		chromedp.WaitVisible(`.services a[href="/fr/candidatures"]`),
		chromedp.Click(`.services a[href="/fr/candidatures"]`),
		chromedp.WaitVisible(callLink))
	screenshot(t, ctx, "calls-fr.png")

	email := fmt.Sprintf("portal-cand-%d@example.ma", time.Now().UnixNano())
	run(t, ctx, "apply",
		chromedp.Click(callLink),
		chromedp.WaitVisible(`[data-field="association.name"] input`),
		chromedp.WaitVisible(".notice-box .meta"),
		chromedp.SendKeys(`[data-field="association.name"] input`, "Association Tafra pour la transparence"),
		chromedp.SetValue(`[data-field="association.legalForm"] select`, "association"),
		chromedp.SendKeys(`[data-field="association.registrationNumber"] input`, "RC-2011-334"),
		chromedp.SendKeys(`[data-field="association.yearFounded"] input`, "2011"),
		chromedp.SetValue(`[data-field="association.region"] select`, "souss-massa"),
		chromedp.SendKeys(`[data-field="association.city"] input`, "Agadir"),
		chromedp.SendKeys(`[data-field="association.email"] input`, email),
		chromedp.SendKeys(`[data-field="association.phone"] input`, "+212 528 00 00 00"),
		chromedp.SendKeys(`[data-field="representative.name"] input`, "Salma Idrissi"),
		chromedp.SendKeys(`[data-field="representative.role"] input`, "Présidente"),
		chromedp.SendKeys(`[data-field="representative.email"] input`, "salma."+email),
		chromedp.Click(`[data-field="thematicAreas"] input[value="transparency"]`),
		chromedp.SendKeys(`[data-field="motivation"] textarea`, "Nous suivons les engagements du plan d'action national depuis 2018 et animons un observatoire citoyen."),
		chromedp.Click(`[data-field="consent"] input`),
		chromedp.Click(`form button[type="submit"]`),
		chromedp.WaitVisible(`[data-applied]`))
	screenshot(t, ctx, "applied-fr.png")
	if got := textOf(t, ctx, "main"); strings.Contains(got, "[object") || strings.Contains(got, "null") || strings.Contains(got, "undefined") {
		t.Errorf("the call page shows code instead of text: %q", got)
	}
	if got := textOf(t, ctx, "[data-applied]"); !strings.Contains(got, email) {
		t.Errorf("confirmation = %q, want it to name the address the link went to", got)
	}

	// The private link, from the mailbox; the page drops the token from the
	// address bar and still works after a reload.
	link := waitMail(t, email, 1, regexp.MustCompile(`/fr/candidatures/[0-9a-z]{26}\?token=[A-Za-z0-9_-]+`))
	run(t, ctx, "open the private link",
		chromedp.Navigate(lc.URL()+link[0]),
		chromedp.WaitVisible(`[data-doc="statuts"] input[type="file"]`))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(loc, "token=") || !strings.HasSuffix(loc, strings.Split(link[0], "?")[0]) {
		t.Errorf("location after opening the link = %q, want the page without its token", loc)
	}
	if sw := attrOf(t, ctx, "#lang-switch", "href"); strings.Contains(sw, "token") {
		t.Errorf("language switch %q carries the token", sw)
	}
	run(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible(`[data-doc="statuts"] input[type="file"]`))

	// A file that is not a PDF is refused before anything is sent.
	run(t, ctx, "try a text file",
		chromedp.SetUploadFiles(`#doc-statuts`, []string{write("statuts.txt", []byte("pas un PDF"))}),
		chromedp.Click(`[data-doc="statuts"] button`),
		chromedp.WaitVisible(`[data-doc="statuts"] .status-line.field-error`))
	if got := textOf(t, ctx, `[data-doc="statuts"] .status-line`); !strings.Contains(got, "PDF") {
		t.Errorf("message for a text file = %q", got)
	}

	// Submitting without the documents lists what is missing.
	run(t, ctx, "submit too early",
		chromedp.Click(`//section[@aria-labelledby="submit-title"]//button`),
		chromedp.WaitVisible(`//section[@aria-labelledby="submit-title"]//div[contains(@class,"alert")]//li`))
	if got := textOf(t, ctx, `section[aria-labelledby="submit-title"] .alert`); !strings.Contains(got, "Statuts de l'association") || !strings.Contains(got, "Récépissé définitif") {
		t.Errorf("missing documents listed = %q", got)
	}

	// A file named .pdf that is not one passes the page's checks, reaches
	// S3, and the check rejects it: the page shows why.
	run(t, ctx, "upload a fake PDF",
		chromedp.SetUploadFiles(`#doc-statuts`, []string{write("faux.pdf", []byte("ceci n'est pas un PDF, seulement du texte"))}),
		chromedp.Click(`[data-doc="statuts"] button`),
		chromedp.WaitVisible(`[data-doc="statuts"] [data-doc-status="rejected"]`))
	if got := textOf(t, ctx, `[data-doc="statuts"] .doc-state`); !strings.Contains(got, "Refusée") || !strings.Contains(got, "Fichier refusé") {
		t.Errorf("rejected document state = %q, want the status and the reason", got)
	}

	// Each required document, uploaded through the page straight to S3, is verified.
	for _, typ := range []string{"statuts", "recepisse"} {
		run(t, ctx, "upload "+typ,
			chromedp.SetUploadFiles(`#doc-`+typ, []string{write(typ+".pdf", minimalPDF(typ, 0))}),
			chromedp.Click(`[data-doc="`+typ+`"] button`),
			chromedp.WaitVisible(`[data-doc="`+typ+`"] [data-doc-status="verified"]`))
		if got := textOf(t, ctx, `[data-doc="`+typ+`"] .doc-state`); !strings.Contains(got, "Vérifiée") || !strings.Contains(got, "Ko") || strings.Contains(got, "null") {
			t.Errorf("%s state = %q, want verified with its size", typ, got)
		}
	}
	screenshot(t, ctx, "candidacy-fr.png")

	run(t, ctx, "submit",
		chromedp.Click(`//section[@aria-labelledby="submit-title"]//button`),
		chromedp.WaitVisible(`[data-reference]`))
	reference := textOf(t, ctx, "[data-reference]")
	if !regexp.MustCompile(`^COPIL-\d{4}-\d{4}$`).MatchString(reference) {
		t.Fatalf("reference shown = %q", reference)
	}
	if got := textOf(t, ctx, `[data-status]`); got != "Déposée" {
		t.Errorf("status = %q, want Déposée", got)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[type="file"], form').length`)); err != nil || n != 0 {
		t.Errorf("the submitted candidacy still shows %d form controls (%v)", n, err)
	}
	screenshot(t, ctx, "candidacy-submitted-fr.png")

	// The call page in Arabic, right to left, for the screenshots.
	run(t, ctx, "open the call in Arabic",
		chromedp.Navigate(lc.URL()+"/ar/candidatures/appels/copil-societe-civile"),
		chromedp.WaitVisible(`[data-field="association.name"] input`))
	screenshot(t, ctx, "call-ar.png")
	run(t, ctx, "back to the candidacy", chromedp.Navigate(lc.URL()+strings.Split(link[0], "?")[0]), chromedp.WaitVisible(`[data-reference]`))

	// Withdrawn after confirmation; the reference stays.
	run(t, ctx, "withdraw",
		chromedp.Click(`//section[@aria-labelledby="withdraw-title"]//button`),
		chromedp.WaitVisible(`//dd[@data-status="withdrawn"]`))
	if got := textOf(t, ctx, "[data-reference]"); got != reference {
		t.Errorf("reference after withdrawal = %q, want %q", got, reference)
	}

	if problems := consoleProblems(); len(problems) > 0 {
		t.Errorf("console errors (CSP violations, failed loads, exceptions):\n%s", strings.Join(problems, "\n"))
	}
}
