package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The back office in a browser: events (create with a custom question,
// publish, check in at the door, export) and the evaluators' score form.

var casablanca = func() *time.Location {
	loc, err := time.LoadLocation("Africa/Casablanca")
	if err != nil {
		panic(err)
	}
	return loc
}()

// localInput is t as a datetime-local value in Casablanca time.
func localInput(t time.Time) string { return t.In(casablanca).Format("2006-01-02T15:04") }

// acceptDialogs accepts every confirm() the page opens.
func acceptDialogs(ctx context.Context) {
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for _, err := range dialogs {
			if err != nil {
				return
			}
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
}

// dialogs answers every confirm() the page opens as accept says, and keeps
// their messages.
type dialogs struct {
	accept   atomic.Bool
	mu       sync.Mutex
	messages []string
}

func answerDialogs(ctx context.Context) *dialogs {
	d := &dialogs{}
	d.accept.Store(true)
	events := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			d.mu.Lock()
			d.messages = append(d.messages, ev.Message)
			d.mu.Unlock()
			_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: d.accept.Load()})
		}
	}()
	return d
}

// last is the message of the last dialog.
func (d *dialogs) last() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.messages) == 0 {
		return ""
	}
	return d.messages[len(d.messages)-1]
}

// adminCallStatus is a call's status (admin API).
func adminCallStatus(t *testing.T, id string) string {
	t.Helper()
	r := do(t, call{method: "GET", path: "/api/admin/calls/" + id, token: token(t, "admin")})
	expectStatus(t, r, http.StatusOK)
	var c struct{ Status string }
	r.json(t, &c)
	return c.Status
}

// both takes a screenshot at phone size, then at desktop size, and returns to the phone.
func both(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	screenshot(t, ctx, name+"-390.png")
	run(t, ctx, "desktop viewport", chromedp.EmulateViewport(1280, 800))
	screenshot(t, ctx, name+"-1280.png")
	run(t, ctx, "phone viewport", chromedp.EmulateViewport(390, 844))
}

// publicEventListed pages through the public list of events looking for id.
func publicEventListed(t *testing.T, id string) bool {
	t.Helper()
	cursor := ""
	for range 50 {
		r := do(t, call{method: "GET", path: "/api/events?lang=fr&limit=50&cursor=" + url.QueryEscape(cursor)})
		expectStatus(t, r, http.StatusOK)
		var page struct {
			Items      []struct{ ID string }
			NextCursor string
		}
		r.json(t, &page)
		for _, it := range page.Items {
			if it.ID == id {
				return true
			}
		}
		if cursor = page.NextCursor; cursor == "" {
			return false
		}
	}
	return false
}

func TestPortalAdminEventCheckIn(t *testing.T) {
	nadia := fmt.Sprintf("nadia-%d@example.ma", time.Now().UnixNano())
	ctx, consoleProblems := portalBrowser(t)
	acceptDialogs(ctx)
	start := time.Now().Add(10 * 24 * time.Hour).In(casablanca).Truncate(time.Hour)
	opens := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)
	id := fmt.Sprintf("portal-atelier-%d", time.Now().UnixNano()%1e9)
	title := "Atelier budgets participatifs " + id
	row := `li[data-event="` + id + `"]`
	rowX := `//li[@data-event="` + id + `"]`

	run(t, ctx, "sign in and open the events tab",
		chromedp.Navigate(lc.URL()+"/fr/admin"),
		chromedp.WaitVisible(`form button.secondary`),
		chromedp.Click(`form button.secondary`),
		chromedp.WaitVisible(`#tab-events`),
		chromedp.Click(`#tab-events`),
		chromedp.WaitVisible(`//button[text()="Nouvel événement"]`),
		chromedp.Click(`//button[text()="Nouvel événement"]`),
		chromedp.WaitVisible(`#admin-panel form [data-field="title.fr"] input`))
	f := `#admin-panel form `
	run(t, ctx, "fill the event form",
		chromedp.SendKeys(f+`[data-field="id"] input`, id),
		chromedp.SetValue(f+`[data-field="kind"] select`, "workshop"),
		chromedp.SendKeys(f+`[data-field="title.fr"] input`, title),
		chromedp.SendKeys(f+`[data-field="title.ar"] input`, "ورشة الميزانيات التشاركية"),
		chromedp.SendKeys(f+`[data-field="description.fr"] textarea`, "Méthodes et outils pour les associations."),
		chromedp.SetValue(f+`[data-field="startsAt"] input`, localInput(start)),
		chromedp.SetValue(f+`[data-field="endsAt"] input`, localInput(start.Add(3*time.Hour))),
		chromedp.SendKeys(f+`[data-field="venue.address"] input`, "12 rue Tarik Ibn Ziad"),
		chromedp.SendKeys(f+`[data-field="venue.city"] input`, "Casablanca"),
		chromedp.SendKeys(f+`[data-field="capacity"] input`, "30"),
		chromedp.SetValue(f+`[data-field="registrationOpensAt"] input`, localInput(opens)),
		chromedp.SetValue(f+`[data-field="registrationClosesAt"] input`, localInput(start.Add(-24*time.Hour))),
		chromedp.Click(`//button[text()="Ajouter une question"]`),
		chromedp.WaitVisible(f+`[data-q="type"]`),
		chromedp.SetValue(f+`[data-q="type"]`, "single_choice"),
		chromedp.SendKeys(f+`[data-q="label-fr"]`, "Vous venez en tant que"),
		chromedp.SendKeys(f+`[data-q="label-ar"]`, "تحضرون بصفتكم"),
		chromedp.Click(f+`[data-q="required"]`),
		chromedp.Click(`//button[text()="Ajouter un choix"]`),
		chromedp.Click(`//button[text()="Ajouter un choix"]`),
		chromedp.SendKeys(`(//input[@data-o="label-fr"])[1]`, "Association"),
		chromedp.SendKeys(`(//input[@data-o="label-ar"])[1]`, "جمعية"),
		chromedp.SendKeys(`(//input[@data-o="label-fr"])[2]`, "Citoyen"),
		chromedp.SendKeys(`(//input[@data-o="label-ar"])[2]`, "مواطن"))
	both(t, ctx, "admin-event-form")
	run(t, ctx, "save the draft, then publish it",
		chromedp.Click(f+`button[type="submit"]`),
		chromedp.WaitVisible(row+` .badge.draft`),
		chromedp.Click(row+` button:not(.secondary):not(.danger)`),
		chromedp.WaitVisible(row+` .badge.published`))

	// The public API lists it, with the question, at the Casablanca times entered.
	r := do(t, call{method: "GET", path: "/api/events/" + id + "?lang=fr"})
	expectStatus(t, r, http.StatusOK)
	var ev struct {
		Title, StartsAt string
		Questions       []struct {
			ID, Type string
			Required bool
			Options  []struct{ ID string }
		}
	}
	r.json(t, &ev)
	if ev.Title != title || ev.StartsAt != start.UTC().Format(time.RFC3339) {
		t.Errorf("public event title %q starts %q, want %q at %s", ev.Title, ev.StartsAt, title, start.UTC().Format(time.RFC3339))
	}
	if len(ev.Questions) != 1 || ev.Questions[0].Type != "single_choice" || !ev.Questions[0].Required || len(ev.Questions[0].Options) != 2 {
		t.Fatalf("public event questions: %s", r.body)
	}
	if !publicEventListed(t, id) {
		t.Errorf("the public list lacks %s", id)
	}

	// A registrant (through the API) is checked in at the door by code, once.
	q := ev.Questions[0]
	r = do(t, call{method: "POST", path: "/api/events/" + id + "/registrations", body: map[string]any{
		"fullName": "Nadia Berrada", "email": nadia, "lang": "fr", "consent": true,
		"answers": map[string]any{q.ID: q.Options[0].ID},
	}})
	expectStatus(t, r, http.StatusCreated)
	var rc receipt
	r.json(t, &rc)
	code := strings.ToLower(rc.Code[:4]) + "-" + strings.ToLower(rc.Code[4:]) // as someone would type it
	run(t, ctx, "check in by code",
		chromedp.Click(rowX+`//button[text()="Accueil (présences)"]`),
		chromedp.WaitVisible(row+` input.big-input`),
		chromedp.SendKeys(row+` input.big-input`, code),
		chromedp.Click(row+` .checkin button[type="submit"]`),
		chromedp.WaitVisible(row+` .checkin-result.success`))
	if got := textOf(t, ctx, row+` .checkin-result`); !strings.Contains(got, "Nadia Berrada") || !strings.Contains(got, "Présents au total : 1") {
		t.Errorf("check-in says %q", got)
	}
	run(t, ctx, "check in twice",
		chromedp.SendKeys(row+` input.big-input`, code),
		chromedp.Click(row+` .checkin button[type="submit"]`),
		chromedp.WaitVisible(row+` .checkin-result.alert`))
	if got := textOf(t, ctx, row+` .checkin-result`); !strings.Contains(got, "Déjà enregistré") {
		t.Errorf("second check-in says %q", got)
	}
	both(t, ctx, "admin-checkin")
	if got := adminEvent(t, id)["attended"]; got != float64(1) {
		t.Errorf("attended = %v, want 1", got)
	}

	// Registrations by status, and the CSV export behind its short-lived link.
	run(t, ctx, "list the registrations",
		chromedp.Click(rowX+`//button[text()="Inscriptions"]`),
		chromedp.WaitVisible(rowX+`//li[contains(@class,"admin-row")]//span[text()="Nadia Berrada"]`),
		chromedp.Click(rowX+`//button[text()="Exporter (CSV)"]`),
		chromedp.WaitVisible(row+` a[target="_blank"]`))
	link := attrOf(t, ctx, row+` a[target="_blank"]`, "href")
	if csv := string(getURL(t, link)); !strings.Contains(csv, "Nadia Berrada") {
		t.Errorf("the export lacks the registrant: %q", csv)
	}

	// Cancelling (after the confirmation) says how many registrants are
	// being told: the one registrant, who then gets the email.
	run(t, ctx, "cancel the event",
		chromedp.Click(row+` button.danger`),
		chromedp.WaitVisible(row+` .badge.cancelled`))
	if got := textOf(t, ctx, `#admin-panel .status-line`); got != "Événement annulé. Inscrits prévenus par courriel, en arrière-plan : 1." {
		t.Errorf("after the cancellation: %q, want 1 registrant to tell", got)
	}
	waitFor(t, "the cancellation email", 30*time.Second, func() bool { return len(mailOf(nadia, "Événement annulé")) == 1 })
	if got := adminEvent(t, id)["status"]; got != "cancelled" {
		t.Errorf("status = %v, want cancelled", got)
	}

	if problems := consoleProblems(); len(problems) > 0 {
		t.Errorf("console errors (CSP violations, failed loads, exceptions):\n%s", strings.Join(problems, "\n"))
	}
}

func TestPortalEvaluatorScores(t *testing.T) {
	now := time.Now()
	admin := tokenFor(t, lc, "admin", "")
	callID := createOpenCall(t, lc, callBody(fmt.Sprintf("portal-eval-%d", now.UnixNano()%1e9), now.Add(-time.Hour), now.Add(30*24*time.Hour)))
	cand := applySubmitOn(t, lc, callID, "جمعية الأمل للحكامة", fmt.Sprintf("amal-%d@example.org", now.UnixNano()), "ar", nil)
	setCallStatus(t, lc, admin, callID, "closed")
	r := do(t, call{method: "POST", path: "/api/admin/candidacies/" + cand.id + "/assignments", body: map[string]any{"evaluators": []string{"local-evaluator"}}, token: admin})
	expectStatus(t, r, http.StatusOK)
	setCallStatus(t, lc, admin, callID, "evaluating")

	ctx, consoleProblems := portalBrowser(t)
	row := `li[data-candidacy="` + cand.id + `"]`
	run(t, ctx, "sign in as the local evaluator",
		chromedp.Navigate(lc.URL()+"/ar/evaluation"),
		chromedp.WaitVisible(`form button.secondary`),
		chromedp.Click(`form button.secondary`),
		chromedp.WaitVisible(row))
	if got := textOf(t, ctx, "#whoami"); !strings.Contains(got, "local-evaluator") {
		t.Errorf("signed-in line = %q", got)
	}

	both(t, ctx, "evaluator-list")
	run(t, ctx, "open the dossier",
		chromedp.Click(row+` button`),
		chromedp.WaitVisible(`#score-form [data-criterion="experience"] input`),
		chromedp.WaitVisible(`ul.documents a[target="_blank"]`))
	if got := textOf(t, ctx, "main h2"); got != "جمعية الأمل للحكامة" {
		t.Errorf("dossier heading = %q", got)
	}
	// A score above the maximum is refused next to its field, nothing sent.
	run(t, ctx, "score out of range",
		chromedp.SendKeys(`#score-form [data-criterion="experience"] input`, "25"),
		chromedp.SendKeys(`#score-form [data-criterion="plan"] input`, "15"),
		chromedp.SendKeys(`#score-form [data-criterion="plan"] textarea`, "خطة عمل واضحة وقابلة للقياس."),
		chromedp.Click(`#score-form button[type="submit"]`),
		chromedp.WaitVisible(`#score-form [data-criterion="experience"] input[aria-invalid="true"]`))
	run(t, ctx, "score within range",
		chromedp.SetValue(`#score-form [data-criterion="experience"] input`, "16"),
		chromedp.Click(`#score-form button[type="submit"]`),
		chromedp.WaitVisible(`//form[@id="score-form"]//p[@role="status" and text()="تم حفظ النقط."]`))
	// The total against its maximum (the grid's weights: 40 + 60).
	if got := textOf(t, ctx, "#score-form .total-line"); !strings.Contains(got, "77") || !strings.Contains(got, "من") || !strings.Contains(got, "100") {
		t.Errorf("evaluator's total line = %q, want 77 of 100", got)
	}
	both(t, ctx, "evaluator-scored")

	r = do(t, call{method: "GET", path: "/api/admin/candidacies/" + cand.id, token: admin})
	expectStatus(t, r, http.StatusOK)
	var v struct {
		Evaluations []struct {
			Evaluator, Status string
			Scores            []struct {
				Criterion, Comment string
				Score              int
			}
		}
		Total *float64
	}
	r.json(t, &v)
	if len(v.Evaluations) != 1 || v.Evaluations[0].Evaluator != "local-evaluator" || v.Evaluations[0].Status != "scored" || len(v.Evaluations[0].Scores) != 2 {
		t.Fatalf("evaluations after the UI: %s", r.body)
	}
	// experience 16/20 weight 40, plan 15/20 weight 60: 32 + 45.
	if v.Total == nil || *v.Total != 77 {
		t.Errorf("weighted total = %v, want 77", v.Total)
	}

	// The administration sees the ranking and decides.
	callRow := `//li[@data-call="` + callID + `"]`
	run(t, ctx, "open the ranking in the admin",
		chromedp.Navigate(lc.URL()+"/fr/admin"),
		chromedp.WaitVisible(`form button.secondary`),
		chromedp.Click(`form button.secondary`),
		chromedp.WaitVisible(`#tab-calls`),
		chromedp.Click(`#tab-calls`),
		chromedp.WaitVisible(callRow),
		chromedp.Click(callRow+`//button[text()="Classement"]`),
		chromedp.WaitVisible(`.table-wrap table tbody tr`))
	if got := textOf(t, ctx, ".table-wrap table tbody"); !strings.Contains(got, cand.reference) || !strings.Contains(got, "77") {
		t.Errorf("ranking = %q, want %s with 77", got, cand.reference)
	}
	both(t, ctx, "admin-ranking")
	candRow := `//li[@data-candidacy="` + cand.id + `"]`
	run(t, ctx, "decide in the admin",
		chromedp.Click(`//button[text()="Retour aux appels"]`),
		chromedp.WaitVisible(callRow),
		chromedp.Click(callRow+`//button[text()="Candidatures"]`),
		chromedp.WaitVisible(candRow),
		chromedp.Click(candRow+`//button`),
		chromedp.WaitVisible(`[data-evaluator="local-evaluator"] .badge.scored`))
	// Evaluators by name and email; totals against their maximum.
	if got := textOf(t, ctx, `[data-evaluator="local-evaluator"] .title`); !strings.Contains(got, "Évaluatrice locale") || !strings.Contains(got, "local-evaluator@espace-osc.local") {
		t.Errorf("evaluation row names %q, want the evaluator's name and email", got)
	}
	if got := textOf(t, ctx, ".total-line"); !strings.Contains(got, "77 sur 100") {
		t.Errorf("candidacy total line = %q, want 77 sur 100", got)
	}
	if got := textOf(t, ctx, "#admin-panel"); strings.Contains(got, "null") || strings.Contains(got, "undefined") {
		t.Errorf("the candidacy shows code instead of text: %q", got)
	}
	run(t, ctx, "decide in the admin (2)",
		chromedp.SetValue(`[data-field="outcome"] select`, "reserve"),
		chromedp.Click(`//button[text()="Enregistrer la décision"]`),
		chromedp.WaitVisible(`.badge.reserve`))
	both(t, ctx, "admin-candidacy")
	r = do(t, call{method: "GET", path: "/api/admin/candidacies/" + cand.id, token: admin})
	var decided struct{ Outcome string }
	r.json(t, &decided)
	if decided.Outcome != "reserve" {
		t.Errorf("outcome after the UI = %q, want reserve", decided.Outcome)
	}

	// Every candidacy is decided: the results are published after the confirmation.
	acceptDialogs(ctx)
	run(t, ctx, "publish the results",
		chromedp.Click(`//button[text()="Retour aux appels"]`),
		chromedp.WaitVisible(callRow),
		chromedp.Click(callRow+`//button[text()="Publier les résultats"]`),
		chromedp.WaitVisible(callRow+`//span[contains(@class,"results_published")]`))
	if got := textOf(t, ctx, `#admin-panel .status-line`); !strings.Contains(got, "Courriels envoyés : 1") {
		t.Errorf("after the publication: %q", got)
	}
	if msgs := mailTo(cand.email); len(msgs) == 0 || !strings.Contains(msgs[len(msgs)-1].Subject, cand.reference) {
		t.Errorf("no outcome email with the reference to the candidate")
	}

	if problems := consoleProblems(); len(problems) > 0 {
		t.Errorf("console errors (CSP violations, failed loads, exceptions):\n%s", strings.Join(problems, "\n"))
	}
}

func TestPortalAdminCreatesCall(t *testing.T) {
	ctx, consoleProblems := portalBrowser(t)
	asked := answerDialogs(ctx)
	id := fmt.Sprintf("portal-gt-%d", time.Now().UnixNano()%1e9)
	opens := time.Now().Add(24 * time.Hour).In(casablanca).Truncate(time.Hour)
	run(t, ctx, "open the call form",
		chromedp.Navigate(lc.URL()+"/fr/admin"),
		chromedp.WaitVisible(`form button.secondary`),
		chromedp.Click(`form button.secondary`),
		chromedp.WaitVisible(`#tab-calls`),
		chromedp.Click(`#tab-calls`),
		chromedp.WaitVisible(`//button[text()="Nouvel appel"]`),
		chromedp.Click(`//button[text()="Nouvel appel"]`),
		chromedp.WaitVisible(`#admin-panel form [data-field="kind"] select`),
		chromedp.SetValue(`#admin-panel form [data-field="kind"] select`, "gt"))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('#admin-panel form [data-field="kind"] select').dispatchEvent(new Event('change'))`)); err != nil {
		t.Fatal(err)
	}
	f := `#admin-panel form `
	// in is the input labelled label in the n-th row of a repeater.
	in := func(repeater string, n int, label string) string {
		return fmt.Sprintf(`(//div[@data-field="%s"]//fieldset)[%d]//label[text()="%s"]/following-sibling::*[1]`, repeater, n, label)
	}
	run(t, ctx, "fill the call form",
		chromedp.SendKeys(f+`[data-field="id"] input`, id),
		chromedp.SendKeys(f+`[data-field="title.fr"] input`, "Groupes thématiques "+id),
		chromedp.SendKeys(f+`[data-field="title.ar"] input`, "المجموعات الموضوعاتية"),
		chromedp.SendKeys(f+`[data-field="description.fr"] textarea`, "Les groupes accompagnent la mise en œuvre du plan d'action."),
		chromedp.SendKeys(f+`[data-field="description.ar"] textarea`, "تواكب المجموعات تنفيذ خطة العمل."),
		chromedp.Click(`//button[text()="Ajouter un groupe de travail"]`),
		chromedp.SendKeys(in("workingGroups", 1, "Nom en français"), "Transparence budgétaire"),
		chromedp.SendKeys(in("workingGroups", 1, "Nom en arabe"), "شفافية الميزانية"),
		chromedp.SetValue(f+`[data-field="opensAt"] input`, localInput(opens)),
		chromedp.SetValue(f+`[data-field="closesAt"] input`, localInput(opens.Add(30*24*time.Hour))),
		chromedp.SendKeys(f+`[data-field="seats"] input`, "12"),
		chromedp.Click(`//button[text()="Ajouter une pièce"]`),
		chromedp.SendKeys(in("documents", 1, "Libellé en français"), "Statuts"),
		chromedp.SendKeys(in("documents", 1, "Libellé en arabe"), "النظام الأساسي"),
		chromedp.Click(`//button[text()="Ajouter un critère"]`),
		chromedp.Click(`//button[text()="Ajouter un critère"]`),
		chromedp.SendKeys(in("criteria", 1, "Libellé en français"), "Expérience"),
		chromedp.SendKeys(in("criteria", 1, "Libellé en arabe"), "الخبرة"),
		chromedp.SendKeys(in("criteria", 1, "Poids"), "60"),
		chromedp.SendKeys(in("criteria", 2, "Libellé en français"), "Complémentarité"),
		chromedp.SendKeys(in("criteria", 2, "Libellé en arabe"), "التكامل"),
		chromedp.SendKeys(in("criteria", 2, "Poids"), "40"))
	both(t, ctx, "admin-call-form")
	row := `li[data-call="` + id + `"]`
	// Opening asks first: refused, nothing changes.
	asked.accept.Store(false)
	run(t, ctx, "save, then decline to open the call",
		chromedp.Click(f+`button[type="submit"]`),
		chromedp.WaitVisible(row+` .badge.draft`),
		chromedp.Click(`//li[@data-call="`+id+`"]//button[text()="Ouvrir l’appel"]`))
	time.Sleep(500 * time.Millisecond)
	if got := asked.last(); !strings.Contains(got, "Groupes thématiques "+id) {
		t.Errorf("confirmation = %q, want it to name the call", got)
	}
	if got := adminCallStatus(t, id); got != "draft" {
		t.Fatalf("status after declining = %q, want draft", got)
	}
	asked.accept.Store(true)
	run(t, ctx, "open the call",
		chromedp.Click(`//li[@data-call="`+id+`"]//button[text()="Ouvrir l’appel"]`),
		chromedp.WaitVisible(row+` .badge.open`))

	r := do(t, call{method: "GET", path: "/api/admin/calls/" + id, token: token(t, "admin")})
	expectStatus(t, r, http.StatusOK)
	var c struct {
		Kind, OpensAt string
		Seats         int
		WorkingGroups []struct{ ID string }
		Documents     []struct {
			Type     string
			Required bool
			MaxBytes int64
		}
		Criteria []struct {
			ID               string
			Weight, MaxScore int
		}
	}
	r.json(t, &c)
	if c.Kind != "gt" || c.Seats != 12 || c.OpensAt != opens.UTC().Format(time.RFC3339) || len(c.WorkingGroups) != 1 || c.WorkingGroups[0].ID != "transparence-budgetaire" {
		t.Errorf("call as stored: %s", r.body)
	}
	if len(c.Documents) != 1 || c.Documents[0].Type != "statuts" || !c.Documents[0].Required || c.Documents[0].MaxBytes != 10<<20 {
		t.Errorf("documents as stored: %+v", c.Documents)
	}
	if len(c.Criteria) != 2 || c.Criteria[0].ID != "experience" || c.Criteria[0].Weight != 60 || c.Criteria[1].MaxScore != 20 {
		t.Errorf("criteria as stored: %+v", c.Criteria)
	}
	if problems := consoleProblems(); len(problems) > 0 {
		t.Errorf("console errors (CSP violations, failed loads, exceptions):\n%s", strings.Join(problems, "\n"))
	}
}

// TestPortalAdminAssignsByName: a submitted candidacy while its call is
// open shows no stray text and no assignment form; closing the call asks
// first (declined: nothing changes); evaluators are then picked by name
// and email from the evaluators group, and starting the evaluation asks
// first too.
func TestPortalAdminAssignsByName(t *testing.T) {
	now := time.Now()
	callID := createOpenCall(t, lc, callBody(fmt.Sprintf("portal-assign-%d", now.UnixNano()%1e9), now.Add(-time.Hour), now.Add(30*24*time.Hour)))
	cand := applySubmitOn(t, lc, callID, "Association Amal pour la gouvernance", fmt.Sprintf("amal-assign-%d@example.org", now.UnixNano()), "fr", nil)
	ctx, consoleProblems := portalBrowser(t)
	asked := answerDialogs(ctx)
	callRow := `//li[@data-call="` + callID + `"]`
	candRow := `//li[@data-candidacy="` + cand.id + `"]`
	run(t, ctx, "open the candidacy while the call is open",
		chromedp.Navigate(lc.URL()+"/fr/admin"),
		chromedp.WaitVisible(`form button.secondary`),
		chromedp.Click(`form button.secondary`),
		chromedp.WaitVisible(`#tab-calls`),
		chromedp.Click(`#tab-calls`),
		chromedp.WaitVisible(callRow),
		chromedp.Click(callRow+`//button[text()="Candidatures"]`),
		chromedp.WaitVisible(candRow),
		chromedp.Click(candRow+`//button`),
		chromedp.WaitVisible(`.total-line`))
	if got := textOf(t, ctx, "#admin-panel"); strings.Contains(got, "null") || strings.Contains(got, "undefined") {
		t.Errorf("the candidacy of an open call shows code instead of text: %q", got)
	}
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#assign-form').length`)); err != nil || n != 0 {
		t.Errorf("an assignment form while the call is open (%d, %v)", n, err)
	}

	asked.accept.Store(false)
	run(t, ctx, "decline to close the call",
		chromedp.Click(`//button[text()="Retour aux appels"]`),
		chromedp.WaitVisible(callRow),
		chromedp.Click(callRow+`//button[@data-step="closed"]`))
	time.Sleep(500 * time.Millisecond)
	if got := asked.last(); !strings.Contains(got, "Clore l’appel") || !strings.Contains(got, "définitive") {
		t.Errorf("confirmation = %q", got)
	}
	if got := adminCallStatus(t, callID); got != "open" {
		t.Fatalf("status after declining = %q, want open", got)
	}
	asked.accept.Store(true)
	run(t, ctx, "close the call",
		chromedp.Click(callRow+`//button[@data-step="closed"]`),
		chromedp.WaitVisible(callRow+`//span[contains(@class,"badge") and contains(@class,"closed")]`))

	// The group's members by name and email; one is ticked and assigned.
	karim := `#assign-form input[value="local-evaluator-2"]`
	run(t, ctx, "assign by name",
		chromedp.Click(callRow+`//button[text()="Candidatures"]`),
		chromedp.WaitVisible(candRow),
		chromedp.Click(candRow+`//button`),
		chromedp.WaitVisible(karim))
	if got := textOf(t, ctx, `#assign-form`); !strings.Contains(got, "Karim Alaoui (karim.alaoui@espace-osc.local)") || !strings.Contains(got, "Évaluatrice locale") {
		t.Errorf("assignment form = %q, want the evaluators by name and email", got)
	}
	if strings.Contains(textOf(t, ctx, `#assign-form`), "Administration locale") {
		t.Error("an administrator is offered as an evaluator")
	}
	run(t, ctx, "show the form", chromedp.ScrollIntoView(`#assign-form`))
	both(t, ctx, "admin-assign")
	run(t, ctx, "tick Karim Alaoui and assign",
		chromedp.Click(karim),
		chromedp.Click(`#assign-form button[type="submit"]`),
		chromedp.WaitVisible(`[data-evaluator="local-evaluator-2"]`))
	if got := textOf(t, ctx, `[data-evaluator="local-evaluator-2"] .title`); !strings.Contains(got, "Karim Alaoui") {
		t.Errorf("evaluation row = %q, want the evaluator's name", got)
	}
	if on, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const i = document.querySelector('#assign-form input[value="local-evaluator-2"]'); return i.checked && i.disabled; })()`)); err != nil || !on {
		t.Errorf("the assigned evaluator is not shown ticked and fixed (%v)", err)
	}
	r := do(t, call{method: "GET", path: "/api/admin/candidacies/" + cand.id, token: token(t, "admin")})
	expectStatus(t, r, http.StatusOK)
	var v struct{ Evaluations []struct{ Evaluator string } }
	r.json(t, &v)
	if len(v.Evaluations) != 1 || v.Evaluations[0].Evaluator != "local-evaluator-2" {
		t.Errorf("evaluations after the UI: %s", r.body)
	}

	run(t, ctx, "start the evaluation",
		chromedp.Click(`//button[text()="Retour aux appels"]`),
		chromedp.WaitVisible(callRow),
		chromedp.Click(callRow+`//button[@data-step="evaluating"]`),
		chromedp.WaitVisible(callRow+`//span[contains(@class,"badge") and contains(@class,"evaluating")]`))
	if got := asked.last(); !strings.Contains(got, "Lancer l’évaluation") {
		t.Errorf("confirmation = %q", got)
	}
	if problems := consoleProblems(); len(problems) > 0 {
		t.Errorf("console errors (CSP violations, failed loads, exceptions):\n%s", strings.Join(problems, "\n"))
	}
}
