package cocreation

import (
	"time"

	"espaceosc/shared/i18n"
)

// Views are what the API shows: public views in one language (the request's),
// administrators' views with both. Instants are UTC (RFC 3339); days are
// Africa/Casablanca days (YYYY-MM-DD).

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

// TimeZone is the zone of every day shown.
const TimeZone = "Africa/Casablanca"

// PhaseView is one phase of a plan's timeline.
type PhaseView struct {
	Kind     PhaseKind  `json:"kind"`
	Label    string     `json:"label"`
	StartsOn string     `json:"startsOn"`
	EndsOn   string     `json:"endsOn"`
	StartsAt string     `json:"startsAt"`
	EndsAt   string     `json:"endsAt"` // exclusive: the start of the day after EndsOn
	State    PhaseState `json:"state"`
}

// ThemeView is a theme in one language.
type ThemeView struct {
	ID          string `json:"id"`
	Label       string `json:"label"`
	Description string `json:"description,omitempty"`
}

// PlanView is a plan as everyone sees it: its timeline with the current
// phase, as of the service's clock.
type PlanView struct {
	ID                 string      `json:"id"`
	Lang               i18n.Lang   `json:"lang"`
	Title              string      `json:"title"`
	Description        string      `json:"description,omitempty"`
	TimeZone           string      `json:"timeZone"`
	CurrentPhase       PhaseKind   `json:"currentPhase,omitempty"` // none between phases
	AcceptingProposals bool        `json:"acceptingProposals"`
	Phases             []PhaseView `json:"phases"`
	Themes             []ThemeView `json:"themes"`
}

// View returns the plan in lang as of now.
func (p Plan) View(lang i18n.Lang, now time.Time) PlanView {
	v := PlanView{
		ID: p.ID, Lang: lang, Title: p.Title.In(lang), Description: p.Description.In(lang), TimeZone: TimeZone,
		AcceptingProposals: p.acceptsProposals(now) == nil, Phases: []PhaseView{}, Themes: []ThemeView{},
	}
	if cur, ok := p.Current(now); ok {
		v.CurrentPhase = cur.Kind
	}
	for _, ph := range p.Phases {
		v.Phases = append(v.Phases, PhaseView{
			Kind: ph.Kind, Label: PhaseLabels[ph.Kind].In(lang), StartsOn: ph.StartsOn(), EndsOn: ph.EndsOn(),
			StartsAt: rfc3339(ph.Start), EndsAt: rfc3339(ph.End), State: ph.State(now),
		})
	}
	for _, t := range p.Themes {
		v.Themes = append(v.Themes, ThemeView{ID: t.ID, Label: t.Label.In(lang), Description: t.Description.In(lang)})
	}
	return v
}

// AdminPhaseView is a phase as administrators edit it.
type AdminPhaseView struct {
	Kind     PhaseKind  `json:"kind"`
	StartsOn string     `json:"startsOn"`
	EndsOn   string     `json:"endsOn"`
	State    PhaseState `json:"state"`
}

// AdminThemeView is a theme with both languages.
type AdminThemeView struct {
	ID          string    `json:"id"`
	Label       i18n.Text `json:"label"`
	Description i18n.Text `json:"description"`
}

// AdminPlanView is a plan with both languages.
type AdminPlanView struct {
	ID           string           `json:"id"`
	Title        i18n.Text        `json:"title"`
	Description  i18n.Text        `json:"description"`
	CurrentPhase PhaseKind        `json:"currentPhase,omitempty"`
	Phases       []AdminPhaseView `json:"phases"`
	Themes       []AdminThemeView `json:"themes"`
	CreatedAt    string           `json:"createdAt"`
	UpdatedAt    string           `json:"updatedAt"`
}

// AdminView returns the administrators' view of p as of now.
func (p Plan) AdminView(now time.Time) AdminPlanView {
	v := AdminPlanView{
		ID: p.ID, Title: p.Title, Description: p.Description, Phases: []AdminPhaseView{}, Themes: []AdminThemeView{},
		CreatedAt: rfc3339(p.CreatedAt), UpdatedAt: rfc3339(p.UpdatedAt),
	}
	if cur, ok := p.Current(now); ok {
		v.CurrentPhase = cur.Kind
	}
	for _, ph := range p.Phases {
		v.Phases = append(v.Phases, AdminPhaseView{Kind: ph.Kind, StartsOn: ph.StartsOn(), EndsOn: ph.EndsOn(), State: ph.State(now)})
	}
	for _, t := range p.Themes {
		v.Themes = append(v.Themes, AdminThemeView{ID: t.ID, Label: t.Label, Description: t.Description})
	}
	return v
}

// ResponseView is a reasoned response in one language.
type ResponseView struct {
	Outcome       Outcome `json:"outcome"`
	Justification string  `json:"justification"`
	RespondedAt   string  `json:"respondedAt"`
}

// CommitmentRef names a commitment from a proposal.
type CommitmentRef struct {
	ID     string `json:"id"`
	Number int    `json:"number"`
	Title  string `json:"title"`
}

// ProposalView is a published proposal as everyone sees it: no personal
// data (a member organisation's name is not).
type ProposalView struct {
	ID           string         `json:"id"`
	Reference    string         `json:"reference"`
	PlanID       string         `json:"planId"`
	Theme        string         `json:"theme"`
	Title        string         `json:"title"`
	Problem      string         `json:"problem"`
	Solution     string         `json:"solution"`
	Impact       string         `json:"impact"`
	Region       string         `json:"region"`
	RegionLabel  string         `json:"regionLabel"`
	Organisation string         `json:"organisation,omitempty"` // a member organisation's name
	Lang         i18n.Lang      `json:"lang"`                   // of the texts
	Status       Status         `json:"status"`
	StatusLabel  string         `json:"statusLabel"`
	Supports     int            `json:"supports"`
	Response     *ResponseView  `json:"response,omitempty"`
	CommitmentID string         `json:"commitmentId,omitempty"`
	Commitment   *CommitmentRef `json:"commitment,omitempty"` // on a single proposal
	SubmittedAt  string         `json:"submittedAt"`
	PublishedAt  string         `json:"publishedAt,omitempty"`
}

// View returns the public view of p in lang (p must be public to be shown).
func (p Proposal) View(lang i18n.Lang) ProposalView {
	v := ProposalView{
		ID: p.ID, Reference: p.Reference, PlanID: p.PlanID, Theme: p.Theme, Title: p.Title,
		Problem: p.Problem, Solution: p.Solution, Impact: p.Impact, Region: p.Region,
		RegionLabel: RegionLabels[p.Region].In(lang), Lang: p.Lang, Status: p.Status(),
		StatusLabel: StatusLabels[p.Status()].In(lang), Supports: p.Supports, CommitmentID: p.CommitmentID,
		SubmittedAt: rfc3339(p.CreatedAt), PublishedAt: rfc3339(p.PublishedAt),
	}
	if p.MemberOrganisation != nil {
		v.Organisation = p.MemberOrganisation.Name
	}
	if r := p.Response; r != nil {
		v.Response = &ResponseView{Outcome: r.Outcome, Justification: r.Justification.In(lang), RespondedAt: rfc3339(r.At)}
	}
	return v
}

// AuthorView is what the proposer sees through the private link: the
// public view and where moderation stands (not a hiding reason).
type AuthorView struct {
	ProposalView
	Moderation Moderation `json:"moderation"`
}

// ConsentView is a stored consent.
type ConsentView struct {
	At            string `json:"at"`
	NoticeVersion string `json:"noticeVersion"`
}

// ProposerView is the proposer's contact, for administrators.
type ProposerView struct {
	Name         string      `json:"name"`
	Email        string      `json:"email"`
	Organisation string      `json:"organisation,omitempty"`
	Lang         i18n.Lang   `json:"lang"`
	Consent      ConsentView `json:"consent"`
	ExpiresAt    string      `json:"expiresAt"`
}

// ModerationView is the latest moderation decision, for administrators.
type ModerationView struct {
	State  Moderation `json:"state"`
	Reason string     `json:"reason,omitempty"`
	At     string     `json:"at,omitempty"`
	By     string     `json:"by,omitempty"`
}

// AdminResponseView is a response with both languages.
type AdminResponseView struct {
	Outcome       Outcome   `json:"outcome"`
	Justification i18n.Text `json:"justification"`
	RespondedAt   string    `json:"respondedAt"`
	By            string    `json:"by,omitempty"`
}

// MemberOrganisationView is the member organisation a proposer named.
type MemberOrganisationView struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// AdminProposalView is everything about a proposal, for administrators.
type AdminProposalView struct {
	ID                 string                  `json:"id"`
	Reference          string                  `json:"reference"`
	PlanID             string                  `json:"planId"`
	Theme              string                  `json:"theme"`
	Title              string                  `json:"title"`
	Problem            string                  `json:"problem"`
	Solution           string                  `json:"solution"`
	Impact             string                  `json:"impact"`
	Region             string                  `json:"region"`
	Lang               i18n.Lang               `json:"lang"`
	MemberOrganisation *MemberOrganisationView `json:"memberOrganisation,omitempty"`
	Moderation         ModerationView          `json:"moderation"`
	Status             Status                  `json:"status"`
	Response           *AdminResponseView      `json:"response,omitempty"`
	CommitmentID       string                  `json:"commitmentId,omitempty"`
	Supports           int                     `json:"supports"`
	Proposer           *ProposerView           `json:"proposer,omitempty"` // on a single proposal, until it expires
	SubmittedAt        string                  `json:"submittedAt"`
	PublishedAt        string                  `json:"publishedAt,omitempty"`
	UpdatedAt          string                  `json:"updatedAt"`
}

// AdminView returns the administrators' view of p (without its proposer).
func (p Proposal) AdminView() AdminProposalView {
	v := AdminProposalView{
		ID: p.ID, Reference: p.Reference, PlanID: p.PlanID, Theme: p.Theme, Title: p.Title, Problem: p.Problem,
		Solution: p.Solution, Impact: p.Impact, Region: p.Region, Lang: p.Lang,
		Moderation: ModerationView{State: p.Moderation.State, Reason: p.Moderation.Reason, At: rfc3339(p.Moderation.At), By: p.Moderation.By},
		Status:     p.Status(), CommitmentID: p.CommitmentID, Supports: p.Supports,
		SubmittedAt: rfc3339(p.CreatedAt), PublishedAt: rfc3339(p.PublishedAt), UpdatedAt: rfc3339(p.UpdatedAt),
	}
	if m := p.MemberOrganisation; m != nil {
		v.MemberOrganisation = &MemberOrganisationView{ID: m.ID, Name: m.Name}
	}
	if r := p.Response; r != nil {
		v.Response = &AdminResponseView{Outcome: r.Outcome, Justification: r.Justification, RespondedAt: rfc3339(r.At), By: r.By}
	}
	return v
}

// View returns the proposer's contact for administrators.
func (w Proposer) View() *ProposerView {
	return &ProposerView{
		Name: w.Name, Email: w.Email, Organisation: w.Organisation, Lang: w.Lang,
		Consent:   ConsentView{At: rfc3339(w.Consent.At), NoticeVersion: w.Consent.NoticeVersion},
		ExpiresAt: rfc3339(w.ExpiresAt),
	}
}

// Receipt is the answer to a submission.
type Receipt struct {
	ID         string     `json:"id"`
	Reference  string     `json:"reference"`
	Moderation Moderation `json:"moderation"`
}

// SupportReceipt is the answer to a support: a confirmation link was sent.
type SupportReceipt struct {
	ProposalID string `json:"proposalId"`
	ConfirmBy  string `json:"confirmBy"` // when the link stops working
}

// Confirmation is the answer to a support's confirmation.
type Confirmation struct {
	ProposalID string `json:"proposalId"`
	Reference  string `json:"reference"`
	// Counted is false when this address already supported the proposal:
	// the support was counted once, before.
	Counted bool `json:"counted"`
}

// MilestoneView is a milestone in one language.
type MilestoneView struct {
	Title       string          `json:"title"`
	DueOn       string          `json:"dueOn"`
	Status      MilestoneStatus `json:"status"`
	StatusLabel string          `json:"statusLabel"`
}

// CommitmentView is a commitment as everyone sees it; a single commitment
// lists the proposals behind it.
type CommitmentView struct {
	ID              string          `json:"id"`
	PlanID          string          `json:"planId"`
	Number          int             `json:"number"`
	Lang            i18n.Lang       `json:"lang"`
	Title           string          `json:"title"`
	Description     string          `json:"description"`
	LeadInstitution string          `json:"leadInstitution"`
	Milestones      []MilestoneView `json:"milestones"`
	Proposals       []ProposalView  `json:"proposals,omitempty"`
}

// View returns c in lang.
func (c Commitment) View(lang i18n.Lang) CommitmentView {
	v := CommitmentView{
		ID: c.ID, PlanID: c.PlanID, Number: c.Number, Lang: lang, Title: c.Title.In(lang),
		Description: c.Description.In(lang), LeadInstitution: c.LeadInstitution.In(lang), Milestones: []MilestoneView{},
	}
	for _, m := range c.Milestones {
		v.Milestones = append(v.Milestones, MilestoneView{
			Title: m.Title.In(lang), DueOn: m.DueOn, Status: m.Status, StatusLabel: MilestoneStatusLabels[m.Status].In(lang),
		})
	}
	return v
}

// Ref returns how a proposal names c in lang.
func (c Commitment) Ref(lang i18n.Lang) *CommitmentRef {
	return &CommitmentRef{ID: c.ID, Number: c.Number, Title: c.Title.In(lang)}
}

// AdminMilestoneView is a milestone with both languages.
type AdminMilestoneView struct {
	Title  i18n.Text       `json:"title"`
	DueOn  string          `json:"dueOn"`
	Status MilestoneStatus `json:"status"`
}

// AdminCommitmentView is a commitment with both languages and the IDs of the
// proposals behind it.
type AdminCommitmentView struct {
	ID              string               `json:"id"`
	PlanID          string               `json:"planId"`
	Number          int                  `json:"number"`
	Title           i18n.Text            `json:"title"`
	Description     i18n.Text            `json:"description"`
	LeadInstitution i18n.Text            `json:"leadInstitution"`
	Milestones      []AdminMilestoneView `json:"milestones"`
	ProposalIDs     []string             `json:"proposalIds"`
	CreatedAt       string               `json:"createdAt"`
	UpdatedAt       string               `json:"updatedAt"`
}

// AdminView returns the administrators' view of c with the proposals behind it.
func (c Commitment) AdminView(proposals []Proposal) AdminCommitmentView {
	v := AdminCommitmentView{
		ID: c.ID, PlanID: c.PlanID, Number: c.Number, Title: c.Title, Description: c.Description,
		LeadInstitution: c.LeadInstitution, Milestones: []AdminMilestoneView{}, ProposalIDs: []string{},
		CreatedAt: rfc3339(c.CreatedAt), UpdatedAt: rfc3339(c.UpdatedAt),
	}
	for _, m := range c.Milestones {
		v.Milestones = append(v.Milestones, AdminMilestoneView{Title: m.Title, DueOn: m.DueOn, Status: m.Status})
	}
	for _, p := range proposals {
		v.ProposalIDs = append(v.ProposalIDs, p.ID)
	}
	return v
}

func views[T, V any](items []T, view func(T) V) []V {
	out := make([]V, 0, len(items))
	for _, it := range items {
		out = append(out, view(it))
	}
	return out
}
