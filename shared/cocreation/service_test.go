package cocreation_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/cocreation"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/cocreationdb"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/i18n"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"
)

type env struct {
	svc    *cocreation.Service
	store  cocreationdb.Store
	sender *outboxtest.Sender
	now    time.Time
}

// newEnv is the service on minidyn with a plan whose proposals phase runs
// through March 2026 and a clock in it.
func newEnv(t *testing.T) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	e := &env{sender: &outboxtest.Sender{}, now: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)}
	st := ddbstore.New(db, table).WithClock(func() time.Time { return e.now })
	e.store = cocreationdb.New(st)
	e.svc = cocreation.NewService(cocreation.Config{
		Store: e.store, Mailer: outbox.New(st.Outbox(), e.sender, cocreation.Emails, nil),
		PortalOrigin: "https://osc.example/", NoticeVersion: "2026-11-01", Now: func() time.Time { return e.now },
	})
	_, err := e.svc.CreatePlan(context.Background(), cocreation.NewPlan{ID: "pan-2026-2028", PlanInput: cocreation.PlanInput{
		Title: i18n.Text{FR: "PAN 2026-2028", AR: "خطة العمل الوطنية 2026-2028"},
		Phases: []cocreation.PhaseInput{
			{Kind: "preparation", StartsOn: "2026-02-01", EndsOn: "2026-02-28"},
			{Kind: "proposals", StartsOn: "2026-03-01", EndsOn: "2026-03-31"},
			{Kind: "analysis", StartsOn: "2026-04-01", EndsOn: "2026-04-30"},
			{Kind: "adoption", StartsOn: "2026-06-01", EndsOn: "2026-06-30"},
		},
		Themes: []cocreation.ThemeInput{
			{ID: "transparence", Label: i18n.Text{FR: "Transparence budgétaire", AR: "شفافية الميزانية"}},
			{ID: "participation", Label: i18n.Text{FR: "Participation citoyenne", AR: "المشاركة المواطنة"}},
		},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func submission(lang, email string) cocreation.Submission {
	yes := true
	return cocreation.Submission{
		Theme: "transparence", Title: "Budget communal ouvert", Problem: "Les budgets des communes ne sont pas publiés.",
		Solution: "Publier chaque budget en données ouvertes.", Impact: "Un contrôle citoyen des dépenses.",
		Region: "souss-massa", Lang: lang, Consent: &yes,
		Proposer: cocreation.ProposerInput{Name: "Amina Berrada", Email: email, Organisation: "Collectif de quartier"},
	}
}

var tokenRE = regexp.MustCompile(`\?token=([A-Za-z0-9_-]{43})`)

// lastToken is the token of the last email sent to addr.
func (e *env) lastToken(t *testing.T, addr string) string {
	t.Helper()
	sent := e.sender.Sent()
	for i := len(sent) - 1; i >= 0; i-- {
		if sent[i].To == addr {
			m := tokenRE.FindStringSubmatch(sent[i].Text)
			if m == nil {
				t.Fatalf("no token in %s", sent[i].Text)
			}
			return m[1]
		}
	}
	t.Fatalf("no email to %s", addr)
	return ""
}

func (e *env) submitPublished(t *testing.T, lang, email string) cocreation.Receipt {
	t.Helper()
	ctx := context.Background()
	r, err := e.svc.Submit(ctx, "pan-2026-2028", submission(lang, email), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Moderate(ctx, r.ID, cocreation.ModerationInput{Action: cocreation.ActionPublish}, "admin-1"); err != nil {
		t.Fatal(err)
	}
	return r
}

func wantErr(t *testing.T, err error, code apperr.Code, key string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != code || (key != "" && e.Key != key) {
		t.Fatalf("err = %v, want %s %s", err, code, key)
	}
}

func TestSubmitKeepsTheContactApartAndAcknowledges(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r, err := e.svc.Submit(ctx, "pan-2026-2028", submission("ar", " Amina@Example.ORG "), "")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^PAN-2026-[0-9A-HJKMNP-TV-Z]{6}$`).MatchString(r.Reference) || r.Moderation != cocreation.Pending {
		t.Errorf("receipt = %+v", r)
	}
	p, err := e.store.GetProposal(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "Budget communal ouvert" || p.Lang != i18n.AR || p.MemberOrganisation != nil || len(p.TokenHash) != 64 {
		t.Errorf("proposal = %+v", p)
	}
	raw, _ := json.Marshal(p)
	if strings.Contains(strings.ToLower(string(raw)), "amina") || strings.Contains(string(raw), "Collectif") {
		t.Errorf("the proposal record holds personal data: %s", raw)
	}
	who, err := e.store.GetProposer(ctx, r.ID)
	if err != nil || who.Email != "Amina@Example.ORG" || who.Consent.NoticeVersion != "2026-11-01" || !who.Consent.At.Equal(e.now) ||
		!who.ExpiresAt.Equal(e.now.Add(cocreation.ProposerRetention)) || who.Organisation != "Collectif de quartier" {
		t.Errorf("proposer = %+v %v", who, err)
	}
	sent := e.sender.SentOfKind(cocreation.KindAck)
	if len(sent) != 1 || sent[0].Lang != i18n.AR || !strings.Contains(sent[0].Subject, r.Reference) ||
		!strings.Contains(sent[0].Text, "https://osc.example/ar/cocreation/propositions/"+r.ID+"?token=") ||
		!strings.Contains(sent[0].Text, "خطة العمل الوطنية 2026-2028") {
		t.Fatalf("acknowledgement = %+v", sent)
	}
	token := e.lastToken(t, "Amina@Example.ORG")

	// Pending: the proposer sees it through the link, nobody else does.
	v, err := e.svc.Proposal(ctx, r.ID, token, i18n.FR)
	if err != nil || v.Moderation != cocreation.Pending || v.Reference != r.Reference {
		t.Errorf("author view = %+v %v", v, err)
	}
	var msgs []string
	for _, c := range []struct{ id, token string }{{r.ID, ""}, {r.ID, token[:42]}, {strings.Repeat("z", 26), token}, {"../x", ""}} {
		_, err := e.svc.Proposal(ctx, c.id, c.token, i18n.FR)
		wantErr(t, err, apperr.NotFound, "cocreation.proposal_not_found")
		msgs = append(msgs, err.Error())
	}
	for _, m := range msgs[1:] {
		if m != msgs[0] {
			t.Errorf("not-found errors differ: %q vs %q", m, msgs[0])
		}
	}
	if got, _, _ := e.svc.Proposals(ctx, "pan-2026-2028", "", "", i18n.FR, 10, ""); len(got) != 0 {
		t.Errorf("a pending proposal is listed publicly")
	}
}

func TestSubmitRefusals(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cases := []struct {
		name string
		now  time.Time
		plan string
		sub  func() cocreation.Submission
		code apperr.Code
		key  string
	}{
		{"before the proposals phase", time.Date(2026, 2, 28, 22, 59, 0, 0, time.UTC), "pan-2026-2028", func() cocreation.Submission { return submission("fr", "a@example.ma") }, apperr.Conflict, "cocreation.proposals_not_open"},
		{"after it", time.Date(2026, 3, 31, 23, 0, 0, 0, time.UTC), "pan-2026-2028", func() cocreation.Submission { return submission("fr", "a@example.ma") }, apperr.Conflict, "cocreation.proposals_closed"},
		{"unknown plan", e.now, "pan-1999", func() cocreation.Submission { return submission("fr", "a@example.ma") }, apperr.NotFound, "cocreation.plan_not_found"},
		{"theme of no plan", e.now, "pan-2026-2028", func() cocreation.Submission {
			s := submission("fr", "a@example.ma")
			s.Theme = "sante"
			return s
		}, apperr.Invalid, ""},
		{"bad input, even out of the phase", time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), "pan-2026-2028", func() cocreation.Submission {
			s := submission("fr", "not an address")
			return s
		}, apperr.Invalid, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.now = c.now
			_, err := e.svc.Submit(ctx, c.plan, c.sub(), "")
			wantErr(t, err, c.code, c.key)
		})
	}
	e.now = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	all, _, err := e.svc.AdminProposals(ctx, "pan-2026-2028", "", 10, "")
	if err != nil || len(all) != 0 || len(e.sender.Sent()) != 0 {
		t.Errorf("refused submissions stored %d proposals and sent %d emails (%v)", len(all), len(e.sender.Sent()), err)
	}
	// The 409 says when, in French and in Arabic.
	e.now = time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)
	_, err = e.svc.Submit(ctx, "pan-2026-2028", submission("fr", "a@example.ma"), "")
	ae, _ := apperr.As(err)
	if fr, ar := i18n.T(i18n.FR, ae.Key, ae.Params), i18n.T(i18n.AR, ae.Key, ae.Params); !strings.Contains(fr, "du 01/03/2026 au 31/03/2026") || !strings.Contains(ar, "من 01/03/2026 إلى 31/03/2026") {
		t.Errorf("messages: %q / %q", fr, ar)
	}
}

func TestIdempotentSubmission(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.now = time.Date(2026, 3, 31, 22, 50, 0, 0, time.UTC) // ten minutes before the end, Casablanca time
	first, err := e.svc.Submit(ctx, "pan-2026-2028", submission("fr", "a@example.ma"), "key-1")
	if err != nil {
		t.Fatal(err)
	}
	again, err := e.svc.Submit(ctx, "pan-2026-2028", submission("fr", "a@example.ma"), "key-1")
	if err != nil || again != first {
		t.Errorf("retry = %+v %v, want %+v", again, err, first)
	}
	_, err = e.svc.Submit(ctx, "pan-2026-2028", submission("fr", "b@example.ma"), "key-1")
	wantErr(t, err, apperr.Unprocessable, "idempotency_mismatch")
	// A retry after the phase closed still gets its receipt.
	e.now = time.Date(2026, 3, 31, 23, 5, 0, 0, time.UTC)
	late, err := e.svc.Submit(ctx, "pan-2026-2028", submission("fr", "a@example.ma"), "key-1")
	if err != nil || late != first {
		t.Errorf("late retry = %+v %v", late, err)
	}
	all, _, _ := e.svc.AdminProposals(ctx, "pan-2026-2028", "", 10, "")
	if len(all) != 1 || len(e.sender.SentOfKind(cocreation.KindAck)) != 1 {
		t.Errorf("%d proposals, %d acknowledgements; want 1 and 1", len(all), len(e.sender.SentOfKind(cocreation.KindAck)))
	}
}

func TestSupportsAreConfirmedAndCountedOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.submitPublished(t, "fr", "author@example.ma")
	yes := true
	ask := func(email string) (cocreation.SupportReceipt, string) {
		t.Helper()
		rec, err := e.svc.RequestSupport(ctx, r.ID, cocreation.SupportInput{Email: email, Lang: "ar", Consent: &yes})
		if err != nil {
			t.Fatal(err)
		}
		sent := e.sender.SentOfKind(cocreation.KindSupportConfirm)
		m := regexp.MustCompile(`/ar/cocreation/soutiens/([a-z0-9]{26})\?token=([A-Za-z0-9_-]{43})`).FindStringSubmatch(sent[len(sent)-1].Text)
		if m == nil {
			t.Fatalf("no confirmation link in %s", sent[len(sent)-1].Text)
		}
		return rec, m[1] + " " + m[2]
	}
	confirm := func(link string) (cocreation.Confirmation, error) {
		id, token, _ := strings.Cut(link, " ")
		return e.svc.ConfirmSupport(ctx, id, cocreation.ConfirmInput{Token: token})
	}
	rec, link := ask("s1@example.ma")
	if rec.ProposalID != r.ID || rec.ConfirmBy != "2026-03-04T09:30:00Z" {
		t.Errorf("receipt = %+v", rec)
	}
	if v, _ := e.svc.Proposal(ctx, r.ID, "", i18n.FR); v.Supports != 0 {
		t.Errorf("an unconfirmed support counts: %d", v.Supports)
	}
	if c, err := confirm(link); err != nil || !c.Counted || c.Reference != r.Reference {
		t.Fatalf("confirm = %+v %v", c, err)
	}
	if c, err := confirm(link); err != nil || c.Counted {
		t.Errorf("the same link again = %+v %v, want not counted", c, err)
	}
	_, other := ask(" S1@EXAMPLE.MA ")
	if c, err := confirm(other); err != nil || c.Counted {
		t.Errorf("the same address again = %+v %v, want not counted", c, err)
	}
	_, second := ask("s2@example.ma")
	id, token, _ := strings.Cut(second, " ")
	_, err := e.svc.ConfirmSupport(ctx, id, cocreation.ConfirmInput{Token: strings.Repeat("A", 43)})
	wantErr(t, err, apperr.NotFound, "cocreation.support_not_found")
	_, err = e.svc.ConfirmSupport(ctx, strings.Repeat("a", 26), cocreation.ConfirmInput{Token: token})
	wantErr(t, err, apperr.NotFound, "cocreation.support_not_found")
	e.now = e.now.Add(cocreation.ConfirmationValidity)
	_, err = confirm(second)
	wantErr(t, err, apperr.Conflict, "cocreation.support_expired")
	e.now = e.now.Add(-cocreation.ConfirmationValidity)

	v, err := e.svc.Proposal(ctx, r.ID, "", i18n.FR)
	if err != nil || v.Supports != 1 {
		t.Fatalf("supports = %d %v, want 1", v.Supports, err)
	}
	if list, _, _ := e.svc.Proposals(ctx, "pan-2026-2028", "transparence", "awaiting_response", i18n.FR, 10, ""); len(list) != 1 || list[0].Supports != 1 {
		t.Errorf("listing = %+v", list)
	}

	// Hidden: no new support request, and a pending link no longer counts.
	_, third := ask("s3@example.ma")
	if _, err := e.svc.Moderate(ctx, r.ID, cocreation.ModerationInput{Action: cocreation.ActionHide, Reason: "Doublon"}, "admin-1"); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.RequestSupport(ctx, r.ID, cocreation.SupportInput{Email: "s4@example.ma", Lang: "fr", Consent: &yes})
	wantErr(t, err, apperr.NotFound, "cocreation.not_supportable")
	_, err = confirm(third)
	wantErr(t, err, apperr.Conflict, "cocreation.not_supportable")
	if p, _ := e.store.GetProposal(ctx, r.ID); p.Supports != 1 {
		t.Errorf("supports after refusals = %d, want 1", p.Supports)
	}
}

func TestReasonedResponseAndCommitments(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.submitPublished(t, "ar", "author@example.ma")
	just := i18n.Text{FR: "La proposition est fusionnée dans l'engagement sur les budgets.", AR: "تم دمج المقترح في الالتزام المتعلق بالميزانيات."}
	c, err := e.svc.CreateCommitment(ctx, "pan-2026-2028", cocreation.CommitmentInput{
		Number: 3, Title: i18n.Text{FR: "Budgets ouverts", AR: "ميزانيات مفتوحة"}, Description: just,
		LeadInstitution: i18n.Text{FR: "Ministère des Finances", AR: "وزارة المالية"},
		Milestones:      []cocreation.MilestoneInput{{Title: i18n.Text{FR: "Portail", AR: "بوابة"}, DueOn: "2027-06-30", Status: "planned"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// A commitment of another plan, or none, is refused and changes nothing.
	_, err = e.svc.Respond(ctx, r.ID, cocreation.ResponseInput{Outcome: "merged", Justification: just, CommitmentID: strings.Repeat("b", 26)}, "admin-2")
	wantErr(t, err, apperr.Invalid, "")
	v, err := e.svc.Respond(ctx, r.ID, cocreation.ResponseInput{Outcome: "merged", Justification: just, CommitmentID: c.ID}, "admin-2")
	if err != nil || v.Status != cocreation.Status(cocreation.Merged) || v.CommitmentID != c.ID || v.Response.By != "admin-2" {
		t.Fatalf("respond = %+v %v", v, err)
	}
	sent := e.sender.SentOfKind(cocreation.KindResponse)
	if len(sent) != 1 || sent[0].Lang != i18n.AR || !strings.Contains(sent[0].Text, just.AR) || !strings.Contains(sent[0].Text, "الالتزام 3: ميزانيات مفتوحة") ||
		!strings.Contains(sent[0].Text, "مدمج في التزام") || strings.Contains(sent[0].Text, just.FR) {
		t.Fatalf("response email = %+v", sent)
	}
	// The same response again sends nothing.
	if _, err := e.svc.Respond(ctx, r.ID, cocreation.ResponseInput{Outcome: "merged", Justification: just, CommitmentID: c.ID}, "admin-2"); err != nil {
		t.Fatal(err)
	}
	if n := len(e.sender.SentOfKind(cocreation.KindResponse)); n != 1 {
		t.Errorf("response emails = %d, want 1", n)
	}
	// Both ways: the proposal names its commitment, the commitment lists it.
	pv, err := e.svc.Proposal(ctx, r.ID, "", i18n.FR)
	if err != nil || pv.Commitment == nil || pv.Commitment.Number != 3 || pv.Commitment.Title != "Budgets ouverts" || pv.Response.Justification != just.FR {
		t.Errorf("proposal = %+v %v", pv, err)
	}
	cv, err := e.svc.Commitment(ctx, c.ID, i18n.AR)
	if err != nil || len(cv.Proposals) != 1 || cv.Proposals[0].ID != r.ID || cv.Title != "ميزانيات مفتوحة" || cv.Milestones[0].StatusLabel != "مبرمج" {
		t.Errorf("commitment = %+v %v", cv, err)
	}
	// A merged proposal keeps its commitment; a linked one cannot be hidden.
	_, err = e.svc.Unlink(ctx, r.ID)
	wantErr(t, err, apperr.Conflict, "cocreation.unlink_merged")
	_, err = e.svc.Moderate(ctx, r.ID, cocreation.ModerationInput{Action: cocreation.ActionHide, Reason: "Doublon"}, "admin-1")
	wantErr(t, err, apperr.Conflict, "cocreation.hide_linked")
}

func TestOpenDataAndStatisticsHoldNoPersonalData(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r1 := e.submitPublished(t, "fr", "amina.berrada@example.ma")
	member := submission("fr", "youssef@example.ma")
	member.Theme, member.Region = "participation", cocreation.National
	member.Proposer = cocreation.ProposerInput{Name: "Youssef Alami", Email: "youssef@example.ma", Organisation: "Association Tafra", MemberOrganisationID: "org-42"}
	r2, err := e.svc.Submit(ctx, "pan-2026-2028", member, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Moderate(ctx, r2.ID, cocreation.ModerationInput{Action: cocreation.ActionPublish}, "admin-1"); err != nil {
		t.Fatal(err)
	}
	e.submitPublished(t, "fr", "third@example.ma")
	if _, err := e.svc.Submit(ctx, "pan-2026-2028", submission("fr", "pending@example.ma"), ""); err != nil {
		t.Fatal(err)
	}
	just := i18n.Text{FR: "Hors du champ du plan d'action.", AR: "خارج نطاق خطة العمل."}
	if _, err := e.svc.Respond(ctx, r1.ID, cocreation.ResponseInput{Outcome: "not_retained", Justification: just}, "admin-2"); err != nil {
		t.Fatal(err)
	}

	st, err := e.svc.Statistics(ctx, "pan-2026-2028", i18n.FR)
	if err != nil {
		t.Fatal(err)
	}
	if st.Proposals != 3 || st.WithResponse != 1 || st.ResponseShare != 0.3333 || len(st.ByRegion) != 13 || len(st.ByTheme) != 2 || len(st.ByStatus) != 4 {
		t.Errorf("statistics = %+v", st)
	}
	if st.ByTheme[0].ID != "transparence" || st.ByTheme[0].Proposals != 2 || st.ByTheme[0].WithResponse != 1 || st.ByTheme[1].Label != "Participation citoyenne" {
		t.Errorf("by theme = %+v", st.ByTheme)
	}
	for _, c := range st.ByRegion {
		want := map[string]int{"souss-massa": 2, "national": 1}[c.ID]
		if c.Proposals != want {
			t.Errorf("region %s = %d, want %d", c.ID, c.Proposals, want)
		}
	}

	for _, dataset := range []string{"proposals", "commitments", "statistics"} {
		for _, format := range []string{"csv", "json"} {
			f, err := e.svc.OpenData(ctx, "pan-2026-2028", dataset, format)
			if err != nil {
				t.Fatalf("%s.%s: %v", dataset, format, err)
			}
			body := string(f.Body)
			if f.Name != "pan-2026-2028-"+dataset+"."+format {
				t.Errorf("name = %s", f.Name)
			}
			for _, personal := range []string{"@", "Amina", "Berrada", "Youssef", "Alami", "Collectif", "+212"} {
				if strings.Contains(body, personal) {
					t.Errorf("%s.%s contains %q", dataset, format, personal)
				}
			}
			if dataset == "proposals" && (!strings.Contains(body, "Association Tafra") || !strings.Contains(body, r1.Reference) || strings.Contains(body, "pending")) {
				t.Errorf("%s.%s lacks the member organisation or a reference:\n%s", dataset, format, body)
			}
		}
	}
	csv, _ := e.svc.OpenData(ctx, "pan-2026-2028", "proposals", "csv")
	lines := strings.Split(strings.TrimSpace(string(csv.Body)), "\r\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "\uFEFFid,reference,theme,theme_fr") {
		t.Errorf("CSV = %d lines, header %q", len(lines), lines[0])
	}
	var doc struct {
		Dataset string           `json:"dataset"`
		Items   []map[string]any `json:"items"`
	}
	js, _ := e.svc.OpenData(ctx, "pan-2026-2028", "proposals", "")
	if err := json.Unmarshal(js.Body, &doc); err != nil || doc.Dataset != "proposals" || len(doc.Items) != 3 {
		t.Errorf("JSON = %s (%v)", js.Body, err)
	}
	_, err = e.svc.OpenData(ctx, "pan-2026-2028", "emails", "xml")
	if e, ok := apperr.As(err); !ok || len(e.Fields) != 2 {
		t.Errorf("bad dataset and format: %v", err)
	}
	if _, err := e.svc.OpenData(ctx, "pan-1999", "proposals", "csv"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("unknown plan: %v", err)
	}
}

// racing makes the first proposal write lose a race against a support.
type racing struct {
	cocreationdb.Store
	raced bool
}

func (r *racing) UpdateProposal(ctx context.Context, prev, next cocreation.Proposal, w cocreation.Write) error {
	if !r.raced {
		r.raced = true
		if err := r.Store.AddSupport(ctx, prev, cocreation.Support{ProposalID: prev.ID, EmailHash: "h", RequestID: "r"}); err != nil {
			return err
		}
	}
	return r.Store.UpdateProposal(ctx, prev, next, w)
}

func TestAChangeRetriesAfterASupport(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	r := e.submitPublished(t, "fr", "author@example.ma")
	race := &racing{Store: e.store}
	e.svc.Store = race
	v, err := e.svc.Respond(ctx, r.ID, cocreation.ResponseInput{Outcome: "adopted", Justification: i18n.Text{FR: "Retenue pour le plan.", AR: "مقبول في الخطة."}}, "admin-2")
	if err != nil || !race.raced || v.Supports != 1 || v.Status != cocreation.Status(cocreation.Adopted) {
		t.Fatalf("respond after a lost race = %+v %v", v, err)
	}
	list, _, _ := e.svc.Proposals(ctx, "pan-2026-2028", "", "adopted", i18n.FR, 10, "")
	if len(list) != 1 || list[0].Supports != 1 {
		t.Errorf("adopted listing = %+v, want the support counted", list)
	}
	if n := len(e.sender.SentOfKind(cocreation.KindResponse)); n != 1 {
		t.Errorf("response emails = %d", n)
	}
}
