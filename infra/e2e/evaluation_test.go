package e2e

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"espaceosc/infra/local/cloud"
)

// The evaluation story continues acceptance 1 from submitted candidacies:
// assignments to two evaluators, scores, a recusal, the ranking, decisions,
// the CSV export and the dossier ZIP, the publication with every
// candidate's outcome email in their language, and the public results.

// submitted is a submitted candidacy of the story.
type submitted struct {
	candidacy
	email, lang, reference string
	pdfs                   map[string][]byte
}

// applySubmitOn applies to callID on c as an association writing from
// email in lang (for the working groups given), completes the dossier with
// real PDFs and submits it.
func applySubmitOn(t *testing.T, c *cloud.Cloud, callID, name, email, lang string, groups []string) submitted {
	t.Helper()
	body := application(email, lang)
	body["association"].(map[string]any)["name"] = name
	if len(groups) > 0 {
		body["workingGroups"] = groups
	}
	cand := applyOn(t, c, callID, body)
	pdfs := completeDossier(t, c, cand)
	r := doOn(t, c, call{method: "POST", path: "/api/candidacies/" + cand.id + "/submit", token: cand.token})
	expectStatus(t, r, http.StatusOK)
	var v struct{ Reference string }
	r.json(t, &v)
	return submitted{candidacy: cand, email: email, lang: lang, reference: v.Reference, pdfs: pdfs}
}

// gtCallBody is callBody for a GT call recruiting two working groups.
func gtCallBody(id string, opens, closes time.Time) map[string]any {
	b := callBody(id, opens, closes)
	b["kind"] = "gt"
	b["workingGroups"] = []map[string]any{
		{"id": "transparence", "name": map[string]string{"fr": "Transparence budgétaire", "ar": "شفافية الميزانية"}},
		{"id": "souss-massa", "name": map[string]string{"fr": "Groupe territorial Souss-Massa", "ar": "المجموعة الترابية سوس ماسة"}},
	}
	return b
}

// setCallStatus moves a call one step (admin API).
func setCallStatus(t *testing.T, c *cloud.Cloud, admin, callID string, statuses ...string) {
	t.Helper()
	for _, s := range statuses {
		r := doOn(t, c, call{method: "POST", path: "/api/admin/calls/" + callID + "/status", body: map[string]string{"status": s}, token: admin})
		expectStatus(t, r, http.StatusOK)
	}
}

func getURL(t *testing.T, link string) []byte {
	t.Helper()
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", link, resp.StatusCode, b)
	}
	return b
}

// expires returns a presigned URL's X-Amz-Expires in seconds.
func expires(t *testing.T, link string) int {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(u.Query().Get("X-Amz-Expires"))
	if err != nil {
		t.Fatalf("%s: no X-Amz-Expires", link)
	}
	return n
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

var receiptSHA = regexp.MustCompile(`([0-9a-f]{64})`)

func TestEvaluationStoryToPublishedResults(t *testing.T) {
	now := time.Now()
	admin := tokenFor(t, lc, "admin", "")
	eval1, eval2, eval3 := tokenFor(t, lc, "evaluator", "eval-1"), tokenFor(t, lc, "evaluator", "eval-2"), tokenFor(t, lc, "evaluator", "eval-3")
	callID := createOpenCall(t, lc, gtCallBody("gt-e2e-evaluation", now.Add(-time.Hour), now.Add(30*24*time.Hour)))
	stamp := now.UnixNano()
	a := applySubmitOn(t, lc, callID, "Association Tafra pour la transparence", fmt.Sprintf("tafra-%d@example.org", stamp), "fr", []string{"transparence"})
	b := applySubmitOn(t, lc, callID, "جمعية النخيل للتنمية", fmt.Sprintf("nakhil-%d@example.org", stamp), "ar", []string{"transparence", "souss-massa"})
	c := applySubmitOn(t, lc, callID, "=Association Atlas", fmt.Sprintf("atlas-%d@example.org", stamp), "ar", []string{"souss-massa"})

	// Nobody public reaches the candidacies (the gateway's JWT authorizer).
	for _, path := range []string{"/api/admin/calls/" + callID + "/candidacies", "/api/evaluator/candidacies", "/api/admin/candidacies/" + a.id} {
		expectStatus(t, do(t, call{method: "GET", path: path}), http.StatusUnauthorized)
	}
	// An evaluator is not an administrator.
	expectProblem(t, do(t, call{method: "GET", path: "/api/admin/calls/" + callID + "/candidacies", token: eval1}), http.StatusForbidden, "")

	// Assignments wait for the call to close.
	r := do(t, call{method: "POST", path: "/api/admin/candidacies/" + a.id + "/assignments", body: map[string]any{"evaluators": []string{"eval-1"}}, token: admin})
	expectProblem(t, r, http.StatusConflict, "")
	setCallStatus(t, lc, admin, callID, "closed")
	expectProblem(t, do(t, call{method: "POST", path: "/api/admin/candidacies/" + a.id + "/assignments", body: map[string]any{"evaluators": []string{"eval 1"}}, token: admin}), http.StatusBadRequest, "evaluators[0]")
	for _, as := range []struct {
		cand submitted
		subs []string
	}{{a, []string{"eval-1", "eval-2"}}, {b, []string{"eval-1", "eval-2"}}, {c, []string{"eval-2"}}} {
		r := do(t, call{method: "POST", path: "/api/admin/candidacies/" + as.cand.id + "/assignments", body: map[string]any{"evaluators": as.subs}, token: admin})
		expectStatus(t, r, http.StatusOK)
	}

	// Each evaluator lists only their assignments.
	var list struct {
		Items []struct{ CandidacyID, Reference, Status string }
	}
	r = do(t, call{method: "GET", path: "/api/evaluator/candidacies", token: eval1})
	expectStatus(t, r, http.StatusOK)
	r.json(t, &list)
	got := map[string]bool{}
	for _, it := range list.Items {
		got[it.CandidacyID] = true
	}
	if !got[a.id] || !got[b.id] || got[c.id] {
		t.Fatalf("eval-1 lists %v", list.Items)
	}
	r = do(t, call{method: "GET", path: "/api/evaluator/candidacies", token: eval3})
	expectStatus(t, r, http.StatusOK)
	r.json(t, &list)
	for _, it := range list.Items {
		if it.CandidacyID == a.id || it.CandidacyID == b.id || it.CandidacyID == c.id {
			t.Fatalf("eval-3 lists %v", it)
		}
	}

	// Access: an unassigned evaluator is refused the candidacy and so its document links.
	r = do(t, call{method: "GET", path: "/api/evaluator/candidacies/" + a.id, token: eval3})
	expectProblem(t, r, http.StatusForbidden, "")
	if bytes.Contains(r.body, []byte("X-Amz")) || bytes.Contains(r.body, []byte("candidacies/")) {
		t.Errorf("403 leaks a link: %s", r.body)
	}
	expectProblem(t, do(t, call{method: "GET", path: "/api/evaluator/candidacies/" + c.id, token: eval1}), http.StatusForbidden, "")

	// An assigned evaluator opens the documents through links valid at most 5 minutes, served by S3.
	var view struct {
		Reference   string
		Association map[string]any
		Documents   []struct{ Type, URL, SHA256 string }
		CanScore    bool
	}
	r = do(t, call{method: "GET", path: "/api/evaluator/candidacies/" + a.id + "?lang=ar", token: eval1})
	expectStatus(t, r, http.StatusOK)
	r.json(t, &view)
	if view.Reference != a.reference || len(view.Documents) != len(a.pdfs) || view.CanScore {
		t.Fatalf("evaluator view: %s", r.body)
	}
	if _, leaked := view.Association["email"]; leaked || bytes.Contains(r.body, []byte(a.email)) || bytes.Contains(r.body, []byte("salma.idrissi")) {
		t.Errorf("the evaluator sees contact details: %s", r.body)
	}
	for _, d := range view.Documents {
		if n := expires(t, d.URL); n <= 0 || n > 300 {
			t.Errorf("%s: link valid %d s", d.Type, n)
		}
		if body := getURL(t, d.URL); sum(body) != sum(a.pdfs[d.Type]) || d.SHA256 != sum(body) {
			t.Errorf("%s: downloaded document differs from the upload", d.Type)
		}
	}

	// Scoring waits for the evaluation phase.
	score := func(tok, id string, exp, plan int) reply {
		return do(t, call{method: "PUT", path: "/api/evaluator/candidacies/" + id + "/score", token: tok, body: map[string]any{"scores": []map[string]any{
			{"criterion": "experience", "score": exp, "comment": "Expérience solide du suivi budgétaire."},
			{"criterion": "plan", "score": plan, "comment": "خطة عمل واضحة."},
		}}})
	}
	expectProblem(t, score(eval1, a.id, 20, 20), http.StatusConflict, "")
	setCallStatus(t, lc, admin, callID, "evaluating")
	expectProblem(t, score(eval1, a.id, 21, 20), http.StatusBadRequest, "scores[0].score")
	expectProblem(t, score(eval1, c.id, 20, 20), http.StatusForbidden, "")
	for _, s := range []struct {
		tok, id   string
		exp, plan int
	}{{eval1, a.id, 20, 20}, {eval2, a.id, 10, 10}, {eval1, b.id, 10, 20}, {eval2, b.id, 20, 20}, {eval2, c.id, 5, 5}} {
		expectStatus(t, score(s.tok, s.id, s.exp, s.plan), http.StatusOK)
	}
	// eval-2 declares a conflict of interest on b: their 100 no longer counts.
	expectProblem(t, do(t, call{method: "POST", path: "/api/evaluator/candidacies/" + b.id + "/recuse", body: map[string]string{}, token: eval2}), http.StatusBadRequest, "reason")
	r = do(t, call{method: "POST", path: "/api/evaluator/candidacies/" + b.id + "/recuse", body: map[string]string{"reason": "Je siège au conseil de cette association."}, token: eval2})
	expectStatus(t, r, http.StatusOK)
	expectProblem(t, score(eval2, b.id, 20, 20), http.StatusConflict, "")

	// The admin sees each evaluator's scores and the weighted total.
	var adminView struct {
		Total       *float64
		Scored      int
		Recused     int
		Evaluations []struct {
			Evaluator, Status string
			Total             *float64
		}
	}
	r = do(t, call{method: "GET", path: "/api/admin/candidacies/" + a.id, token: admin})
	expectStatus(t, r, http.StatusOK)
	r.json(t, &adminView)
	if adminView.Total == nil || *adminView.Total != 75 || adminView.Scored != 2 || len(adminView.Evaluations) != 2 {
		t.Fatalf("admin view of a: %s", r.body)
	}
	// Ranking: b 80 (eval-1 only), a 75 ((100+50)/2), c 25.
	var ranking struct {
		Items []struct {
			Rank                   int
			CandidacyID, Reference string
			Total                  *float64
		}
	}
	r = do(t, call{method: "GET", path: "/api/admin/calls/" + callID + "/ranking", token: admin})
	expectStatus(t, r, http.StatusOK)
	r.json(t, &ranking)
	var order []string
	for _, it := range ranking.Items {
		order = append(order, it.CandidacyID)
	}
	if strings.Join(order, ",") != strings.Join([]string{b.id, a.id, c.id}, ",") || *ranking.Items[0].Total != 80 || *ranking.Items[2].Total != 25 {
		t.Fatalf("ranking: %s", r.body)
	}
	// Admin list by status with paging.
	var page struct {
		Items      []struct{ ID string }
		NextCursor string
	}
	r = do(t, call{method: "GET", path: "/api/admin/calls/" + callID + "/candidacies?status=submitted&limit=2", token: admin})
	expectStatus(t, r, http.StatusOK)
	r.json(t, &page)
	if len(page.Items) != 2 || page.NextCursor == "" {
		t.Fatalf("page 1: %s", r.body)
	}
	r = do(t, call{method: "GET", path: "/api/admin/calls/" + callID + "/candidacies?status=submitted&limit=2&cursor=" + url.QueryEscape(page.NextCursor), token: admin})
	expectStatus(t, r, http.StatusOK)
	r.json(t, &page)
	if len(page.Items) != 1 {
		t.Fatalf("page 2: %s", r.body)
	}

	// Decisions; the public sees nothing before publication.
	expectProblem(t, do(t, call{method: "POST", path: "/api/admin/candidacies/" + b.id + "/decision", body: map[string]string{"outcome": "elected"}, token: admin}), http.StatusBadRequest, "outcome")
	expectProblem(t, do(t, call{method: "GET", path: "/api/calls/" + callID + "/results"}), http.StatusNotFound, "")
	for id, outcome := range map[string]string{b.id: "selected", a.id: "reserve"} {
		expectStatus(t, do(t, call{method: "POST", path: "/api/admin/candidacies/" + id + "/decision", body: map[string]string{"outcome": outcome}, token: admin}), http.StatusOK)
	}
	r = do(t, call{method: "POST", path: "/api/admin/calls/" + callID + "/results", token: admin})
	expectProblem(t, r, http.StatusConflict, "candidacies."+c.reference)
	expectStatus(t, do(t, call{method: "POST", path: "/api/admin/candidacies/" + c.id + "/decision", body: map[string]string{"outcome": "not_selected"}, token: admin}), http.StatusOK)

	// CSV export: downloaded through a link of at most 15 minutes, BOM, Arabic intact, formulas neutralised.
	var export struct {
		URL  string
		Rows int
	}
	r = do(t, call{method: "POST", path: "/api/admin/calls/" + callID + "/exports", token: admin})
	expectStatus(t, r, http.StatusCreated)
	r.json(t, &export)
	if n := expires(t, export.URL); n > 900 || export.Rows != 3 {
		t.Fatalf("export: %s", r.body)
	}
	raw := getURL(t, export.URL)
	if !bytes.HasPrefix(raw, []byte("\xef\xbb\xbf")) {
		t.Fatal("CSV without BOM")
	}
	rows, err := csv.NewReader(bytes.NewReader(raw[3:])).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("CSV: %d rows, %v", len(rows), err)
	}
	byRef := map[string][]string{}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, row := range rows[1:] {
		byRef[row[0]] = row
	}
	if row := byRef[b.reference]; row[col["association"]] != "جمعية النخيل للتنمية" || row[col["outcome"]] != "selected" || row[col["weighted_total"]] != "80.00" {
		t.Errorf("CSV row of b: %q", row)
	}
	if row := byRef[c.reference]; row[col["association"]] != "'=Association Atlas" {
		t.Errorf("CSV formula not neutralised: %q", row[col["association"]])
	}

	// The dossier ZIP: entries <type>.pdf whose SHA-256 match the receipt.
	var receipt *cloud.Message
	for _, m := range mailTo(a.email) {
		if strings.Contains(m.Subject, a.reference) {
			receipt = &m
		}
	}
	if receipt == nil {
		t.Fatalf("no receipt for %s", a.reference)
	}
	receiptSums := map[string]bool{}
	for _, s := range receiptSHA.FindAllString(receipt.Text, -1) {
		receiptSums[s] = true
	}
	var dossier struct {
		URL  string
		Rows int
	}
	r = do(t, call{method: "POST", path: "/api/admin/candidacies/" + a.id + "/dossier", token: admin})
	expectStatus(t, r, http.StatusCreated)
	r.json(t, &dossier)
	if n := expires(t, dossier.URL); n > 900 {
		t.Errorf("dossier link valid %d s", n)
	}
	zipped := getURL(t, dossier.URL)
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != len(a.pdfs) || dossier.Rows != len(a.pdfs) {
		t.Fatalf("zip has %d entries, want %d", len(zr.File), len(a.pdfs))
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		typ := strings.TrimSuffix(f.Name, ".pdf")
		if !receiptSums[sum(body)] || sum(body) != sum(a.pdfs[typ]) {
			t.Errorf("zip entry %s: SHA-256 %s not in the receipt", f.Name, sum(body))
		}
	}

	// Publication: every candidate's outcome, in their language, once.
	var pub struct{ Notified, Already, Selected, Memberships int }
	r = do(t, call{method: "POST", path: "/api/admin/calls/" + callID + "/results", token: admin})
	expectStatus(t, r, http.StatusOK)
	r.json(t, &pub)
	if pub.Notified != 3 || pub.Selected != 1 || pub.Memberships != 2 {
		t.Fatalf("publish: %s", r.body)
	}
	r = do(t, call{method: "POST", path: "/api/admin/calls/" + callID + "/results", token: admin})
	expectStatus(t, r, http.StatusOK)
	r.json(t, &pub)
	if pub.Notified != 0 || pub.Already != 3 {
		t.Fatalf("publish again: %s", r.body)
	}
	for _, w := range []struct {
		who  submitted
		want string
	}{{a, "liste d'attente"}, {b, "اختارت"}, {c, "لم تختر"}} {
		var outcome []cloud.Message
		for _, m := range mailTo(w.who.email) {
			if strings.Contains(m.Text, w.who.reference) && (strings.HasPrefix(m.Subject, "Résultat") || strings.HasPrefix(m.Subject, "نتيجة")) {
				outcome = append(outcome, m)
			}
		}
		if len(outcome) != 1 || !strings.Contains(outcome[0].Text, w.want) {
			t.Errorf("%s (%s): %d outcome emails, want one saying %q", w.who.reference, w.who.lang, len(outcome), w.want)
		}
	}
	// No decision changes after publication.
	expectProblem(t, do(t, call{method: "POST", path: "/api/admin/candidacies/" + c.id + "/decision", body: map[string]string{"outcome": "selected"}, token: admin}), http.StatusConflict, "")

	// The public results: only the selected association, nothing personal.
	r = do(t, call{method: "GET", path: "/api/calls/" + callID + "/results?lang=ar"})
	expectStatus(t, r, http.StatusOK)
	var results struct {
		Selected []struct {
			Name, City, Region string
			WorkingGroups      []string
		}
	}
	r.json(t, &results)
	if len(results.Selected) != 1 || results.Selected[0].Name != "جمعية النخيل للتنمية" || results.Selected[0].City != "Agadir" || len(results.Selected[0].WorkingGroups) != 2 {
		t.Fatalf("public results: %s", r.body)
	}
	for _, private := range []string{b.email, "salma", "+212", "RC-2011", a.id, b.id} {
		if bytes.Contains(r.body, []byte(private)) {
			t.Errorf("public results show %q: %s", private, r.body)
		}
	}
}
