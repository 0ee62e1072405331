package cocreation

import (
	"fmt"
	"regexp"
	"strings"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/secret"
	"espaceosc/shared/validate"
)

var (
	slugRE     = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	opaqueIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
)

// ValidPlanID reports whether id is a well-formed plan ID (a slug).
func ValidPlanID(id string) bool {
	return len(id) >= PlanIDMin && len(id) <= PlanIDMax && slugRE.MatchString(id)
}

// ValidThemeID reports whether id is a well-formed theme ID (a slug).
func ValidThemeID(id string) bool { return len(id) <= ThemeIDMax && slugRE.MatchString(id) }

// ValidID reports whether id is a well-formed proposal, support or
// commitment ID.
func ValidID(id string) bool { return secret.ValidID(id) }

// checkText checks both languages of a text, each required when min > 0.
func checkText(fs *apperr.Fields, field string, t i18n.Text, min, max int, singleLine bool) {
	validate.Text(fs, field+".fr", t.FR, min, max, singleLine)
	validate.Text(fs, field+".ar", t.AR, min, max, singleLine)
}

func trimText(t i18n.Text) i18n.Text {
	return i18n.Text{FR: strings.TrimSpace(t.FR), AR: strings.TrimSpace(t.AR)}
}

// PhaseInput is one phase of a plan in a request body: whole days,
// Casablanca time, both included.
type PhaseInput struct {
	Kind     string `json:"kind"`
	StartsOn string `json:"startsOn"` // YYYY-MM-DD
	EndsOn   string `json:"endsOn"`   // YYYY-MM-DD, the last day
}

// ThemeInput is one theme of a plan in a request body.
type ThemeInput struct {
	ID          string    `json:"id"`
	Label       i18n.Text `json:"label"`
	Description i18n.Text `json:"description"`
}

// PlanInput is the body of PUT /api/admin/cocreation/plans/{id}.
type PlanInput struct {
	Title       i18n.Text    `json:"title"`
	Description i18n.Text    `json:"description"`
	Phases      []PhaseInput `json:"phases"`
	Themes      []ThemeInput `json:"themes"`
}

// NewPlan is the body of POST /api/admin/cocreation/plans: a plan and its ID.
type NewPlan struct {
	ID string `json:"id"`
	PlanInput
}

// Validate checks every field and reports every problem.
func (in PlanInput) Validate() error {
	_, err := in.plan()
	return err
}

// Validate checks every field and reports every problem.
func (in NewPlan) Validate() error {
	_, err := in.plan()
	return err
}

func (in NewPlan) plan() (Plan, error) {
	var fs apperr.Fields
	if validate.Text(&fs, "id", in.ID, PlanIDMin, PlanIDMax, true) && !ValidPlanID(in.ID) {
		fs.Add("id", "cocreation.slug", nil)
	}
	p := in.PlanInput.check(&fs)
	p.ID = in.ID
	return p, fs.Err()
}

func (in PlanInput) plan() (Plan, error) {
	var fs apperr.Fields
	p := in.check(&fs)
	return p, fs.Err()
}

// check validates in into fs and returns the plan it describes (no ID).
func (in PlanInput) check(fs *apperr.Fields) Plan {
	checkText(fs, "title", in.Title, 1, PlanTitleMax, true)
	checkText(fs, "description", in.Description, 0, PlanDescriptionMax, false)
	p := Plan{Title: trimText(in.Title), Description: trimText(in.Description)}

	order := map[PhaseKind]int{}
	for i, k := range PhaseKinds {
		order[k] = i
	}
	switch {
	case len(in.Phases) == 0:
		fs.Add("phases", "required", nil)
	case len(in.Phases) > len(PhaseKinds):
		fs.Add("phases", "cocreation.too_many", map[string]any{"max": len(PhaseKinds)})
	}
	last, prev := -1, Phase{}
	hasProposals := false
	for i, ph := range in.Phases {
		f := fmt.Sprintf("phases[%d]", i)
		kinds := make([]string, len(PhaseKinds))
		for j, k := range PhaseKinds {
			kinds[j] = string(k)
		}
		kindOK := validate.OneOf(fs, f+".kind", ph.Kind, kinds...)
		if kindOK {
			k := PhaseKind(ph.Kind)
			if order[k] <= last {
				fs.Add(f+".kind", "cocreation.phase_order", map[string]any{"order": strings.Join(kinds, ", ")})
				kindOK = false
			} else {
				last = order[k]
			}
			hasProposals = hasProposals || k == ProposalsPhase
		}
		start, okStart := parseDay(ph.StartsOn)
		if !okStart {
			fs.Add(f+".startsOn", "cocreation.day", nil)
		}
		end, okEnd := parseDay(ph.EndsOn)
		if !okEnd {
			fs.Add(f+".endsOn", "cocreation.day", nil)
		}
		if !okStart || !okEnd {
			continue
		}
		if end.Before(start) {
			fs.Add(f+".endsOn", "cocreation.ends_before_start", nil)
			continue
		}
		cur := Phase{Kind: PhaseKind(ph.Kind), Start: start.UTC(), End: nextDay(end).UTC()}
		if !prev.End.IsZero() && cur.Start.Before(prev.End) {
			fs.Add(f+".startsOn", "cocreation.phase_overlap", map[string]any{"day": prev.EndsOn()})
		}
		prev = cur
		if kindOK {
			p.Phases = append(p.Phases, cur)
		}
	}
	if len(in.Phases) > 0 && !hasProposals && !fs.Has("phases") {
		fs.Add("phases", "cocreation.proposals_phase_required", nil)
	}

	switch {
	case len(in.Themes) == 0:
		fs.Add("themes", "required", nil)
	case len(in.Themes) > MaxThemes:
		fs.Add("themes", "cocreation.too_many", map[string]any{"max": MaxThemes})
	}
	seen := map[string]bool{}
	for i, t := range in.Themes {
		f := fmt.Sprintf("themes[%d]", i)
		if validate.Text(fs, f+".id", t.ID, 1, ThemeIDMax, true) {
			switch {
			case !ValidThemeID(t.ID):
				fs.Add(f+".id", "cocreation.slug", nil)
			case seen[t.ID]:
				fs.Add(f+".id", "cocreation.duplicate", nil)
			}
		}
		seen[t.ID] = true
		checkText(fs, f+".label", t.Label, 1, ThemeLabelMax, true)
		checkText(fs, f+".description", t.Description, 0, ThemeDescriptionMax, false)
		p.Themes = append(p.Themes, Theme{ID: t.ID, Label: trimText(t.Label), Description: trimText(t.Description)})
	}
	return p
}

// ProposerInput is who submits a proposal.
type ProposerInput struct {
	Name         string `json:"name"`
	Email        string `json:"email"`
	Organisation string `json:"organisation,omitempty"`
	// MemberOrganisationID names a member organisation of the space the
	// proposer speaks for (its name is Organisation, as given).
	MemberOrganisationID string `json:"memberOrganisationId,omitempty"`
}

// Submission is the body of POST /api/cocreation/plans/{id}/proposals.
type Submission struct {
	Theme    string        `json:"theme"`
	Title    string        `json:"title"`
	Problem  string        `json:"problem"`
	Solution string        `json:"solution"`
	Impact   string        `json:"impact"`
	Region   string        `json:"region"`
	Proposer ProposerInput `json:"proposer"`
	Lang     string        `json:"lang"`
	Consent  *bool         `json:"consent"`
}

// Validate checks every field on its own (the theme against the plan is
// checked once the plan is read) and reports every problem.
func (s Submission) Validate() error {
	var fs apperr.Fields
	if validate.Text(&fs, "theme", s.Theme, 1, ThemeIDMax, true) && !ValidThemeID(s.Theme) {
		fs.Add("theme", "cocreation.unknown_theme", nil)
	}
	validate.Text(&fs, "title", s.Title, TitleMin, TitleMax, true)
	validate.Text(&fs, "problem", s.Problem, ProblemMin, ProblemMax, false)
	validate.Text(&fs, "solution", s.Solution, SolutionMin, SolutionMax, false)
	validate.Text(&fs, "impact", s.Impact, ImpactMin, ImpactMax, false)
	validate.OneOf(&fs, "region", s.Region, Regions...)
	validate.Text(&fs, "proposer.name", s.Proposer.Name, NameMin, NameMax, true)
	validate.Email(&fs, "proposer.email", s.Proposer.Email)
	validate.Text(&fs, "proposer.organisation", s.Proposer.Organisation, 0, OrganisationMax, true)
	if id := s.Proposer.MemberOrganisationID; id != "" {
		if len(id) > MemberOrganisationIDMax || !opaqueIDRE.MatchString(id) {
			fs.Add("proposer.memberOrganisationId", "format", nil)
		}
		if strings.TrimSpace(s.Proposer.Organisation) == "" && !fs.Has("proposer.organisation") {
			fs.Add("proposer.organisation", "cocreation.member_name_required", nil)
		}
	}
	validate.Lang(&fs, "lang", s.Lang)
	if s.Consent == nil || !*s.Consent {
		fs.Add("consent", "consent", nil)
	}
	return fs.Err()
}

// normalized trims the texts of a valid submission.
func (s Submission) normalized() Submission {
	s.Title = strings.TrimSpace(s.Title)
	s.Problem = strings.TrimSpace(s.Problem)
	s.Solution = strings.TrimSpace(s.Solution)
	s.Impact = strings.TrimSpace(s.Impact)
	s.Proposer.Name = strings.TrimSpace(s.Proposer.Name)
	s.Proposer.Email = strings.TrimSpace(s.Proposer.Email)
	s.Proposer.Organisation = strings.TrimSpace(s.Proposer.Organisation)
	return s
}

// SupportInput is the body of POST /api/cocreation/proposals/{id}/supports.
type SupportInput struct {
	Email   string `json:"email"`
	Lang    string `json:"lang"`
	Consent *bool  `json:"consent"`
}

// Validate checks every field and reports every problem.
func (in SupportInput) Validate() error {
	var fs apperr.Fields
	validate.Email(&fs, "email", in.Email)
	validate.Lang(&fs, "lang", in.Lang)
	if in.Consent == nil || !*in.Consent {
		fs.Add("consent", "consent", nil)
	}
	return fs.Err()
}

// ConfirmInput is the body of POST /api/cocreation/supports/{id}/confirmation.
type ConfirmInput struct {
	Token string `json:"token"`
}

// Moderation actions.
const (
	ActionPublish = "publish"
	ActionHide    = "hide"
)

// ModerationInput is the body of POST /api/admin/cocreation/proposals/{id}/moderation.
type ModerationInput struct {
	Action string `json:"action"`
	Reason string `json:"reason,omitempty"` // required to hide
}

// Validate checks the input on its own.
func (in ModerationInput) Validate() error {
	var fs apperr.Fields
	if validate.OneOf(&fs, "action", in.Action, ActionPublish, ActionHide) {
		switch in.Action {
		case ActionHide:
			validate.Text(&fs, "reason", in.Reason, ReasonMin, ReasonMax, false)
		case ActionPublish:
			if strings.TrimSpace(in.Reason) != "" {
				fs.Add("reason", "cocreation.reason_only_to_hide", nil)
			}
		}
	}
	return fs.Err()
}

// ResponseInput is the body of PUT /api/admin/cocreation/proposals/{id}/response.
type ResponseInput struct {
	Outcome       string    `json:"outcome"`
	Justification i18n.Text `json:"justification"`
	// CommitmentID links the proposal to a commitment of its plan: required
	// when merged, allowed when adopted, refused when not retained.
	CommitmentID string `json:"commitmentId,omitempty"`
}

// Validate checks the input on its own (not against the proposal).
func (in ResponseInput) Validate() error {
	var fs apperr.Fields
	validate.OneOf(&fs, "outcome", in.Outcome, Outcomes...)
	checkText(&fs, "justification", in.Justification, JustificationMin, JustificationMax, false)
	switch {
	case in.CommitmentID != "" && !ValidID(in.CommitmentID):
		fs.Add("commitmentId", "cocreation.unknown_commitment", nil)
	case in.Outcome == string(Merged) && in.CommitmentID == "":
		fs.Add("commitmentId", "cocreation.merged_needs_commitment", nil)
	case in.Outcome == string(NotRetained) && in.CommitmentID != "":
		fs.Add("commitmentId", "cocreation.not_retained_no_commitment", nil)
	}
	return fs.Err()
}

// LinkInput is the body of PUT /api/admin/cocreation/proposals/{id}/commitment.
type LinkInput struct {
	CommitmentID string `json:"commitmentId"`
}

// Validate checks the input on its own.
func (in LinkInput) Validate() error {
	var fs apperr.Fields
	if in.CommitmentID == "" {
		fs.Add("commitmentId", "required", nil)
	} else if !ValidID(in.CommitmentID) {
		fs.Add("commitmentId", "cocreation.unknown_commitment", nil)
	}
	return fs.Err()
}

// MilestoneInput is one milestone of a commitment in a request body.
type MilestoneInput struct {
	Title  i18n.Text `json:"title"`
	DueOn  string    `json:"dueOn"` // YYYY-MM-DD
	Status string    `json:"status"`
}

// CommitmentInput is the body of POST /api/admin/cocreation/plans/{id}/commitments
// and PUT /api/admin/cocreation/commitments/{id}.
type CommitmentInput struct {
	Number          int              `json:"number"`
	Title           i18n.Text        `json:"title"`
	Description     i18n.Text        `json:"description"`
	LeadInstitution i18n.Text        `json:"leadInstitution"`
	Milestones      []MilestoneInput `json:"milestones"`
}

// Validate checks every field and reports every problem.
func (in CommitmentInput) Validate() error {
	_, err := in.commitment()
	return err
}

func (in CommitmentInput) commitment() (Commitment, error) {
	var fs apperr.Fields
	if in.Number < 1 || in.Number > CommitmentNumberMax {
		fs.Add("number", "range", map[string]any{"min": 1, "max": CommitmentNumberMax})
	}
	checkText(&fs, "title", in.Title, 1, CommitmentTitleMax, true)
	checkText(&fs, "description", in.Description, 1, CommitmentDescriptionMax, false)
	checkText(&fs, "leadInstitution", in.LeadInstitution, 1, InstitutionMax, true)
	if len(in.Milestones) > MaxMilestones {
		fs.Add("milestones", "cocreation.too_many", map[string]any{"max": MaxMilestones})
	}
	c := Commitment{
		Number: in.Number, Title: trimText(in.Title), Description: trimText(in.Description),
		LeadInstitution: trimText(in.LeadInstitution), Milestones: []Milestone{},
	}
	for i, m := range in.Milestones {
		f := fmt.Sprintf("milestones[%d]", i)
		checkText(&fs, f+".title", m.Title, 1, MilestoneTitleMax, true)
		if _, ok := parseDay(m.DueOn); !ok {
			fs.Add(f+".dueOn", "cocreation.day", nil)
		}
		validate.OneOf(&fs, f+".status", m.Status, MilestoneStatuses...)
		c.Milestones = append(c.Milestones, Milestone{Title: trimText(m.Title), DueOn: m.DueOn, Status: MilestoneStatus(m.Status)})
	}
	return c, fs.Err()
}
