package calls_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"
	"espaceosc/shared/calls/callstest"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/callsdb"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/i18n"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"
)

type env struct {
	svc    *calls.Service
	store  callsdb.Store
	db     *callstest.Counting
	bucket *callstest.Bucket
	sender *outboxtest.Sender
	clock  *clock
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// The 2024 Copil call: 14 Aug – 5 Sep 2024, Casablanca time.
var (
	opens  = time.Date(2024, 8, 14, 9, 0, 0, 0, i18n.Casablanca)
	closes = time.Date(2024, 9, 5, 23, 59, 0, 0, i18n.Casablanca)
	during = time.Date(2024, 8, 20, 10, 0, 0, 0, time.UTC)
)

func newEnv(t testing.TB) env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	counting := callstest.Count(db)
	st := ddbstore.New(counting, table)
	sender := &outboxtest.Sender{}
	b := callstest.NewBucket()
	clk := &clock{t: during}
	quiet := slog.New(slog.DiscardHandler)
	svc := calls.NewService(calls.Config{
		Store: callsdb.New(st), Mailer: outbox.New(st.Outbox(), sender, calls.Emails, quiet), Uploads: b, Files: b,
		PortalOrigin: "https://osc.example/", NoticeVersion: "2026-11-01", Log: quiet, Now: clk.now,
	})
	return env{svc: svc, store: callsdb.New(st), db: counting, bucket: b, sender: sender, clock: clk}
}

func text(fr, ar string) i18n.Text { return i18n.Text{FR: fr, AR: ar} }

func copilInput(id string) calls.CallInput {
	return calls.CallInput{
		ID: id, Kind: "copil",
		Title:       text("Candidature au comité de pilotage 2024-2027", "الترشح للجنة القيادة 2024-2027"),
		Description: text("Neuf sièges pour la société civile.", "تسعة مقاعد للمجتمع المدني."),
		OpensAt:     opens.Format("2006-01-02T15:04"), ClosesAt: closes.Format(time.RFC3339), Seats: 9,
		Documents: []calls.DocumentSpecInput{
			{Type: "statuts", Label: text("Statuts", "النظام الأساسي"), Required: true},
			{Type: "recepisse", Label: text("Récépissé définitif", "الوصل النهائي"), Required: true, MaxBytes: 1 << 20},
			{Type: "rapport_moral", Label: text("Rapport moral", "التقرير الأدبي")},
		},
		Criteria: []calls.CriterionInput{
			{ID: "experience", Label: text("Expérience", "الخبرة"), Weight: 40, MaxScore: 20},
			{ID: "plan", Label: text("Plan d'action", "خطة العمل"), Weight: 60, MaxScore: 20},
		},
	}
}

func openCall(t testing.TB, e env, in calls.CallInput) calls.Call {
	t.Helper()
	ctx := context.Background()
	v, err := e.svc.CreateCall(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err = e.svc.SetCallStatus(ctx, v.ID, calls.StatusInput{Status: "open"}); err != nil {
		t.Fatal(err)
	}
	c, err := e.store.GetCall(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func application(lang string) calls.Application {
	yes := true
	return calls.Application{
		Association: calls.AssociationInput{
			Name: "  Association Tafra pour la transparence ", Acronym: "ATT", LegalForm: "association",
			RegistrationNumber: "RC-2011-334", YearFounded: 2011, Region: "souss-massa", City: "Agadir",
			Website: "https://tafra.example.ma", Email: "contact@tafra.example.ma", Phone: "+212 528 00 00 00",
		},
		Representative: calls.RepresentativeInput{Name: "Salma Idrissi", Role: "Présidente", Email: "Salma@Example.ORG"},
		ThematicAreas:  []string{"transparency", "open_data"},
		Motivation:     strings.Repeat("Nous suivons les engagements du plan d'action depuis 2018. ", 2),
		Lang:           lang, Consent: &yes,
	}
}

var tokenRe = regexp.MustCompile(`token=([A-Za-z0-9_-]+)`)

// apply creates a candidacy and returns its id and the token of its link email.
func apply(t testing.TB, e env, callID string, a calls.Application) (string, string) {
	t.Helper()
	created, err := e.svc.Apply(context.Background(), callID, a, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range e.sender.SentOfKind(calls.KindLinkEmail) {
		if m.RefID == created.ID {
			return created.ID, tokenRe.FindStringSubmatch(m.Text)[1]
		}
	}
	t.Fatalf("no link email for %s", created.ID)
	return "", ""
}

var pdf = append([]byte("%PDF-1.7\n%âãÏÓ\n"), bytes.Repeat([]byte("0 0 obj\n"), 512)...)

// uploadDoc signs an upload of typ, puts data under the key and runs the check.
func uploadDoc(t testing.TB, e env, id, token, typ string, data []byte) (string, calls.CheckResult) {
	t.Helper()
	ctx := context.Background()
	u, err := e.svc.RequestUpload(ctx, id, token, calls.DocumentRequest{Type: typ})
	if err != nil {
		t.Fatal(err)
	}
	key := u.Fields["key"]
	e.bucket.Upload(key, data)
	res, err := e.svc.CheckUpload(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	return key, res
}

func fields(err error) []string {
	e, ok := apperr.As(err)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+":"+f.Rule)
	}
	return out
}

func TestCallInputValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(*calls.CallInput)
		fields []string
	}{
		{"valid", func(*calls.CallInput) {}, nil},
		{"closes before opens", func(c *calls.CallInput) { c.ClosesAt = "2024-08-01T00:00" }, []string{"closesAt:calls.closes_after_opens"}},
		{"bad times", func(c *calls.CallInput) { c.OpensAt, c.ClosesAt = "demain", "" }, []string{"opensAt:calls.datetime", "closesAt:calls.datetime"}},
		{"gt without groups", func(c *calls.CallInput) { c.Kind = "gt" }, []string{"workingGroups:required"}},
		{"copil with groups", func(c *calls.CallInput) {
			c.WorkingGroups = []calls.WorkingGroupInput{{ID: "transparence", Name: text("Transparence", "الشفافية")}}
		}, []string{"workingGroups:calls.copil_no_groups"}},
		{"duplicate document, bad slug, huge max", func(c *calls.CallInput) {
			c.Documents = append(c.Documents, calls.DocumentSpecInput{Type: "statuts", Label: text("a", "ب")},
				calls.DocumentSpecInput{Type: "Statuts PDF", Label: text("a", "ب")},
				calls.DocumentSpecInput{Type: "gros", Label: text("a", "ب"), MaxBytes: 1 << 40})
		}, []string{"documents[3].type:calls.duplicate", "documents[4].type:calls.slug", "documents[5].maxBytes:range"}},
		{"no documents, no criteria, no seats", func(c *calls.CallInput) { c.Documents, c.Criteria, c.Seats = nil, nil, 0 },
			[]string{"seats:range", "documents:required", "criteria:required"}},
		{"arabic title missing, newline in french", func(c *calls.CallInput) { c.Title = text("a\nb", "") },
			[]string{"title.fr:single_line", "title.ar:required"}},
		{"criterion out of range", func(c *calls.CallInput) { c.Criteria[0].Weight, c.Criteria[1].MaxScore = 0, 101 },
			[]string{"criteria[0].weight:range", "criteria[1].maxScore:range"}},
		{"bad id", func(c *calls.CallInput) { c.ID = "../x" }, []string{"id:calls.slug"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := copilInput("copil-2024")
			c.change(&in)
			err := in.Validate()
			if err != nil && !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("uncoded error %v", err)
			}
			if got, want := strings.Join(fields(err), " "), strings.Join(c.fields, " "); got != want {
				t.Errorf("fields = %q, want %q", got, want)
			}
		})
	}
}

func TestCallTimesAndReferencePrefix(t *testing.T) {
	e := newEnv(t)
	c := openCall(t, e, copilInput("copil-2024"))
	if got, want := c.OpensAt, opens.UTC(); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("opensAt = %v, want %v in UTC (a time without offset is Casablanca time)", got, want)
	}
	if got, want := c.ReferencePrefix(), "COPIL-2024"; got != want {
		t.Errorf("prefix = %q, want %q", got, want)
	}
	// A call opening on 31 Dec 23:30 in Casablanca (UTC+1: 22:30 UTC) is of that year.
	nye := calls.Call{Kind: calls.KindGT, OpensAt: time.Date(2025, 12, 31, 23, 30, 0, 0, i18n.Casablanca)}
	if got, want := calls.FormatReference(nye, 7), "GT-2025-0007"; got != want {
		t.Errorf("reference = %q, want %q", got, want)
	}
	for _, at := range []struct {
		t    time.Time
		want bool
	}{{opens.Add(-time.Second), false}, {opens, true}, {closes.Add(-time.Second), true}, {closes, false}} {
		if got := c.Accepting(at.t); got != at.want {
			t.Errorf("Accepting(%v) = %v, want %v", at.t, got, at.want)
		}
	}
}

func TestStatusTransitions(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	c, err := e.svc.CreateCall(ctx, copilInput("copil-2024"))
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		to   string
		want apperr.Code
	}{
		{"closed", apperr.Conflict}, {"open", ""}, {"open", ""}, {"evaluating", apperr.Conflict}, {"closed", ""},
		{"open", apperr.Conflict}, {"results_published", apperr.Invalid}, {"draft", apperr.Invalid}, {"evaluating", ""},
	}
	for i, s := range steps {
		_, err := e.svc.SetCallStatus(ctx, c.ID, calls.StatusInput{Status: s.to})
		if got := apperr.CodeOf(err); got != s.want {
			t.Errorf("step %d → %s: %v, want %q", i, s.to, err, s.want)
		}
	}
	if _, err := e.svc.UpdateCall(ctx, c.ID, copilInput("")); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("editing an evaluating call: %v, want conflict", err)
	}
	if _, err := e.svc.CreateCall(ctx, copilInput("copil-2024")); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("same id twice: %v, want conflict", err)
	}
}

func TestApplyUploadSubmit(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	call := openCall(t, e, copilInput("copil-2024"))
	id, token := apply(t, e, call.ID, application("fr"))

	c, err := e.store.GetCandidacy(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Association.Name != "Association Tafra pour la transparence" || c.Status != calls.CandidacyDraft {
		t.Errorf("stored %q %s", c.Association.Name, c.Status)
	}
	if !c.Consent.Given || !c.Consent.At.Equal(during) || c.Consent.NoticeVersion != "2026-11-01" {
		t.Errorf("consent = %+v", c.Consent)
	}
	if want := closes.Add(calls.Retention); !c.ExpiresAt.Equal(want.Truncate(time.Second)) {
		t.Errorf("expiresAt = %v, want %v", c.ExpiresAt, want)
	}
	if strings.Contains(c.TokenHash, token) || len(token) < 43 {
		t.Errorf("token %d chars, hash %q", len(token), c.TokenHash)
	}
	link := e.sender.SentOfKind(calls.KindLinkEmail)[0]
	if !strings.Contains(link.Text, "https://osc.example/fr/candidatures/"+id+"?token=") || link.To != "contact@tafra.example.ma" {
		t.Errorf("link email to %s:\n%s", link.To, link.Text)
	}

	// Submitting with nothing uploaded lists the two required documents.
	_, err = e.svc.Submit(ctx, id, token, i18n.FR)
	if got, want := strings.Join(fields(err), " "), "documents.statuts:calls.document_missing documents.recepisse:calls.document_missing"; !apperr.Is(err, apperr.Conflict) || got != want {
		t.Fatalf("submit without documents: %v\n got %q\nwant %q", err, got, want)
	}

	key, res := uploadDoc(t, e, id, token, "statuts", pdf)
	if res != calls.CheckVerified || !regexp.MustCompile(`^candidacies/`+id+`/statuts/[0-9a-z]{16}\.pdf$`).MatchString(key) {
		t.Fatalf("statuts: %s %s", res, key)
	}
	png := append([]byte("\x89PNG\r\n\x1a\n"), pdf...)
	pngKey, res := uploadDoc(t, e, id, token, "recepisse", png)
	if res != calls.CheckRejected || e.bucket.Has(pngKey) {
		t.Errorf("png: %s, still stored %v", res, e.bucket.Has(pngKey))
	}
	bigKey, res := uploadDoc(t, e, id, token, "rapport_moral", append(pdf, make([]byte, calls.DefaultDocumentBytes)...))
	if res != calls.CheckRejected || e.bucket.Has(bigKey) {
		t.Errorf("oversize: %s, still stored %v", res, e.bucket.Has(bigKey))
	}
	v, err := e.svc.Open(ctx, id, token, i18n.AR)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]calls.DocumentView{}
	for _, d := range v.Documents {
		got[d.Type] = d
	}
	sum := sha256.Sum256(pdf)
	if d := got["statuts"]; d.Status != calls.DocumentVerified || d.SHA256 != hex.EncodeToString(sum[:]) || d.Size != int64(len(pdf)) {
		t.Errorf("statuts view = %+v", d)
	}
	if d := got["recepisse"]; d.Status != calls.DocumentRejected || d.ReasonKey != calls.ReasonNotPDF || d.Reason != "الملف ليس بصيغة PDF." {
		t.Errorf("recepisse view = %+v", d)
	}
	if d := got["rapport_moral"]; d.Status != calls.DocumentRejected || d.ReasonKey != calls.ReasonTooLarge {
		t.Errorf("rapport_moral view = %+v", d)
	}
	_, err = e.svc.Submit(ctx, id, token, i18n.FR)
	if got, want := strings.Join(fields(err), " "), "documents.recepisse:calls.document_rejected"; got != want {
		t.Fatalf("submit with a rejected document: %q, want %q", got, want)
	}

	uploadDoc(t, e, id, token, "recepisse", pdf[:100])
	before := len(e.sender.Sent())
	sub, err := e.svc.Submit(ctx, id, token, i18n.FR)
	if err != nil {
		t.Fatal(err)
	}
	if sub.Reference != "COPIL-2024-0001" || sub.Status != calls.CandidacySubmitted {
		t.Errorf("submitted %s %s", sub.Reference, sub.Status)
	}
	receipts := e.sender.SentOfKind(calls.KindReceiptEmail)
	if len(receipts) != 1 || len(e.sender.Sent()) != before+1 {
		t.Fatalf("receipts = %d", len(receipts))
	}
	r := receipts[0]
	short := sha256.Sum256(pdf[:100])
	for _, want := range []string{"COPIL-2024-0001", "Statuts : " + fmt.Sprint(len(pdf)/1000) + " " + fmt.Sprintf("%03d", len(pdf)%1000) + " octets, SHA-256 : " + hex.EncodeToString(sum[:]),
		"Récépissé définitif : 100 octets, SHA-256 : " + hex.EncodeToString(short[:]), "20/08/2024 à 11:00"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("receipt lacks %q:\n%s", want, r.Text)
		}
	}
	if strings.Contains(r.Text, "Rapport moral") {
		t.Errorf("receipt lists a rejected document")
	}
	// Again: the same reference, no second receipt; read-only afterwards.
	again, err := e.svc.Submit(ctx, id, token, i18n.FR)
	if err != nil || again.Reference != sub.Reference || len(e.sender.SentOfKind(calls.KindReceiptEmail)) != 1 {
		t.Errorf("second submit: %v %s", err, again.Reference)
	}
	m := "Autre motivation, suffisamment longue pour être acceptée par la validation du formulaire."
	if _, err := e.svc.Patch(ctx, id, token, calls.CandidacyPatch{Motivation: &m}, i18n.FR); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("patch after submit: %v", err)
	}
	if _, err := e.svc.RequestUpload(ctx, id, token, calls.DocumentRequest{Type: "statuts"}); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("upload after submit: %v", err)
	}
	w, err := e.svc.Withdraw(ctx, id, token, i18n.FR)
	if err != nil || w.Status != calls.CandidacyWithdrawn || w.Reference != "COPIL-2024-0001" {
		t.Errorf("withdraw: %v %s %s", err, w.Status, w.Reference)
	}
	if n := len(e.sender.SentOfKind(calls.KindWithdrawEmail)); n != 1 {
		t.Errorf("withdrawal emails = %d", n)
	}
	if _, err := e.svc.Withdraw(ctx, id, token, i18n.FR); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("withdraw twice: %v", err)
	}
}

func TestIncompleteFieldsAndArabicReceipt(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	call := openCall(t, e, copilInput("copil-2024"))
	a := application("ar")
	a.Association.City, a.Association.Phone, a.Motivation, a.ThematicAreas = "", "", "", nil
	id, token := apply(t, e, call.ID, a)
	uploadDoc(t, e, id, token, "statuts", pdf)
	uploadDoc(t, e, id, token, "recepisse", pdf)
	_, err := e.svc.Submit(ctx, id, token, i18n.AR)
	if got, want := strings.Join(fields(err), " "), "association.city:required association.phone:required thematicAreas:required motivation:required"; got != want {
		t.Fatalf("incomplete: %q, want %q", got, want)
	}
	city, phone, areas := "Agadir", "0528000000", []string{"integrity"}
	mot := strings.Repeat("نتابع التزامات خطة العمل منذ سنة 2018. ", 3)
	if _, err := e.svc.Patch(ctx, id, token, calls.CandidacyPatch{
		Association: &calls.AssociationInput{Name: "جمعية تافرا", LegalForm: "association", RegistrationNumber: "12", YearFounded: 2011,
			Region: "souss-massa", City: city, Email: "contact@tafra.example.ma", Phone: phone},
		ThematicAreas: &areas, Motivation: &mot,
	}, i18n.AR); err != nil {
		t.Fatal(err)
	}
	sub, err := e.svc.Submit(ctx, id, token, i18n.AR)
	if err != nil {
		t.Fatal(err)
	}
	r := e.sender.SentOfKind(calls.KindReceiptEmail)[0]
	if r.Lang != "ar" || !strings.Contains(r.Subject, sub.Reference) || !strings.Contains(r.HTML, `dir="rtl"`) || !strings.Contains(r.Text, "النظام الأساسي") {
		t.Errorf("arabic receipt: %s\n%s", r.Subject, r.Text)
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	call := openCall(t, e, copilInput("copil-2024"))
	bad := application("en")
	bad.Association.Email, bad.Representative.Name, bad.Consent = "nope", "", nil
	bad.Association.Phone, bad.Association.YearFounded, bad.ThematicAreas = "call me", 1700, []string{"x", "x"}
	_, err := e.svc.Apply(ctx, call.ID, bad, "")
	want := "association.yearFounded:range association.email:email association.phone:calls.phone representative.name:required thematicAreas[0]:one_of thematicAreas[1]:one_of lang:lang consent:consent"
	if got := strings.Join(fields(err), " "); got != want {
		t.Errorf("fields\n got %q\nwant %q", got, want)
	}
	if list, _, _ := e.store.ListCandidacies(ctx, call.ID, "", 10, ""); len(list) != 0 || len(e.sender.Sent()) != 0 {
		t.Errorf("bad input stored %d candidacies, sent %d emails", len(list), len(e.sender.Sent()))
	}
	id, token := apply(t, e, call.ID, application("fr"))
	c0, _ := e.store.GetCandidacy(ctx, id)
	groups := []string{"transparence"}
	if _, err := e.svc.Patch(ctx, id, token, calls.CandidacyPatch{WorkingGroups: &groups}, i18n.FR); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("copil candidacy with groups: %v", err)
	}
	if _, err := e.svc.RequestUpload(ctx, id, token, calls.DocumentRequest{Type: "cv"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("unknown document type: %v", err)
	}
	if c1, _ := e.store.GetCandidacy(ctx, id); c1.Version != c0.Version {
		t.Errorf("refused changes bumped the version %d → %d", c0.Version, c1.Version)
	}
	if _, err := e.svc.Apply(ctx, "no-such-call", application("fr"), ""); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("unknown call: %v", err)
	}
}

func TestDeadlines(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	call := openCall(t, e, copilInput("copil-2024"))
	id, token := apply(t, e, call.ID, application("fr"))
	uploadDoc(t, e, id, token, "statuts", pdf)
	uploadDoc(t, e, id, token, "recepisse", pdf)
	before, _ := e.store.GetCandidacy(ctx, id)
	mails := len(e.sender.Sent())

	e.clock.set(closes.UTC()) // the closing minute itself is too late
	m := "Une motivation modifiée après la clôture de l'appel, ce qui est refusé."
	actions := map[string]func() error{
		"apply": func() error { _, err := e.svc.Apply(ctx, call.ID, application("fr"), ""); return err },
		"patch": func() error {
			_, err := e.svc.Patch(ctx, id, token, calls.CandidacyPatch{Motivation: &m}, i18n.FR)
			return err
		},
		"upload": func() error {
			_, err := e.svc.RequestUpload(ctx, id, token, calls.DocumentRequest{Type: "rapport_moral"})
			return err
		},
		"submit":   func() error { _, err := e.svc.Submit(ctx, id, token, i18n.FR); return err },
		"withdraw": func() error { _, err := e.svc.Withdraw(ctx, id, token, i18n.FR); return err },
	}
	for name, act := range actions {
		err := act()
		if e, ok := apperr.As(err); !ok || e.Code != apperr.Conflict || e.Key != "calls.not_accepting" {
			t.Errorf("%s after closing: %v, want conflict calls.not_accepting", name, err)
		}
	}
	after, _ := e.store.GetCandidacy(ctx, id)
	if after.Version != before.Version || len(e.sender.Sent()) != mails {
		t.Errorf("refused actions changed the candidacy (v%d → v%d) or sent %d emails", before.Version, after.Version, len(e.sender.Sent())-mails)
	}
	if list, _, _ := e.store.ListCandidacies(ctx, call.ID, "", 10, ""); len(list) != 1 {
		t.Errorf("candidacies = %d, want 1", len(list))
	}
	msg := i18n.T(i18n.FR, "calls.not_accepting", map[string]any{"opensAt": "14/08/2024 09:00", "closesAt": "05/09/2024 23:59"})
	if !strings.Contains(msg, "05/09/2024 23:59") {
		t.Errorf("message: %s", msg)
	}
}

func TestCheckIsIdempotentAndReplaces(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	call := openCall(t, e, copilInput("copil-2024"))
	id, token := apply(t, e, call.ID, application("fr"))
	first, _ := uploadDoc(t, e, id, token, "statuts", pdf)
	v1, _ := e.store.GetCandidacy(ctx, id)
	// S3 delivers the same event again: nothing changes, nothing deleted.
	if res, err := e.svc.CheckUpload(ctx, first); err != nil || res != calls.CheckIgnored {
		t.Errorf("duplicate: %s %v", res, err)
	}
	if v2, _ := e.store.GetCandidacy(ctx, id); v2.Version != v1.Version || !e.bucket.Has(first) {
		t.Errorf("duplicate event changed something")
	}
	second, res := uploadDoc(t, e, id, token, "statuts", append(pdf, 'x'))
	if res != calls.CheckVerified || e.bucket.Has(first) || !e.bucket.Has(second) {
		t.Errorf("replacement: %s; old kept %v, new kept %v", res, e.bucket.Has(first), e.bucket.Has(second))
	}
	// A PNG meant to replace the verified statuts: rejected and deleted, the
	// verified document stays.
	bad, res := uploadDoc(t, e, id, token, "statuts", []byte("\x89PNG\r\n\x1a\n"))
	v, _ := e.svc.Open(ctx, id, token, i18n.FR)
	d := v.Documents[0]
	if res != calls.CheckRejected || e.bucket.Has(bad) || !e.bucket.Has(second) || d.Status != calls.DocumentVerified ||
		!d.ReplacementRejected || d.ReasonKey != calls.ReasonNotPDF || d.Size != int64(len(pdf)+1) {
		t.Errorf("rejected replacement: %s, view %+v", res, d)
	}
	// Keys the portal did not sign are ignored; a stray object under a
	// known candidacy is deleted.
	stray := "candidacies/" + id + "/statuts/zzzzzzzzzzzzzzzz.pdf"
	e.bucket.Upload(stray, pdf)
	for _, k := range []string{"candidacies/../x.pdf", "other/" + id, "candidacies/" + strings.Repeat("0", 26) + "/statuts/0000000000000000.pdf", stray} {
		if res, err := e.svc.CheckUpload(ctx, k); err != nil || res != calls.CheckIgnored {
			t.Errorf("%s: %s %v", k, res, err)
		}
	}
	if e.bucket.Has(stray) {
		t.Errorf("stray object kept")
	}
	// Two deliveries of one event at the same time: one check wins.
	u, err := e.svc.RequestUpload(ctx, id, token, calls.DocumentRequest{Type: "recepisse"})
	if err != nil {
		t.Fatal(err)
	}
	e.bucket.Upload(u.Fields["key"], pdf)
	var wg sync.WaitGroup
	results := make([]calls.CheckResult, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = e.svc.CheckUpload(ctx, u.Fields["key"])
		}()
	}
	wg.Wait()
	slices.Sort(results)
	if got := fmt.Sprint(results); got != "[ignored ignored ignored verified]" || !e.bucket.Has(u.Fields["key"]) {
		t.Errorf("concurrent duplicates: %s, object kept %v", got, e.bucket.Has(u.Fields["key"]))
	}
}

func TestTokenOpensOnlyItsCandidacy(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	call := openCall(t, e, copilInput("copil-2024"))
	a, tokA := apply(t, e, call.ID, application("fr"))
	b, tokB := apply(t, e, call.ID, application("fr"))
	if _, err := e.svc.Open(ctx, a, tokA, i18n.FR); err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, c := range []struct{ id, token string }{{a, tokB}, {b, tokA}, {a, ""}, {a, tokA + "x"}, {"nope", tokA}, {strings.Repeat("z", 26), tokA}} {
		_, err := e.svc.Open(ctx, c.id, c.token, i18n.FR)
		if !apperr.Is(err, apperr.NotFound) {
			t.Errorf("Open(%s, …) = %v, want not found", c.id, err)
		}
		msgs = append(msgs, err.Error())
	}
	sort.Strings(msgs)
	if msgs[0] != msgs[len(msgs)-1] {
		t.Errorf("not-found errors differ: %q", msgs)
	}
}

// TestConcurrentSubmissions: 200 candidacies of one call submitted at once
// get the references 1…200, no gap, no repeat.
func TestConcurrentSubmissions(t *testing.T) {
	const n = 200
	e := newEnv(t)
	ctx := context.Background()
	in := copilInput("copil-2024")
	in.Documents = in.Documents[:1]
	call := openCall(t, e, in)
	type cand struct{ id, token string }
	cands := make([]cand, n)
	for i := range cands {
		id, token := apply(t, e, call.ID, application("fr"))
		uploadDoc(t, e, id, token, "statuts", pdf)
		cands[i] = cand{id, token}
	}
	e.db.Reset()
	start := time.Now()
	refs := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, c := range cands {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sub, err := e.svc.Submit(ctx, c.id, c.token, i18n.FR)
			refs[i], errs[i] = sub.Reference, err
		}()
	}
	wg.Wait()
	t.Logf("%d concurrent submissions in %v, %d transactions", n, time.Since(start), e.db.Transactions())
	// The counter's lease spares the transactions bound to lose: one each.
	if got := e.db.Transactions(); got != n {
		t.Errorf("%d submission transactions, want %d", got, n)
	}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("submission %d: %v", i, err)
		}
	}
	sort.Strings(refs)
	for i, r := range refs {
		if want := fmt.Sprintf("COPIL-2024-%04d", i+1); r != want {
			t.Fatalf("sorted reference %d = %s, want %s (gap or repeat)", i, r, want)
		}
	}
	if got := len(e.sender.SentOfKind(calls.KindReceiptEmail)); got != n {
		t.Errorf("receipts = %d, want %d", got, n)
	}
	list, _, err := e.store.ListCandidacies(ctx, call.ID, calls.CandidacySubmitted, 1000, "")
	if err != nil || len(list) != n {
		t.Errorf("submitted list = %d %v", len(list), err)
	}
}

// TestWorkingGroupCandidacyKeepsItsGroups: a GT candidacy's private view
// names the call's working groups (what the page offers), a save that
// omits the groups keeps those chosen when applying, and an incomplete
// submission names the missing fields in words that point to them.
func TestWorkingGroupCandidacyKeepsItsGroups(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	in := copilInput("gt-2026")
	in.Kind = "gt"
	in.WorkingGroups = []calls.WorkingGroupInput{
		{ID: "transparence", Name: text("Transparence budgétaire", "شفافية الميزانية")},
		{ID: "souss-massa", Name: text("Région Souss-Massa", "جهة سوس ماسة")},
	}
	call := openCall(t, e, in)
	a := application("fr")
	a.WorkingGroups = []string{"souss-massa"}
	id, token := apply(t, e, call.ID, a)

	v, err := e.svc.Open(ctx, id, token, i18n.AR)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Call.WorkingGroups; len(got) != 2 || got[1].ID != "souss-massa" || got[1].Name != "جهة سوس ماسة" {
		t.Errorf("the view's call offers %+v, want both groups named in Arabic", got)
	}
	mot := strings.Repeat("Nous suivons le budget de la région depuis 2018. ", 3)
	v, err = e.svc.Patch(ctx, id, token, calls.CandidacyPatch{Motivation: &mot}, i18n.FR)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.WorkingGroups) != 1 || v.WorkingGroups[0] != "souss-massa" {
		t.Errorf("groups after a save without them = %v, want [souss-massa]", v.WorkingGroups)
	}
	none := []string{}
	if _, err := e.svc.Patch(ctx, id, token, calls.CandidacyPatch{WorkingGroups: &none}, i18n.FR); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Submit(ctx, id, token, i18n.FR)
	if got := strings.Join(fields(err), " "); !strings.Contains(got, "workingGroups:required") {
		t.Errorf("submission without a group: %q, want workingGroups:required", got)
	}
	if p, ok := apperr.As(err); !ok || p.Key != "calls.incomplete" {
		t.Errorf("submission without a group: %v, want calls.incomplete", err)
	}
	if got := i18n.T(i18n.FR, "calls.incomplete", nil); strings.Contains(got, "ci-dessous") {
		t.Errorf("the incomplete message points below: %q", got)
	}
}
