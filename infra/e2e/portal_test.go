package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"espaceosc/shared/testenv"

	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// portalBrowser starts headless Chromium for one test and collects what the
// page writes to the console (CSP violations, failed loads, exceptions).
func portalBrowser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		testenv.Missing(t, "chromium", "apt-get install -y chromium")
	}
	dir, err := os.MkdirTemp("", "portal-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir),
	)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancel()
		cancelAlloc()
		_ = os.RemoveAll(dir) // best effort: Chromium's children may still write there
	})
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	var (
		mu       sync.Mutex
		problems []string
	)
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			// The API's 4xx answers that the pages handle (a field error, a
			// bad follow-up token) are logged by the browser as failed loads.
			expected := m.Source == "network" && strings.Contains(m.URL, "/api/")
			if (m.Type == chromedp.ConsoleError || m.IsException()) && !expected {
				mu.Lock()
				problems = append(problems, m.String()+" ("+m.URL+")")
				mu.Unlock()
			}
		}
	}()
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), problems...)
	}
}

func run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	stepCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(stepCtx, steps...); err != nil {
		if dir := os.Getenv("PORTAL_SCREENSHOTS"); dir != "" {
			if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
				_ = os.WriteFile(filepath.Join(dir, "failed.png"), png, 0o644)
			}
		}
		t.Fatalf("%s: %v", what, err)
	}
}

func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func attrOf(t *testing.T, ctx context.Context, sel, name string) string {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.AttributeValue(sel, name))
	if err != nil {
		t.Fatalf("attribute %s of %s: %v", name, sel, err)
	}
	return v.Value
}

// seededTitles are the titles the public API lists in lang, newest first.
func seededTitles(t *testing.T, lang string) []string {
	t.Helper()
	r := do(t, call{method: "GET", path: "/api/news?lang=" + lang + "&limit=3"})
	expectStatus(t, r, http.StatusOK)
	var page struct {
		Items []struct {
			Title string `json:"title"`
		} `json:"items"`
	}
	r.json(t, &page)
	if len(page.Items) == 0 {
		t.Fatalf("no published %s news: the local cloud's seed content is missing", lang)
	}
	var titles []string
	for _, it := range page.Items {
		titles = append(titles, it.Title)
	}
	return titles
}

func TestPortalArabicHomeAndObservation(t *testing.T) {
	ctx, consoleProblems := portalBrowser(t)
	arTitles := seededTitles(t, "ar")

	// The Arabic home page: right-to-left from the first paint, seeded news listed.
	run(t, ctx, "open /ar/",
		chromedp.Navigate(lc.URL()+"/ar/"),
		chromedp.WaitVisible(".news-list .news-item a"))
	if got, want := attrOf(t, ctx, "html", "dir"), "rtl"; got != want {
		t.Errorf("html dir = %q, want %q", got, want)
	}
	if got, want := attrOf(t, ctx, "html", "lang"), "ar"; got != want {
		t.Errorf("html lang = %q, want %q", got, want)
	}
	if got, want := textOf(t, ctx, ".news-list .news-item a"), arTitles[0]; got != want {
		t.Errorf("first news on /ar/ = %q, want the newest Arabic item %q", got, want)
	}
	if got := textOf(t, ctx, "h1"); got != "فضاء المجتمع المدني" {
		t.Errorf("h1 = %q", got)
	}
	screenshot(t, ctx, "home-ar.png")

	// The language switch keeps the page.
	run(t, ctx, "open /ar/liens", chromedp.Navigate(lc.URL()+"/ar/liens"), chromedp.WaitVisible(".cards .card a"))
	if got, want := attrOf(t, ctx, "#lang-switch", "href"), "/fr/liens"; got != want {
		t.Errorf("language switch on /ar/liens = %q, want %q", got, want)
	}

	// The observation form: a server-side field error lands next to its field.
	email := fmt.Sprintf("portal-e2e-%d@example.ma", time.Now().UnixNano())
	run(t, ctx, "open the form",
		chromedp.Navigate(lc.URL()+"/ar/observations/nouvelle"),
		chromedp.WaitVisible(`[data-field="topic"] select`),
		chromedp.WaitVisible(".notice-box .meta"), // the loi 09-08 notice has loaded
		chromedp.SetValue(`[data-field="topic"] select`, "open_data"),
		chromedp.SendKeys(`[data-field="subject"] input`, "نشر بيانات الصفقات العمومية"),
		chromedp.SendKeys(`[data-field="message"] textarea`, "نقترح نشر بيانات الصفقات العمومية بصيغة مفتوحة كل ثلاثة أشهر."),
		chromedp.SendKeys(`[data-field="name"] input`, "سلمى العلوي"),
		chromedp.SendKeys(`[data-field="email"] input`, "not-an-email"),
		chromedp.Click(`[data-field="consent"] input`),
		chromedp.Click(`form button[type="submit"]`),
		chromedp.WaitVisible(`[data-field="email"] input[aria-invalid="true"]`))
	errText := textOf(t, ctx, `[data-field="email"] .field-error`)
	if errText == "" {
		t.Fatal("no error message next to the email field")
	}
	errID := attrOf(t, ctx, `[data-field="email"] .field-error`, "id")
	if described := attrOf(t, ctx, `[data-field="email"] input`, "aria-describedby"); !strings.Contains(described, errID) {
		t.Errorf("email aria-describedby = %q, want it to name %q", described, errID)
	}
	if attrOf(t, ctx, `[data-field="subject"] input`, "aria-invalid") != "" {
		t.Error("subject marked invalid although only the email is wrong")
	}

	// Corrected, the form is accepted and shows the reference.
	run(t, ctx, "submit the corrected form",
		chromedp.Clear(`[data-field="email"] input`),
		chromedp.SendKeys(`[data-field="email"] input`, email),
		chromedp.Click(`form button[type="submit"]`),
		chromedp.WaitVisible(`[data-reference]`))
	reference := textOf(t, ctx, "[data-reference]")
	if !regexp.MustCompile(`^OBS-\d{4}-[A-Z0-9]+$`).MatchString(reference) {
		t.Fatalf("reference shown = %q", reference)
	}
	if !strings.Contains(textOf(t, ctx, ".success"), reference) {
		t.Error("the success message does not quote the reference")
	}

	// The acknowledgement went to that address, in Arabic, with the reference.
	var ack []string
	for _, m := range lc.Mail() {
		for _, to := range m.To {
			if strings.Contains(strings.ToLower(to), strings.ToLower(email)) {
				ack = append(ack, m.Subject+"\n"+m.Text)
			}
		}
	}
	if len(ack) != 1 || !strings.Contains(ack[0], reference) {
		t.Fatalf("acknowledgements to the submitted address: %q, want one quoting %s", ack, reference)
	}

	// The administration answers; the author's private link shows the answer.
	link := regexp.MustCompile(`/ar/observations/([A-Za-z0-9_-]+)\?token=[A-Za-z0-9_-]+`).FindStringSubmatch(ack[0])
	if link == nil {
		t.Fatalf("no Arabic follow-up link in the acknowledgement: %q", ack[0])
	}
	answer := "شكرًا على مقترحكم. ستُنشر بيانات الصفقات العمومية على بوابة البيانات المفتوحة."
	row := `//li[contains(@class,"admin-row")][.//span[text()="` + reference + `"]]`
	run(t, ctx, "answer in the Arabic admin",
		chromedp.Navigate(lc.URL()+"/ar/admin"),
		chromedp.WaitVisible(`form button.secondary`), // the local token
		chromedp.Click(`form button.secondary`),
		chromedp.WaitVisible(`#tab-news[aria-selected="true"]`),
		chromedp.Click(`#tab-obs`),
		chromedp.WaitVisible(row),
		chromedp.Click(row+`//button[@aria-expanded="false"]`),
		chromedp.WaitVisible(row+`//textarea[@name="response"]`),
		chromedp.SetValue(row+`//select[@name="status"]`, "answered"),
		chromedp.SendKeys(row+`//textarea[@name="response"]`, answer),
		chromedp.Click(row+`//button[@type="submit"]`),
		chromedp.WaitVisible(row+`//span[contains(@class,"badge") and text()="تمت الإجابة"]`))
	// The list shows who wrote, on which theme, in which language.
	for sel, want := range map[string]string{
		row + `//span[@data-author]`:            "سلمى العلوي",
		row + `//span[@data-topic="open_data"]`: "البيانات المفتوحة",
		row + `//span[@data-lang="ar"]`:         "العربية",
	} {
		if got := textOf(t, ctx, sel); !strings.Contains(got, want) {
			t.Errorf("observation row %s = %q, want %q in it", sel, got, want)
		}
	}
	if got := textOf(t, ctx, row+`//span[@data-author]`); !strings.Contains(got, email) {
		t.Errorf("observation row's author = %q, want the address %s", got, email)
	}
	var answered bool
	for _, m := range lc.Mail() {
		for _, to := range m.To {
			answered = answered || strings.Contains(strings.ToLower(to), strings.ToLower(email)) && strings.Contains(m.Text, answer)
		}
	}
	if !answered {
		t.Error("the author got no email with the answer")
	}
	run(t, ctx, "open the follow-up link",
		chromedp.Navigate(lc.URL()+link[0]),
		chromedp.WaitVisible("dl.facts .reference"))
	// The token leaves the address bar (and the language switch); this tab keeps it.
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err != nil || strings.Contains(loc, "token=") || !strings.HasSuffix(loc, strings.Split(link[0], "?")[0]) {
		t.Errorf("location after opening the follow-up link = %q (%v), want the page without its token", loc, err)
	}
	if got := textOf(t, ctx, "dl.facts .reference"); got != reference {
		t.Errorf("follow-up reference = %q, want %q", got, reference)
	}
	if got, want := textOf(t, ctx, "dl.facts .badge"), "تمت الإجابة"; got != want {
		t.Errorf("follow-up status = %q, want %q", got, want)
	}
	if got := textOf(t, ctx, "section.panel"); !strings.Contains(got, answer) {
		t.Errorf("follow-up response section = %q, want the answer", got)
	}
	if got, want := attrOf(t, ctx, "#lang-switch", "href"), strings.Replace(strings.Split(link[0], "?")[0], "/ar/", "/fr/", 1); got != want {
		t.Errorf("language switch on the follow-up page = %q, want %q (same page, no token)", got, want)
	}
	run(t, ctx, "switch to French in the same tab",
		chromedp.Click("#lang-switch"),
		chromedp.WaitVisible(`html[lang="fr"]`),
		chromedp.WaitVisible("dl.facts .reference"))
	if got := textOf(t, ctx, "dl.facts .reference"); got != reference {
		t.Errorf("French follow-up reference = %q, want %q (the tab kept the token)", got, reference)
	}

	if problems := consoleProblems(); len(problems) > 0 {
		t.Errorf("console errors (CSP violations, failed loads, exceptions):\n%s", strings.Join(problems, "\n"))
	}
}

func TestPortalFrenchPagesAndAdmin(t *testing.T) {
	ctx, consoleProblems := portalBrowser(t)
	frTitles := seededTitles(t, "fr")

	run(t, ctx, "open /fr/",
		chromedp.Navigate(lc.URL()+"/fr/"),
		chromedp.WaitVisible(".news-list .news-item a"))
	if got, want := attrOf(t, ctx, "html", "dir"), "ltr"; got != want {
		t.Errorf("html dir = %q, want %q", got, want)
	}
	if got := textOf(t, ctx, ".news-list .news-item a"); got != frTitles[0] {
		t.Errorf("first news on /fr/ = %q, want %q", got, frTitles[0])
	}
	screenshot(t, ctx, "home-fr.png")

	// A client-side navigation to the news item, then a reload of its URL.
	run(t, ctx, "open a news item", chromedp.Click(".news-list .news-item a"), chromedp.WaitVisible("article h1"))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(loc, "/fr/actualites/") {
		t.Fatalf("location after the click = %q", loc)
	}
	run(t, ctx, "reload the news item", chromedp.Reload(), chromedp.WaitVisible("article h1"))
	if got := textOf(t, ctx, "article h1"); got != frTitles[0] {
		t.Errorf("news page title = %q, want %q", got, frTitles[0])
	}

	// A follow-up link with a wrong token says so.
	run(t, ctx, "open a bad follow-up link",
		chromedp.Navigate(lc.URL()+"/fr/observations/nope?token=bad"),
		chromedp.WaitVisible(".alert p"))
	if got := textOf(t, ctx, ".alert p"); !strings.Contains(got, "invalide ou expiré") {
		t.Errorf("follow-up with a bad token shows %q", got)
	}

	// Admin with the local token: the news tab lists drafts and published items.
	run(t, ctx, "sign in with the local token",
		chromedp.Navigate(lc.URL()+"/fr/admin"),
		chromedp.WaitVisible(`form button.secondary`),
		chromedp.Click(`form button.secondary`),
		chromedp.WaitVisible(`#tab-news[aria-selected="true"]`),
		chromedp.WaitVisible(`#admin-panel .admin-row .title`))
	if got := textOf(t, ctx, "#admin-panel"); !strings.Contains(got, frTitles[0]) || !strings.Contains(got, "Publiée") {
		t.Errorf("admin news panel lacks the published item %q: %q", frTitles[0], got)
	}
	// The local cloud has no managed login: no sign-in settings in the shell,
	// and the page says who the local token stands for.
	if got := textOf(t, ctx, "#whoami"); !strings.Contains(got, "local-admin@espace-osc.local") || !strings.Contains(got, "administrateurs") {
		t.Errorf("signed-in line = %q, want the local admin and its group", got)
	}
	shell := do(t, call{method: "GET", path: "/fr/admin"})
	expectStatus(t, shell, http.StatusOK)
	if b := string(shell.body); !strings.Contains(b, "<html") || strings.Contains(b, `name="auth-domain"`) || strings.Contains(shell.header.Get("Content-Security-Policy"), "amazoncognito") {
		t.Error("the local portal announces a managed login")
	}

	// Create a draft through the form, publish it, find it on the public
	// page, then delete it (accepting the confirmation dialog).
	acceptDialogs(ctx)
	title := fmt.Sprintf("Atelier de cocréation à Casablanca n° %d", time.Now().UnixNano()%100000)
	row := `//li[contains(@class,"admin-row")][.//span[@class="title" and text()="` + title + `"]]`
	run(t, ctx, "create a draft",
		chromedp.Click(`//button[text()="Nouvelle actualité"]`),
		chromedp.WaitVisible(`#admin-panel form [data-field="title"] input`),
		chromedp.SendKeys(`#admin-panel form [data-field="title"] input`, title),
		chromedp.SendKeys(`#admin-panel form [data-field="body"] textarea`, "Un atelier de cocréation du plan d'action national.\n\nInscriptions ouvertes."),
		chromedp.Click(`#admin-panel form button[type="submit"]`),
		chromedp.WaitVisible(row+`//span[contains(@class,"badge") and text()="Brouillon"]`))
	// Newest first, whatever the language: the new draft heads the list.
	if got := textOf(t, ctx, `#admin-panel .news-list > li:first-child .title`); got != title {
		t.Errorf("first news row = %q, want the newest item %q", got, title)
	}
	run(t, ctx, "publish it",
		chromedp.Click(row+`//button[text()="Publier"]`),
		chromedp.WaitVisible(row+`//span[contains(@class,"badge") and text()="Publiée"]`))
	run(t, ctx, "see it published",
		chromedp.Navigate(lc.URL()+"/fr/actualites"),
		chromedp.WaitVisible(`//ul[contains(@class,"news-list")]//a[text()="`+title+`"]`))
	run(t, ctx, "delete it",
		chromedp.Navigate(lc.URL()+"/fr/admin"),
		chromedp.WaitVisible(row),
		chromedp.Click(row+`//button[text()="Supprimer"]`),
		chromedp.WaitNotPresent(row))
	r := do(t, call{method: "GET", path: "/api/news?lang=fr&limit=50"})
	expectStatus(t, r, http.StatusOK)
	if strings.Contains(string(r.body), title) {
		t.Error("the deleted item is still listed by the public API")
	}

	if problems := consoleProblems(); len(problems) > 0 {
		t.Errorf("console errors (CSP violations, failed loads, exceptions):\n%s", strings.Join(problems, "\n"))
	}
}

// screenshot writes a PNG of the viewport (390×844) to $PORTAL_SCREENSHOTS, when set,
// for people to look at the layout.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("PORTAL_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
