package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"espaceosc/infra/local/cloud"
	"espaceosc/shared/i18n"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/chromedp/chromedp"
)

// Calls for applications through the local cloud: the steps are reusable
// (applyAndSubmit) for the evaluation story that continues from a submitted
// candidacy.

// candidacy is a candidacy and its private token.
type candidacy struct{ id, token string }

// minimalPDF returns a small valid PDF (one page saying text) padded with a
// comment to at least size bytes.
func minimalPDF(text string, size int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	var offsets []int
	obj := func(s string) {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offsets), s)
	}
	stream := "BT /F1 18 Tf 72 720 Td (" + text + ") Tj ET"
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	for b.Len() < size-200 {
		b.WriteString("% padding to a realistic size ..........................................\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}

// pngBytes is the start of a PNG image (what a renamed photo would hold).
var pngBytes = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00"), bytes.Repeat([]byte{0x90}, 2000)...)

// callBody is an admin API body for a Copil call open from opens to closes.
func callBody(id string, opens, closes time.Time) map[string]any {
	text := func(fr, ar string) map[string]string { return map[string]string{"fr": fr, "ar": ar} }
	return map[string]any{
		"id": id, "kind": "copil",
		"title":       text("Candidature au comité de pilotage (test "+id+")", "الترشح للجنة القيادة (اختبار)"),
		"description": text("Sièges de la société civile au comité de pilotage.", "مقاعد المجتمع المدني في لجنة القيادة."),
		"opensAt":     opens.UTC().Format(time.RFC3339), "closesAt": closes.UTC().Format(time.RFC3339), "seats": 9,
		"documents": []map[string]any{
			{"type": "statuts", "label": text("Statuts", "النظام الأساسي"), "required": true},
			{"type": "recepisse", "label": text("Récépissé définitif", "الوصل النهائي"), "required": true, "maxBytes": 64 << 10},
			{"type": "rapport_moral", "label": text("Rapport moral", "التقرير الأدبي"), "required": false},
		},
		"criteria": []map[string]any{
			{"id": "experience", "label": text("Expérience", "الخبرة"), "weight": 40, "maxScore": 20},
			{"id": "plan", "label": text("Plan d'action", "خطة العمل"), "weight": 60, "maxScore": 20},
		},
	}
}

// createOpenCall creates a call (admin API) and opens it.
func createOpenCall(t testing.TB, c *cloud.Cloud, body map[string]any) string {
	t.Helper()
	admin := tokenFor(t, c, "admin", "")
	r := doOn(t, c, call{method: "POST", path: "/api/admin/calls", body: body, token: admin})
	expectStatus(t, r, http.StatusCreated)
	var created struct{ ID string }
	r.json(t, &created)
	r = doOn(t, c, call{method: "POST", path: "/api/admin/calls/" + created.ID + "/status", body: map[string]string{"status": "open"}, token: admin})
	expectStatus(t, r, http.StatusOK)
	return created.ID
}

// application is a complete candidacy body for an association writing from email.
func application(email, lang string) map[string]any {
	return map[string]any{
		"association": map[string]any{
			"name": "Association Tafra pour la transparence", "acronym": "ATT", "legalForm": "association",
			"registrationNumber": "RC-2011-334", "yearFounded": 2011, "region": "souss-massa", "city": "Agadir",
			"website": "https://tafra.example.ma", "email": email, "phone": "+212 528 00 00 00",
		},
		"representative": map[string]any{"name": "Salma Idrissi", "role": "Présidente", "email": "salma.idrissi@example.org"},
		"thematicAreas":  []string{"transparency", "open_data"},
		"motivation":     "Nous suivons les engagements du plan d'action national depuis 2018 et animons un observatoire citoyen des budgets communaux.",
		"lang":           lang, "consent": true,
	}
}

var privateLink = regexp.MustCompile(`/(fr|ar)/candidatures/([0-9a-z]{26})\?token=([A-Za-z0-9_-]+)`)

// applyOn applies to callID on cloud c and returns the candidacy with the
// token of its private link email.
func applyOn(t testing.TB, c *cloud.Cloud, callID string, body map[string]any) candidacy {
	t.Helper()
	r := doOn(t, c, call{method: "POST", path: "/api/calls/" + callID + "/candidacies", body: body})
	expectStatus(t, r, http.StatusCreated)
	var created struct {
		ID     string
		Status string
	}
	r.json(t, &created)
	for _, m := range c.Mail() {
		if mm := privateLink.FindStringSubmatch(m.Text); mm != nil && mm[2] == created.ID {
			return candidacy{id: created.ID, token: mm[3]}
		}
	}
	t.Fatalf("no private link email for candidacy %s", created.ID)
	return candidacy{}
}

// uploadForm is the answer of POST /api/candidacies/{id}/documents.
type uploadForm struct {
	Type      string            `json:"type"`
	URL       string            `json:"url"`
	Fields    map[string]string `json:"fields"`
	ExpiresAt string            `json:"expiresAt"`
	MaxBytes  int64             `json:"maxBytes"`
}

// upload asks for a presigned POST for typ and sends data as a browser
// does: a multipart form, the fields first, the file last. It returns the
// key the object was stored under.
func upload(t testing.TB, c *cloud.Cloud, cand candidacy, typ, filename string, data []byte) string {
	t.Helper()
	key, status, body := postUpload(t, c, cand, typ, filename, data)
	if status >= 300 {
		t.Fatalf("browser upload: %d %s", status, body)
	}
	return key
}

// postUpload asks for an upload form and posts data with it as a browser
// does; it returns the key and S3's answer.
func postUpload(t testing.TB, c *cloud.Cloud, cand candidacy, typ, filename string, data []byte) (string, int, string) {
	t.Helper()
	r := doOn(t, c, call{method: "POST", path: "/api/candidacies/" + cand.id + "/documents", body: map[string]string{"type": typ}, token: cand.token})
	expectStatus(t, r, http.StatusOK)
	var f uploadForm
	r.json(t, &f)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	keys := make([]string, 0, len(f.Fields))
	for k := range f.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := mw.WriteField(k, f.Fields[k]); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = mw.Close()
	resp, err := http.Post(f.URL, mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return f.Fields["key"], resp.StatusCode, string(b)
}

// document is a document of GET /api/candidacies/{id}.
type document struct {
	Type, Status, SHA256, Reason, ReasonKey string
	Size                                    int64
	Required, ReplacementPending            bool
}

// candidacyView is GET /api/candidacies/{id}.
type candidacyView struct {
	ID, Status, Reference string
	Documents             []document
}

func getCandidacy(t testing.TB, c *cloud.Cloud, cand candidacy, lang string) candidacyView {
	t.Helper()
	r := doOn(t, c, call{method: "GET", path: "/api/candidacies/" + cand.id + "?lang=" + lang, token: cand.token})
	expectStatus(t, r, http.StatusOK)
	var v candidacyView
	r.json(t, &v)
	return v
}

// checked waits for the S3-triggered check of typ to record its verdict
// (the event is asynchronous, as in AWS) and returns the document.
func checked(t testing.TB, c *cloud.Cloud, cand candidacy, typ, lang string) document {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		for _, d := range getCandidacy(t, c, cand, lang).Documents {
			if d.Type == typ && d.Status != "pending" && d.Status != "missing" && !d.ReplacementPending {
				return d
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("document %s of %s was never checked", typ, cand.id)
		}
		time.Sleep(50 * time.Millisecond) // polling an asynchronous result, not waiting for correctness
	}
}

// objectExists asks the local S3 for a dossier object.
// objectExists asks the local S3, as the account's operator, whether key
// is in the dossier bucket.
func objectExists(t testing.TB, c *cloud.Cloud, key string) bool {
	t.Helper()
	_, err := operatorS3(c).HeadObject(context.Background(), &s3.HeadObjectInput{
		Bucket: aws.String(c.Names()["DossierBucket"]), Key: aws.String(key),
	})
	var nf *s3types.NotFound
	switch {
	case err == nil:
		return true
	case errors.As(err, &nf):
		return false
	}
	t.Fatalf("head %s: %v", key, err)
	return false
}

// eventuallyTrue polls cond until it holds or d passes.
func eventuallyTrue(d time.Duration, cond func() bool) bool {
	for end := time.Now().Add(d); ; time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(end) {
			return false
		}
	}
}

// completeDossier uploads a real PDF for every required document of cand
// and waits for each to be verified; it returns the PDFs by type.
func completeDossier(t testing.TB, c *cloud.Cloud, cand candidacy) map[string][]byte {
	t.Helper()
	pdfs := map[string][]byte{}
	for _, d := range getCandidacy(t, c, cand, "fr").Documents {
		if !d.Required {
			continue
		}
		pdf := minimalPDF(d.Type+" "+cand.id, 8<<10)
		upload(t, c, cand, d.Type, d.Type+".pdf", pdf)
		if got := checked(t, c, cand, d.Type, "fr"); got.Status != "verified" {
			t.Fatalf("%s: %+v, want verified", d.Type, got)
		}
		pdfs[d.Type] = pdf
	}
	return pdfs
}

// applyAndSubmit applies to callID on the shared local cloud with a complete
// dossier and submits it: the starting point of the evaluation story.
func applyAndSubmit(t *testing.T, callID string) (candidacyID, token string) {
	t.Helper()
	cand := applyOn(t, lc, callID, application(fmt.Sprintf("osc-%d@example.org", time.Now().UnixNano()), "fr"))
	completeDossier(t, lc, cand)
	r := do(t, call{method: "POST", path: "/api/candidacies/" + cand.id + "/submit", token: cand.token})
	expectStatus(t, r, http.StatusOK)
	return cand.id, cand.token
}

func TestCallStoryUpToTheReceipt(t *testing.T) {
	now := time.Now()
	callID := createOpenCall(t, lc, callBody("copil-e2e-story", now.Add(-time.Hour), now.Add(30*24*time.Hour)))

	// The public sees the open call in Arabic.
	var list struct {
		Items []struct {
			ID, Title string
			Accepting bool
		}
	}
	r := do(t, call{method: "GET", path: "/api/calls?status=open&lang=ar"})
	expectStatus(t, r, http.StatusOK)
	r.json(t, &list)
	found := false
	for _, c := range list.Items {
		found = found || (c.ID == callID && c.Accepting && c.Title == "الترشح للجنة القيادة (اختبار)")
	}
	if !found {
		t.Fatalf("open calls: %s", r.body)
	}

	email := "tafra-story@example.org"
	cand := applyOn(t, lc, callID, application(email, "fr"))
	if link := mailTo(email)[0]; !strings.Contains(link.Text, lc.URL()+"/fr/candidatures/"+cand.id+"?token=") {
		t.Errorf("private link: %s", link.Text)
	}

	// A real PDF through the presigned POST, verified by the S3-triggered check.
	pdf := minimalPDF("Statuts de l'association Tafra", 40<<10)
	statutsKey := upload(t, lc, cand, "statuts", "statuts scannés.pdf", pdf)
	if !strings.HasPrefix(statutsKey, "candidacies/"+cand.id+"/statuts/") || strings.Contains(statutsKey, "scann") {
		t.Errorf("key %q is not server-generated", statutsKey)
	}
	sum := sha256.Sum256(pdf)
	if d := checked(t, lc, cand, "statuts", "fr"); d.Status != "verified" || d.SHA256 != hex.EncodeToString(sum[:]) || d.Size != int64(len(pdf)) {
		t.Fatalf("statuts: %+v", d)
	}

	// A PNG renamed .pdf and an oversize file: rejected with reasons, deleted.
	pngKey := upload(t, lc, cand, "rapport_moral", "photo.pdf", pngBytes)
	if d := checked(t, lc, cand, "rapport_moral", "ar"); d.Status != "rejected" || d.ReasonKey != "calls.reason_not_pdf" || d.Reason != "الملف ليس بصيغة PDF." {
		t.Errorf("png: %+v", d)
	}
	// An oversize file never reaches the bucket: S3 refuses the form
	// (its policy's content-length-range), as in AWS.
	bigKey, status, body := postUpload(t, lc, cand, "recepisse", "recepisse.pdf", minimalPDF("trop grand", 100<<10))
	if status != http.StatusBadRequest || !strings.Contains(body, "EntityTooLarge") {
		t.Errorf("oversize upload: %d %s, want 400 EntityTooLarge", status, body)
	}
	for _, k := range []string{pngKey, bigKey} {
		// The verdict is recorded, then the object deleted.
		if !eventuallyTrue(5*time.Second, func() bool { return !objectExists(t, lc, k) }) {
			t.Errorf("rejected object %s is still in the bucket", k)
		}
	}
	if !objectExists(t, lc, statutsKey) {
		t.Errorf("verified object %s is gone", statutsKey)
	}

	// Submitting with the récépissé missing: 409 listing it.
	r = do(t, call{method: "POST", path: "/api/candidacies/" + cand.id + "/submit", token: cand.token})
	p := expectProblem(t, r, http.StatusConflict, "documents.recepisse")
	if len(p.Errors) != 1 {
		t.Errorf("errors = %+v, want the récépissé only", p.Errors)
	}

	recepisse := minimalPDF("Récépissé définitif", 20<<10)
	upload(t, lc, cand, "recepisse", "recepisse.pdf", recepisse)
	if d := checked(t, lc, cand, "recepisse", "fr"); d.Status != "verified" {
		t.Fatalf("recepisse: %+v", d)
	}
	r = do(t, call{method: "POST", path: "/api/candidacies/" + cand.id + "/submit", token: cand.token})
	expectStatus(t, r, http.StatusOK)
	var sub candidacyView
	r.json(t, &sub)
	year := now.Add(-time.Hour).In(i18n.Casablanca).Year()
	if want := fmt.Sprintf("COPIL-%d-0001", year); sub.Reference != want || sub.Status != "submitted" {
		t.Fatalf("submitted: %s %s, want %s", sub.Reference, sub.Status, want)
	}
	var receipt *cloud.Message
	for _, m := range mailTo(email) {
		if strings.Contains(m.Subject, sub.Reference) {
			receipt = &m
		}
	}
	if receipt == nil {
		t.Fatalf("no receipt for %s", sub.Reference)
	}
	rsum := sha256.Sum256(recepisse)
	for _, want := range []string{sub.Reference, hex.EncodeToString(sum[:]), hex.EncodeToString(rsum[:]), "Statuts", "Récépissé définitif"} {
		if !strings.Contains(receipt.Text, want) || !strings.Contains(receipt.HTML, want) {
			t.Errorf("receipt lacks %q:\n%s", want, receipt.Text)
		}
	}
	if strings.Contains(receipt.Text, "Rapport moral") {
		t.Errorf("receipt lists the rejected document")
	}

	// Read-only afterwards; withdrawal is still possible.
	r = do(t, call{method: "PATCH", path: "/api/candidacies/" + cand.id, body: map[string]string{"motivation": strings.Repeat("Nouvelle motivation. ", 5)}, token: cand.token})
	expectProblem(t, r, http.StatusConflict, "")
	r = do(t, call{method: "POST", path: "/api/candidacies/" + cand.id + "/withdraw", token: cand.token})
	expectStatus(t, r, http.StatusOK)

	// The evaluation story starts from here.
	id, tok := applyAndSubmit(t, callID)
	if v := getCandidacy(t, lc, candidacy{id, tok}, "fr"); v.Reference != fmt.Sprintf("COPIL-%d-0002", year) {
		t.Errorf("second reference = %s", v.Reference)
	}
}

func TestCandidacyTokenOpensOnlyItsCandidacy(t *testing.T) {
	a := applyOn(t, lc, "copil-societe-civile", application("token-a@example.org", "fr"))
	b := applyOn(t, lc, "copil-societe-civile", application("token-b@example.org", "ar"))
	if v := getCandidacy(t, lc, a, "fr"); v.ID != a.id {
		t.Fatalf("own token: %+v", v)
	}
	// Through the query string as the private link does.
	r := do(t, call{method: "GET", path: "/api/candidacies/" + a.id + "?token=" + url.QueryEscape(a.token)})
	expectStatus(t, r, http.StatusOK)
	for _, x := range []call{
		{method: "GET", path: "/api/candidacies/" + a.id, token: b.token},
		{method: "GET", path: "/api/candidacies/" + a.id},
		{method: "GET", path: "/api/candidacies/" + a.id + "?token=" + b.token},
		{method: "POST", path: "/api/candidacies/" + a.id + "/documents", body: map[string]string{"type": "statuts"}, token: b.token},
		{method: "POST", path: "/api/candidacies/" + a.id + "/submit", token: b.token},
		{method: "POST", path: "/api/candidacies/" + a.id + "/withdraw", token: b.token},
		{method: "PATCH", path: "/api/candidacies/" + a.id, body: map[string]string{"motivation": "x"}, token: b.token},
	} {
		expectProblem(t, do(t, x), http.StatusNotFound, "")
	}
	if v := getCandidacy(t, lc, a, "fr"); v.Status != "draft" {
		t.Errorf("candidacy a changed: %+v", v)
	}
	// Admin routes are not reachable without a JWT.
	r = do(t, call{method: "GET", path: "/api/admin/calls"})
	expectStatus(t, r, http.StatusUnauthorized)
}

func TestCallDeadlines(t *testing.T) {
	now := time.Now()
	body := callBody("copil-e2e-deadline", now.Add(-time.Hour), now.Add(time.Hour))
	callID := createOpenCall(t, lc, body)
	email := "deadline@example.org"
	cand := applyOn(t, lc, callID, application(email, "fr"))
	completeDossier(t, lc, cand)
	before := getCandidacy(t, lc, cand, "fr")
	mails := len(lc.Mail())

	// The administrator moves the closing time to a minute ago.
	body["closesAt"] = now.Add(-time.Minute).UTC().Format(time.RFC3339)
	delete(body, "id")
	r := do(t, call{method: "PUT", path: "/api/admin/calls/" + callID, body: body, token: token(t, "admin")})
	expectStatus(t, r, http.StatusOK)

	for _, x := range []call{
		{method: "POST", path: "/api/calls/" + callID + "/candidacies", body: application("late@example.org", "fr")},
		{method: "POST", path: "/api/candidacies/" + cand.id + "/documents", body: map[string]string{"type": "rapport_moral"}, token: cand.token},
		{method: "POST", path: "/api/candidacies/" + cand.id + "/submit", token: cand.token},
		{method: "PATCH", path: "/api/candidacies/" + cand.id, body: map[string]string{"motivation": strings.Repeat("Trop tard. ", 10)}, token: cand.token},
		{method: "POST", path: "/api/candidacies/" + cand.id + "/withdraw", token: cand.token},
	} {
		p := expectProblem(t, do(t, x), http.StatusConflict, "")
		if !strings.Contains(p.Detail, "se clôt le") {
			t.Errorf("%s %s: detail %q gives no reason", x.method, x.path, p.Detail)
		}
	}
	after := getCandidacy(t, lc, cand, "fr")
	if after.Status != before.Status || after.Reference != "" || len(lc.Mail()) != mails {
		t.Errorf("refused actions changed something: %+v → %+v, %d emails", before, after, len(lc.Mail())-mails)
	}
}

func TestCandidacyBadInput(t *testing.T) {
	email := "bad-input@example.org"
	cand := applyOn(t, lc, "copil-societe-civile", application(email, "fr"))
	before := getCandidacy(t, lc, cand, "fr")
	mails := len(lc.Mail())
	bad := application("not-an-email", "ar")
	cases := []struct {
		x      call
		status int
		field  string
	}{
		{call{method: "POST", path: "/api/calls/copil-societe-civile/candidacies", body: bad}, 400, "association.email"},
		{call{method: "POST", path: "/api/calls/copil-societe-civile/candidacies", body: "{"}, 400, ""},
		{call{method: "POST", path: "/api/calls/copil-societe-civile/candidacies", body: `{"cin":"AB123"}`}, 400, "cin"},
		{call{method: "POST", path: "/api/calls/nope/candidacies", body: application(email, "fr")}, 404, ""},
		{call{method: "POST", path: "/api/calls/copil-societe-civile/candidacies", body: "x", headers: map[string]string{"Content-Type": "text/plain"}}, 415, ""},
		{call{method: "PATCH", path: "/api/candidacies/" + cand.id, body: map[string]any{"association": map[string]any{"name": "A", "email": "x"}}, token: cand.token}, 400, "association.email"},
		{call{method: "POST", path: "/api/candidacies/" + cand.id + "/documents", body: map[string]string{"type": "photo"}, token: cand.token}, 400, "type"},
		{call{method: "POST", path: "/api/candidacies/" + cand.id + "/documents", body: map[string]any{"type": 3}, token: cand.token}, 400, "type"},
		{call{method: "GET", path: "/api/calls?status=draft"}, 400, "status"},
		{call{method: "GET", path: "/api/calls/copil-societe-civile?lang=en"}, 400, "lang"},
		{call{method: "POST", path: "/api/admin/calls", body: map[string]any{"kind": "x"}, token: token(t, "admin")}, 400, "kind"},
		{call{method: "POST", path: "/api/admin/calls", body: callBody("copil-evaluator", time.Now(), time.Now().Add(time.Hour)), token: token(t, "evaluator")}, 403, ""},
		{call{method: "POST", path: "/api/admin/calls/copil-societe-civile/status", body: map[string]string{"status": "results_published"}, token: token(t, "admin")}, 400, "status"},
		{call{method: "PUT", path: "/api/admin/calls/nope", body: callBody("", time.Now(), time.Now().Add(time.Hour)), token: token(t, "admin")}, 404, ""},
	}
	for _, c := range cases {
		expectProblem(t, do(t, c.x), c.status, c.field)
	}
	after := getCandidacy(t, lc, cand, "fr")
	if fmt.Sprint(after) != fmt.Sprint(before) || len(lc.Mail()) != mails {
		t.Errorf("bad input changed something: %+v → %+v, %d emails", before, after, len(lc.Mail())-mails)
	}
	r := do(t, call{method: "GET", path: "/api/admin/calls/copil-evaluator", token: token(t, "admin")})
	expectStatus(t, r, http.StatusNotFound)
}

// TestConcurrentSubmissionsThroughTheCloud: 40 associations submit at the
// same moment through the gateway; references 1..40, no gap, no repeat.
// (The 200-submission proof runs in process: shared/calls TestConcurrentSubmissions.)
func TestConcurrentSubmissionsThroughTheCloud(t *testing.T) {
	const n = 40
	now := time.Now()
	callID := createOpenCall(t, lc, callBody("copil-e2e-concurrent", now.Add(-time.Hour), now.Add(time.Hour)))
	cands := make([]candidacy, n)
	for i := range cands {
		cands[i] = applyOn(t, lc, callID, application(fmt.Sprintf("concurrent-%d@example.org", i), "fr"))
		completeDossier(t, lc, cands[i])
	}
	refs := make([]string, n)
	var wg sync.WaitGroup
	for i, c := range cands {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, ok := doAsync(t, call{method: "POST", path: "/api/candidacies/" + c.id + "/submit", token: c.token})
			if !ok {
				return
			}
			var v candidacyView
			if r.status == http.StatusOK {
				_ = json.Unmarshal(r.body, &v)
			}
			refs[i] = v.Reference
		}()
	}
	wg.Wait()
	sort.Strings(refs)
	year := now.Add(-time.Hour).In(i18n.Casablanca).Year()
	for i, ref := range refs {
		if want := fmt.Sprintf("COPIL-%d-%04d", year, i+1); ref != want {
			t.Fatalf("sorted references %v: #%d = %q, want %q", refs, i, ref, want)
		}
	}
}

// openAPICandidacies prepares the candidacy routes' examples on a fresh
// cloud: a draft (read, edit, upload) and one with a complete dossier
// (submit, then withdraw), both on the seeded call, from the apply example.
func openAPICandidacies(t *testing.T, c *cloud.Cloud, applyExample []byte) (draft, complete candidacy) {
	t.Helper()
	var body map[string]any
	if err := json.Unmarshal(applyExample, &body); err != nil {
		t.Fatal(err)
	}
	draft = applyOn(t, c, "copil-societe-civile", body)
	complete = applyOn(t, c, "copil-societe-civile", body)
	completeDossier(t, c, complete)
	return draft, complete
}

// TestApplyRetriesWithIdempotencyKey: an association whose network dropped
// retries its application with the same Idempotency-Key, 10 times at once;
// one draft, one email, identical answers. Another body with that key is 422.
func TestApplyRetriesWithIdempotencyKey(t *testing.T) {
	email := uniqueEmail("apply-idem")
	key := fmt.Sprintf("apply-%d", time.Now().UnixNano())
	path := "/api/calls/copil-societe-civile/candidacies"
	const n = 10
	bodies := make([]string, n)
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r, ok := doAsync(t, call{method: "POST", path: path, body: application(email, "fr"), headers: map[string]string{"Idempotency-Key": key}})
			if !ok {
				return
			}
			codes[i], bodies[i] = r.status, string(r.body)
		})
	}
	wg.Wait()
	for i := range n {
		if codes[i] != http.StatusCreated || bodies[i] != bodies[0] {
			t.Errorf("retry %d: %d %s, want 201 %s", i, codes[i], bodies[i], bodies[0])
		}
	}
	if msgs := mailTo(email); len(msgs) != 1 || !strings.Contains(msgs[0].Text, "/candidatures/") {
		t.Errorf("%d private link emails, want 1", len(msgs))
	}
	expectProblem(t, do(t, call{method: "POST", path: path, body: application(uniqueEmail("apply-idem-other"), "fr"), headers: map[string]string{"Idempotency-Key": key}}), http.StatusUnprocessableEntity, "")
	expectProblem(t, do(t, call{method: "POST", path: path, body: application(email, "fr"), headers: map[string]string{"Idempotency-Key": "a key"}}), http.StatusBadRequest, "Idempotency-Key")
	if msgs := mailTo(email); len(msgs) != 1 {
		t.Errorf("%d emails after the refused attempts, want 1", len(msgs))
	}
}

// loseFirstAnswer makes the page's next successful application look like a
// network error (the answer is lost after the server acted) and records the
// Idempotency-Key of every application the page sends.
const loseFirstAnswer = `(() => {
  window.__keys = [];
  let lose = 1;
  const real = window.fetch;
  window.fetch = async (url, init) => {
    if (!(init && init.method === 'POST' && String(url).includes('/candidacies'))) return real(url, init);
    window.__keys.push(init.headers['Idempotency-Key']);
    const res = await real(url, init);
    if (res.ok && lose-- > 0) throw new TypeError('network');
    return res;
  };
  return true;
})()`

// TestPortalApplicationRetry: the call page sends one Idempotency-Key per
// form fill, a new one after a 4xx, and the same one when the association
// retries after a lost answer: one draft, one email.
func TestPortalApplicationRetry(t *testing.T) {
	ctx, _ := portalBrowser(t)
	email := uniqueEmail("portal-apply-retry")
	run(t, ctx, "open the call",
		chromedp.Navigate(lc.URL()+"/fr/candidatures/appels/copil-societe-civile"),
		chromedp.WaitVisible(`[data-field="association.name"] input`))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](loseFirstAnswer)); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "apply with a bad address (400)",
		chromedp.SendKeys(`[data-field="association.name"] input`, "Association Tafra"),
		chromedp.SendKeys(`[data-field="association.email"] input`, email),
		chromedp.SendKeys(`[data-field="representative.name"] input`, "Salma Idrissi"),
		chromedp.SendKeys(`[data-field="representative.email"] input`, "salma@"),
		chromedp.Click(`[data-field="consent"] input`),
		chromedp.Click(`form button[type="submit"]`),
		chromedp.WaitVisible(`[data-field="representative.email"] input[aria-invalid="true"]`))
	run(t, ctx, "fix it; the answer is lost",
		chromedp.SendKeys(`[data-field="representative.email"] input`, "example.org"),
		chromedp.Click(`form button[type="submit"]`),
		chromedp.WaitVisible(`//form//p[contains(., "Le serveur ne répond pas")]`))
	run(t, ctx, "retry",
		chromedp.Click(`form button[type="submit"]`),
		chromedp.WaitVisible(`[data-applied]`))
	keys, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__keys`))
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 3 || keys[0] == "" || keys[0] == keys[1] || keys[1] != keys[2] {
		t.Errorf("keys sent = %q, want a new key after the 400, then the same one for the retry", keys)
	}
	if msgs := mailTo(email); len(msgs) != 1 {
		t.Errorf("%d private link emails, want 1", len(msgs))
	}
}
