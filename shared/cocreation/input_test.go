package cocreation

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
)

// fields lists the fields of a validation error, in order.
func fields(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.Invalid {
		t.Fatalf("error %v is not Invalid", err)
	}
	var fs []string
	for _, f := range e.Fields {
		fs = append(fs, f.Field)
	}
	return strings.Join(fs, ",")
}

func validSubmission() Submission {
	yes := true
	return Submission{
		Theme: "transparence", Title: "  Budget communal ouvert  ",
		Problem:  "Les budgets des communes ne sont pas publiés à temps.",
		Solution: "Publier chaque budget communal en données ouvertes.", Impact: "Un contrôle citoyen des dépenses.",
		Region: "souss-massa", Lang: "fr", Consent: &yes,
		Proposer: ProposerInput{Name: "Amina Berrada", Email: " Amina@Example.ORG "},
	}
}

func TestSubmissionValidate(t *testing.T) {
	no := false
	cases := []struct {
		name   string
		change func(*Submission)
		want   string
	}{
		{"valid", func(*Submission) {}, ""},
		{"national is a region", func(s *Submission) { s.Region = National }, ""},
		{"member organisation with its name", func(s *Submission) {
			s.Proposer.MemberOrganisationID, s.Proposer.Organisation = "org_42-b", "Association Tafra"
		}, ""},
		{"everything wrong", func(s *Submission) {
			*s = Submission{Theme: "Pas un slug", Title: "abc", Problem: "court", Solution: "court", Impact: "x",
				Region: "paris", Lang: "en", Proposer: ProposerInput{Name: "A", Email: "nope", Organisation: "a\nb"}}
		}, "theme,title,problem,solution,impact,region,proposer.name,proposer.email,proposer.organisation,lang,consent"},
		{"member organisation without a name", func(s *Submission) { s.Proposer.MemberOrganisationID = "org-42" }, "proposer.organisation"},
		{"member organisation ID with spaces", func(s *Submission) {
			s.Proposer.MemberOrganisationID, s.Proposer.Organisation = "org 42", "Tafra"
		}, "proposer.memberOrganisationId"},
		{"consent refused", func(s *Submission) { s.Consent = &no }, "consent"},
		{"title on two lines", func(s *Submission) { s.Title = "Budget\nouvert" }, "title"},
		{"arabic lengths count characters", func(s *Submission) { s.Title = strings.Repeat("ب", TitleMax) }, ""},
		{"title too long", func(s *Submission) { s.Title = strings.Repeat("ب", TitleMax+1) }, "title"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := validSubmission()
			c.change(&s)
			if got := fields(t, s.Validate()); got != c.want {
				t.Errorf("fields = %q, want %q", got, c.want)
			}
		})
	}
}

func validPlan() NewPlan {
	return NewPlan{ID: "pan-2026-2028", PlanInput: PlanInput{
		Title: i18n.Text{FR: "PAN 2026-2028", AR: "خطة العمل الوطنية 2026-2028"},
		Phases: []PhaseInput{
			{Kind: "preparation", StartsOn: "2026-01-05", EndsOn: "2026-01-31"},
			{Kind: "proposals", StartsOn: "2026-02-01", EndsOn: "2026-03-15"},
			{Kind: "analysis", StartsOn: "2026-03-16", EndsOn: "2026-04-30"},
		},
		Themes: []ThemeInput{{ID: "transparence", Label: i18n.Text{FR: "Transparence", AR: "الشفافية"}}},
	}}
}

func TestPlanValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(*NewPlan)
		want   string
	}{
		{"valid", func(*NewPlan) {}, ""},
		{"missing everything", func(p *NewPlan) { *p = NewPlan{} }, "id,title.fr,title.ar,phases,themes"},
		{"bad id", func(p *NewPlan) { p.ID = "PAN 2026" }, "id"},
		{"unknown phase", func(p *NewPlan) { p.Phases[0].Kind = "voting" }, "phases[0].kind"},
		{"phases out of order", func(p *NewPlan) {
			p.Phases[0], p.Phases[1] = p.Phases[1], p.Phases[0]
		}, "phases[1].kind,phases[1].startsOn"},
		{"a phase twice", func(p *NewPlan) {
			p.Phases[2] = PhaseInput{Kind: "proposals", StartsOn: "2026-05-01", EndsOn: "2026-05-02"}
		}, "phases[2].kind"},
		{"overlapping phases", func(p *NewPlan) { p.Phases[1].StartsOn = "2026-01-31" }, "phases[1].startsOn"},
		{"a phase of one day", func(p *NewPlan) { p.Phases[1].EndsOn = "2026-02-01" }, ""},
		{"ends before it starts", func(p *NewPlan) { p.Phases[1].EndsOn = "2026-01-31" }, "phases[1].endsOn"},
		{"not a day", func(p *NewPlan) { p.Phases[1].StartsOn, p.Phases[1].EndsOn = "01/02/2026", "2026-02-30" }, "phases[1].startsOn,phases[1].endsOn"},
		{"no proposals phase", func(p *NewPlan) { p.Phases = p.Phases[:1] }, "phases"},
		{"duplicate theme", func(p *NewPlan) { p.Themes = append(p.Themes, p.Themes[0]) }, "themes[1].id"},
		{"theme without an Arabic label", func(p *NewPlan) { p.Themes[0].Label.AR = "" }, "themes[0].label.ar"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := validPlan()
			p.Phases = append([]PhaseInput{}, p.Phases...)
			p.Themes = append([]ThemeInput{}, p.Themes...)
			c.change(&p)
			if got := fields(t, p.Validate()); got != c.want {
				t.Errorf("fields = %q, want %q", got, c.want)
			}
		})
	}
	p, err := validPlan().plan()
	if err != nil {
		t.Fatal(err)
	}
	// Days are whole Casablanca days: 2026-02-01 00:00 in Casablanca (UTC+1)
	// is 2026-01-31 23:00 UTC; the phase ends at the start of 2026-03-16.
	ph := p.Phases[1]
	if got := ph.Start.Format("2006-01-02T15:04Z07:00"); got != "2026-01-31T23:00Z" {
		t.Errorf("start = %s", got)
	}
	if ph.StartsOn() != "2026-02-01" || ph.EndsOn() != "2026-03-15" {
		t.Errorf("days = %s..%s", ph.StartsOn(), ph.EndsOn())
	}
}

func TestResponseAndModerationValidate(t *testing.T) {
	just := i18n.Text{FR: "La proposition rejoint l'engagement 3.", AR: "ينضم المقترح إلى الالتزام 3."}
	commit := "abcdefghjkmnpqrstvwxyz0123"
	cases := []struct {
		name string
		in   interface{ Validate() error }
		want string
	}{
		{"adopted", ResponseInput{Outcome: "adopted", Justification: just}, ""},
		{"adopted into a commitment", ResponseInput{Outcome: "adopted", Justification: just, CommitmentID: commit}, ""},
		{"merged needs its commitment", ResponseInput{Outcome: "merged", Justification: just}, "commitmentId"},
		{"merged", ResponseInput{Outcome: "merged", Justification: just, CommitmentID: commit}, ""},
		{"not retained has no commitment", ResponseInput{Outcome: "not_retained", Justification: just, CommitmentID: commit}, "commitmentId"},
		{"justification in both languages", ResponseInput{Outcome: "not_retained", Justification: i18n.Text{FR: just.FR}}, "justification.ar"},
		{"unknown outcome", ResponseInput{Outcome: "accepted", Justification: just}, "outcome"},
		{"malformed commitment", ResponseInput{Outcome: "adopted", Justification: just, CommitmentID: "../x"}, "commitmentId"},
		{"publish", ModerationInput{Action: "publish"}, ""},
		{"publish with a reason", ModerationInput{Action: "publish", Reason: "Parce que"}, "reason"},
		{"hide needs a reason", ModerationInput{Action: "hide"}, "reason"},
		{"hide", ModerationInput{Action: "hide", Reason: "Propos injurieux"}, ""},
		{"unknown action", ModerationInput{Action: "delete"}, "action"},
		{"link", LinkInput{CommitmentID: commit}, ""},
		{"link nothing", LinkInput{}, "commitmentId"},
		{"commitment", CommitmentInput{Number: 1, Title: just, Description: just, LeadInstitution: just,
			Milestones: []MilestoneInput{{Title: just, DueOn: "2027-06-30", Status: "planned"}}}, ""},
		{"commitment wrong", CommitmentInput{Number: 1000, Title: just,
			Milestones: []MilestoneInput{{Title: just, DueOn: "30/06/2027", Status: "late"}}},
			"number,description.fr,description.ar,leadInstitution.fr,leadInstitution.ar,milestones[0].dueOn,milestones[0].status"},
		{"support", SupportInput{Email: "a@example.ma", Lang: "ar", Consent: new(bool)}, "consent"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := fields(t, c.in.Validate()); got != c.want {
				t.Errorf("fields = %q, want %q", got, c.want)
			}
		})
	}
}

// Every message key the package names is in the catalog, in French and in
// Arabic.
func TestMessagesInBothLanguages(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	keyRE := regexp.MustCompile(`"(cocreation\.[a-z_]+)"`)
	seen := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			if strings.HasPrefix(m[1], "cocreation.proposal_ack") || strings.HasPrefix(m[1], "cocreation.support_confirm") ||
				m[1] == "cocreation.response" || m[1] == "cocreation.submit" {
				continue // email kinds and the idempotency scope, not messages
			}
			seen[m[1]] = true
		}
	}
	if len(seen) < 20 {
		t.Fatalf("found only %d message keys", len(seen))
	}
	for k := range seen {
		fr, ar := i18n.T(i18n.FR, k, nil), i18n.T(i18n.AR, k, nil)
		if !i18n.Has(k) || fr == ar || !regexp.MustCompile(`[\p{Arabic}]`).MatchString(ar) {
			t.Errorf("%s: fr %q ar %q", k, fr, ar)
		}
	}
}
