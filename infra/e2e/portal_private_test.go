package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"espaceosc/infra/local/cloud"
	"espaceosc/shared/ics/icstest"

	ical "github.com/arran4/golang-ical"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The private pages in a browser, French and Arabic: a working-group (GT)
// candidacy from its call's page to its receipt, with its groups kept and
// what is missing named and linked; a document's upload progress; a
// registration's private page and its cancellation's .ics CANCEL; the
// tokens of the private links out of the address bar.

// mailMatching waits (10 s at most) for an email to addr whose text
// matches re, and returns the last match and its message.
func mailMatching(t *testing.T, addr string, re *regexp.Regexp) ([]string, cloud.Message) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var found []string
		var msg cloud.Message
		for _, m := range mailTo(addr) {
			if f := re.FindStringSubmatch(m.Text); f != nil {
				found, msg = f, m
			}
		}
		if found != nil {
			return found, msg
		}
		if time.Now().After(deadline) {
			t.Fatalf("no email to %s matching %s", addr, re)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// location is the page's address.
func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// words of the pages under test, in both languages.
var privateWords = map[string]struct {
	legalForm, city, groups, statuts, submitted, cancelled string
}{
	"fr": {legalForm: "Forme juridique", city: "Ville", groups: "Groupes de travail souhaités", statuts: "Statuts", submitted: "Déposée", cancelled: "Annulée"},
	"ar": {legalForm: "الشكل القانوني", city: "المدينة", groups: "مجموعات العمل المرغوب فيها", statuts: "النظام الأساسي", submitted: "مودَع", cancelled: "ملغى"},
}

func TestPortalWorkingGroupCandidacy(t *testing.T) {
	for _, lang := range []string{"fr", "ar"} {
		t.Run(lang, func(t *testing.T) { workingGroupCandidacy(t, lang) })
	}
}

func workingGroupCandidacy(t *testing.T, lang string) {
	ctx, consoleProblems := portalBrowser(t)
	acceptDialogs(ctx)
	words := privateWords[lang]
	now := time.Now()
	callID := createOpenCall(t, lc, gtCallBody(fmt.Sprintf("portal-gt-%s-%d", lang, now.UnixNano()%1e9), now.Add(-time.Hour), now.Add(30*24*time.Hour)))
	email := fmt.Sprintf("gt-%s-%d@example.ma", lang, now.UnixNano())

	// The call's page: the application names the working group chosen.
	run(t, ctx, "apply from the call's page",
		chromedp.Navigate(lc.URL()+"/"+lang+"/candidatures/appels/"+callID),
		chromedp.WaitVisible(`[data-field="workingGroups"] input[value="souss-massa"]`),
		chromedp.WaitVisible(".notice-box .meta"),
		chromedp.SendKeys(`[data-field="association.name"] input`, "Association Tafra pour la transparence"),
		chromedp.SendKeys(`[data-field="association.email"] input`, email),
		chromedp.SendKeys(`[data-field="representative.name"] input`, "Salma Idrissi"),
		chromedp.SendKeys(`[data-field="representative.email"] input`, "salma."+email),
		chromedp.Click(`[data-field="workingGroups"] input[value="souss-massa"]`),
		chromedp.Click(`[data-field="consent"] input`),
		chromedp.Click(`form button[type="submit"]`),
		chromedp.WaitVisible(`[data-applied]`))

	// The private link: its token leaves the address bar; the working
	// group chosen is there, ticked.
	link, _ := mailMatching(t, email, regexp.MustCompile(`/`+lang+`/candidatures/([0-9a-z]{26})\?token=[A-Za-z0-9_-]+`))
	candID := link[1]
	run(t, ctx, "open the private link",
		chromedp.Navigate(lc.URL()+link[0]),
		chromedp.WaitVisible(`[data-field="workingGroups"] input[value="souss-massa"]`))
	if loc := location(t, ctx); strings.Contains(loc, "token=") {
		t.Errorf("location after opening the link = %q, want no token", loc)
	}
	if on, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('[data-field="workingGroups"] input[value="souss-massa"]').checked`)); err != nil || !on {
		t.Errorf("the group chosen when applying is not ticked (%v)", err)
	}
	if got := textOf(t, ctx, `[data-field="workingGroups"] legend`); got != words.groups {
		t.Errorf("working groups legend = %q, want %q", got, words.groups)
	}

	// A save of the draft keeps the group.
	admin := tokenFor(t, lc, "admin", "")
	groupsOf := func() []string {
		t.Helper()
		r := do(t, call{method: "GET", path: "/api/admin/candidacies/" + candID, token: admin})
		expectStatus(t, r, http.StatusOK)
		var v struct{ WorkingGroups []string }
		r.json(t, &v)
		return v.WorkingGroups
	}
	run(t, ctx, "save the draft",
		chromedp.SendKeys(`[data-field="representative.role"] input`, "Présidente"),
		chromedp.Click(`form[aria-labelledby="draft-title"] button[type="submit"]`),
		chromedp.WaitVisible(`//p[contains(@class,"status-line") and normalize-space(text())!=""]`))
	if g := groupsOf(); len(g) != 1 || g[0] != "souss-massa" {
		t.Fatalf("working groups after a save = %v, want [souss-massa]", g)
	}

	// Submitting now: the summary names each missing field and each missing
	// document, each a link to it; following one moves the focus there.
	summary := `section[aria-labelledby="submit-title"] .alert`
	run(t, ctx, "submit too early",
		chromedp.Click(`//section[@aria-labelledby="submit-title"]//button`),
		chromedp.WaitVisible(summary+` li a[data-missing="documents.statuts"]`))
	items, err := chromedp.Run(ctx, chromedp.Evaluate[[][]string](`[...document.querySelectorAll('section[aria-labelledby="submit-title"] .alert li')].map((li) => [li.querySelector('a')?.getAttribute('data-missing') || '', li.querySelector('a')?.getAttribute('href') || '', li.textContent])`))
	if err != nil {
		t.Fatal(err)
	}
	missing := map[string]string{}
	for _, it := range items {
		if it[0] == "" || !strings.HasPrefix(it[1], "#") {
			t.Errorf("a summary item without its link: %q", it)
		}
		missing[it[0]] = it[2]
	}
	for field, label := range map[string]string{"association.legalForm": words.legalForm, "association.city": words.city, "documents.statuts": words.statuts} {
		if got := missing[field]; !strings.Contains(got, label) {
			t.Errorf("summary item of %s = %q, want it named %q (items %v)", field, got, label, missing)
		}
	}
	if _, ok := missing["workingGroups"]; ok {
		t.Error("the summary says the working groups are missing although one is chosen")
	}
	if detail := textOf(t, ctx, summary+" p strong"); strings.Contains(detail, "ci-dessous") || strings.Contains(detail, "أدناه") {
		t.Errorf("the summary points below: %q", detail)
	}
	run(t, ctx, "show the summary", chromedp.ScrollIntoView(summary))
	screenshot(t, ctx, "candidacy-summary-"+lang+".png")
	run(t, ctx, "follow the city's link", chromedp.Click(summary+` a[data-missing="association.city"]`))
	if focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.name || document.activeElement.id`)); err != nil || focused != "association.city" {
		t.Errorf("focus after following the city's link = %q (%v), want the city field", focused, err)
	}
	if attrOf(t, ctx, `[data-field="association.city"] input`, "aria-invalid") != "true" {
		t.Error("the city field is not marked invalid")
	}
	screenshot(t, ctx, "candidacy-missing-"+lang+".png")

	// The rest of the dossier.
	run(t, ctx, "complete the dossier",
		chromedp.SetValue(`[data-field="association.legalForm"] select`, "association"),
		chromedp.SendKeys(`[data-field="association.registrationNumber"] input`, "RC-2011-334"),
		chromedp.SendKeys(`[data-field="association.yearFounded"] input`, "2011"),
		chromedp.SetValue(`[data-field="association.region"] select`, "souss-massa"),
		chromedp.SendKeys(`[data-field="association.city"] input`, "Agadir"),
		chromedp.SendKeys(`[data-field="association.phone"] input`, "+212 528 00 00 00"),
		chromedp.Click(`[data-field="thematicAreas"] input[value="transparency"]`),
		chromedp.SendKeys(`[data-field="motivation"] textarea`, "Nous suivons le budget de la région Souss-Massa depuis 2018 et animons un observatoire citoyen."))
	dir := t.TempDir()
	for _, typ := range []string{"statuts", "recepisse"} {
		size := 20 << 10
		if typ == "statuts" {
			size = 3 << 20 // big enough to see the progress move
		}
		p := filepath.Join(dir, typ+".pdf")
		if err := os.WriteFile(p, minimalPDF(typ, size), 0o600); err != nil {
			t.Fatal(err)
		}
		run(t, ctx, "upload "+typ,
			chromedp.SetUploadFiles(`#doc-`+typ, []string{p}),
			chromedp.Click(`[data-doc="`+typ+`"] button`),
			chromedp.WaitVisible(`[data-doc="`+typ+`"] [data-doc-status="verified"]`))
		if got := attrOf(t, ctx, `[data-doc="`+typ+`"] .upload-progress`, "data-progress"); got != "100" {
			t.Errorf("%s: upload progress = %s, want 100", typ, got)
		}
	}

	run(t, ctx, "submit",
		chromedp.Click(`//section[@aria-labelledby="submit-title"]//button`),
		chromedp.WaitVisible(`[data-reference]`))
	reference := textOf(t, ctx, "[data-reference]")
	if !regexp.MustCompile(`^GT-\d{4}-\d{4}$`).MatchString(reference) {
		t.Errorf("reference shown = %q", reference)
	}
	if got := textOf(t, ctx, `[data-status]`); got != words.submitted {
		t.Errorf("status = %q, want %q", got, words.submitted)
	}
	if g := groupsOf(); len(g) != 1 || g[0] != "souss-massa" {
		t.Errorf("working groups of the submitted candidacy = %v, want [souss-massa]", g)
	}
	_, receipt := mailMatching(t, email, regexp.MustCompile(regexp.QuoteMeta(reference)))
	if lang == "ar" && !strings.Contains(receipt.Text, "\u2066"+reference+"\u2069") {
		t.Errorf("the Arabic receipt does not isolate the reference %s:\n%s", reference, receipt.Text)
	}
	screenshot(t, ctx, "candidacy-gt-submitted-"+lang+".png")

	if problems := consoleProblems(); len(problems) > 0 {
		t.Errorf("console errors (CSP violations, failed loads, exceptions):\n%s", strings.Join(problems, "\n"))
	}
}

// TestPortalUploadProgress: a document's upload shows its bytes and its
// percentage as they go (the upload slowed down to 1 MB/s by the browser),
// up to 100 %.
func TestPortalUploadProgress(t *testing.T) {
	ctx, consoleProblems := portalBrowser(t)
	now := time.Now()
	callID := createOpenCall(t, lc, callBody(fmt.Sprintf("portal-progress-%d", now.UnixNano()%1e9), now.Add(-time.Hour), now.Add(30*24*time.Hour)))
	cand := applyOn(t, lc, callID, application(fmt.Sprintf("progress-%d@example.ma", now.UnixNano()), "fr"))
	run(t, ctx, "open the candidacy",
		chromedp.Navigate(lc.URL()+"/fr/candidatures/"+cand.id+"?token="+cand.token),
		chromedp.WaitVisible(`#doc-statuts`))
	throttled := true
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{URLPattern: lc.Endpoints()["s3"] + "/*", DownloadThroughput: -1, UploadThroughput: 1 << 20}},
	}); err != nil {
		t.Logf("this Chromium cannot slow an upload down (%v): only the end of the progress is checked", err)
		throttled = false
	}
	// Every value the bar shows, as the page sets it.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		window.seenProgress = [];
		const el = document.querySelector('[data-doc="statuts"] .upload-progress');
		new MutationObserver(() => window.seenProgress.push([el.getAttribute('data-progress'), el.textContent])).observe(el, { attributes: true, childList: true, subtree: true });
		return true;
	})()`)); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "statuts.pdf")
	if err := os.WriteFile(p, minimalPDF("statuts", 4<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	stepCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(stepCtx,
		chromedp.SetUploadFiles(`#doc-statuts`, []string{p}),
		chromedp.Click(`[data-doc="statuts"] button`),
		chromedp.WaitVisible(`[data-doc="statuts"] [data-doc-status="verified"]`)); err != nil {
		t.Fatalf("upload: %v", err)
	}
	seen, err := chromedp.Run(ctx, chromedp.Evaluate[[][]string](`window.seenProgress`))
	if err != nil {
		t.Fatal(err)
	}
	between := 0
	var last []string
	for _, s := range seen {
		if s[0] != "0" && s[0] != "100" {
			between++
		}
		last = s
	}
	if last == nil || last[0] != "100" || !strings.Contains(last[1], "100 %") || !strings.Contains(last[1], "Mo") {
		t.Errorf("last progress shown = %q, want 100 %% with the sizes in Mo (all: %q)", last, seen)
	}
	if throttled && between == 0 {
		t.Errorf("no progress between 0 and 100 %% while the upload was slowed down: %q", seen)
	}
	t.Logf("progress values shown: %d, %d of them between 0 and 100 %%", len(seen), between)
	if problems := consoleProblems(); len(problems) > 0 {
		t.Errorf("console errors (CSP violations, failed loads, exceptions):\n%s", strings.Join(problems, "\n"))
	}
}

func TestPortalRegistrationCancellation(t *testing.T) {
	for _, lang := range []string{"fr", "ar"} {
		t.Run(lang, func(t *testing.T) { registrationCancellation(t, lang) })
	}
}

func registrationCancellation(t *testing.T, lang string) {
	ctx, consoleProblems := portalBrowser(t)
	acceptDialogs(ctx)
	// After the seeded event (45 days ahead), so that the public list's
	// first page, which other tests read, still shows it.
	id := newEvent(t, 5, 5, 60*24*time.Hour)
	email := fmt.Sprintf("cancel-%s-%d@example.ma", lang, time.Now().UnixNano())
	reg := register(t, id, email, lang)
	link, confirmation := mailMatching(t, email, regexp.MustCompile(`/`+lang+`/registrations/[0-9a-z]{26}\?token=[A-Za-z0-9_-]+`))
	if len(confirmation.Attachments) != 1 || !strings.Contains(string(confirmation.Attachments[0].Content), "METHOD:REQUEST") {
		t.Fatalf("the confirmation has no invitation: %+v", confirmation.Attachments)
	}

	run(t, ctx, "open the registration's private link",
		chromedp.Navigate(lc.URL()+link[0]),
		chromedp.WaitVisible(`[data-code]`))
	if loc := location(t, ctx); strings.Contains(loc, "token=") {
		t.Errorf("location after opening the link = %q, want no token", loc)
	}
	if sw := attrOf(t, ctx, "#lang-switch", "href"); strings.Contains(sw, "token") {
		t.Errorf("language switch %q carries the token", sw)
	}
	run(t, ctx, "reload without the token in the address", chromedp.Reload(), chromedp.WaitVisible(`[data-code]`))
	if got := textOf(t, ctx, "[data-code]"); got != reg.Code {
		t.Errorf("code shown = %q, want %q", got, reg.Code)
	}
	run(t, ctx, "cancel",
		chromedp.Click(`button.danger`),
		chromedp.WaitNotPresent(`button.danger`))
	if got := textOf(t, ctx, "dl.facts .badge"); got != privateWords[lang].cancelled {
		t.Errorf("status after cancelling = %q, want %q", got, privateWords[lang].cancelled)
	}

	// The acknowledgement removes the invitation from the person's calendar.
	var ack cloud.Message
	waitFor(t, "the cancellation's acknowledgement", 10*time.Second, func() bool {
		for _, m := range mailTo(email) {
			for _, a := range m.Attachments {
				if strings.Contains(string(a.Content), "METHOD:CANCEL") {
					ack = m
					return true
				}
			}
		}
		return false
	})
	_, invitation, _ := calendarOf(t, confirmation)
	_, cancel, method := calendarOf(t, ack)
	if method != "CANCEL" || cancel.Id() != invitation.Id() || !strings.HasPrefix(cancel.Id(), reg.ID) {
		t.Errorf("%s UID %q, invitation UID %q: want a CANCEL of the invitation", method, cancel.Id(), invitation.Id())
	}
	if ack.Attachments[0].Filename != "annulation.ics" || !strings.Contains(ack.Attachments[0].ContentType, "method=CANCEL") {
		t.Errorf("attachment %s (%s)", ack.Attachments[0].Filename, ack.Attachments[0].ContentType)
	}
	icstest.Valid(t, map[string][]byte{"invitation": confirmation.Attachments[0].Content, "cancellation": ack.Attachments[0].Content})

	if problems := consoleProblems(); len(problems) > 0 {
		t.Errorf("console errors (CSP violations, failed loads, exceptions):\n%s", strings.Join(problems, "\n"))
	}
}

// TestEventMoveSendsUpdatedInvitations: through the local cloud, moving a
// published event (its date and place) makes the notifier email its seat
// holders the updated invitation (same UID, higher SEQUENCE) and its
// waitlist the new details without an .ics; both pass libical's iTIP check.
func TestEventMoveSendsUpdatedInvitations(t *testing.T) {
	id := newEvent(t, 1, 5, 61*24*time.Hour)
	seat := fmt.Sprintf("move-seat-%d@example.ma", time.Now().UnixNano())
	wait := fmt.Sprintf("move-wait-%d@example.ma", time.Now().UnixNano())
	if r := register(t, id, seat, "ar"); r.Status != "confirmed" {
		t.Fatalf("first registration %+v", r)
	}
	if r := register(t, id, wait, "fr"); r.Status != "waitlisted" {
		t.Fatalf("second registration %+v", r)
	}
	_, confirmation := mailMatching(t, seat, regexp.MustCompile(`/ar/registrations/`))
	_, invitation, _ := calendarOf(t, confirmation)

	body := eventBody(id, 1, 5, 62*24*time.Hour)
	delete(body, "id")
	body["venue"] = map[string]string{"address": "Maison des associations", "city": "Rabat", "region": "Rabat-Salé-Kénitra"}
	r := do(t, call{method: "PUT", path: "/api/admin/events/" + id, body: body, token: token(t, "admin")})
	expectStatus(t, r, http.StatusOK)

	var update, notice cloud.Message
	waitFor(t, "the update emails", 30*time.Second, func() bool {
		for _, m := range mailTo(seat) {
			if strings.Contains(m.Subject, "تغيير في الموعد أو المكان") {
				update = m
			}
		}
		for _, m := range mailTo(wait) {
			if strings.Contains(m.Subject, "Changement de date ou de lieu") {
				notice = m
			}
		}
		return update.ID != "" && notice.ID != ""
	})
	_, updated, method := calendarOf(t, update)
	if method != "REQUEST" || updated.Id() != invitation.Id() {
		t.Errorf("update: METHOD %s UID %s, want a REQUEST for %s", method, updated.Id(), invitation.Id())
	}
	seq := func(e *ical.VEvent) int {
		n := -1
		if v := e.GetProperty(ical.ComponentPropertySequence); v != nil {
			n, _ = strconv.Atoi(v.Value)
		}
		return n
	}
	if seq(updated) <= seq(invitation) {
		t.Errorf("update SEQUENCE %d, invitation %d: want higher", seq(updated), seq(invitation))
	}
	if loc := updated.GetProperty(ical.ComponentPropertyLocation); loc == nil || !strings.Contains(loc.Value, "Rabat") {
		t.Errorf("update LOCATION = %v, want Rabat", loc)
	}
	if len(notice.Attachments) != 0 || !strings.Contains(notice.Text, "Maison des associations") || !strings.Contains(notice.Text, "liste d'attente") {
		t.Errorf("the waitlisted person's notice: %d attachments, text:\n%s", len(notice.Attachments), notice.Text)
	}
	icstest.Valid(t, map[string][]byte{"invitation": confirmation.Attachments[0].Content, "update": update.Attachments[0].Content})
}
