// Package cocreation is the co-creation of national action plans ("Participation
// à la cocréation des plans d'action nationaux"): administrators set up a plan
// (« PAN 2026-2028 ») with its phases and themes; during its proposals phase
// anyone submits a proposal and receives a private link by email; moderators
// publish or hide proposals; people support published proposals (one support
// per confirmed address); every proposal gets a reasoned response (adopted,
// merged into a commitment, not retained: OGP's standard) that is published
// and emailed to its author; the plan's commitments name the proposals behind
// them; the published proposals, responses, commitments and statistics are
// open data without personal data.
//
// Personal data (loi 09-08) is kept apart from what is published: a
// proposal's content and its proposer's contact are two records, the contact
// expiring ProposerRetention after submission while the published content
// stays; supports keep only a hash of the address.
package cocreation

import (
	"fmt"
	"io"
	"time"

	"espaceosc/shared/i18n"
	"espaceosc/shared/secret"
)

// Field limits (characters).
const (
	PlanIDMin, PlanIDMax     = 3, 80
	ThemeIDMax               = 40
	PlanTitleMax             = 200
	PlanDescriptionMax       = 3000
	ThemeLabelMax            = 120
	ThemeDescriptionMax      = 500
	MaxThemes                = 30
	TitleMin, TitleMax       = 5, 200
	ProblemMin, ProblemMax   = 20, 3000
	SolutionMin, SolutionMax = 20, 3000
	ImpactMin, ImpactMax     = 10, 2000
	NameMin, NameMax         = 2, 120
	OrganisationMax          = 200
	MemberOrganisationIDMax  = 64
	ReasonMin, ReasonMax     = 3, 1000
	JustificationMin         = 10
	JustificationMax         = 3000
	CommitmentTitleMax       = 300
	CommitmentDescriptionMax = 5000
	InstitutionMax           = 200
	MilestoneTitleMax        = 300
	MaxMilestones            = 20
	CommitmentNumberMax      = 999
	TokenMax                 = 100
)

// Retention of personal data (loi 09-08).
const (
	// ProposerRetention is how long a proposer's contact (name, address,
	// organisation, consent) is kept after submission, as observations.
	ProposerRetention = 3 * 365 * 24 * time.Hour
	// ConfirmationValidity is how long a support's confirmation link works;
	// the unconfirmed request (with its address) is deleted after it.
	ConfirmationValidity = 48 * time.Hour
	// SupportRetention is how long a confirmed support (the hash of the
	// address, never the address) is kept after the end of the plan's
	// adoption phase (or of its last phase if it has none), as the plan's
	// dates stood when the support was asked for: long enough to answer a
	// dispute about the counts of the adopted plan. The counts themselves
	// are not personal data and stay.
	SupportRetention = 365 * 24 * time.Hour
)

// Plan is a national action plan under co-creation.
type Plan struct {
	ID          string // a slug, e.g. pan-2026-2028
	Title       i18n.Text
	Description i18n.Text
	Phases      []Phase // in the order of PhaseKinds, not overlapping
	Themes      []Theme
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Version     int
}

// Theme is one theme proposals are filed under.
type Theme struct {
	ID          string
	Label       i18n.Text
	Description i18n.Text
}

// Theme returns the plan's theme id.
func (p Plan) Theme(id string) (Theme, bool) {
	for _, t := range p.Themes {
		if t.ID == id {
			return t, true
		}
	}
	return Theme{}, false
}

// Moderation is whether a proposal is public.
type Moderation string

const (
	Pending   Moderation = "pending"   // received, not yet moderated
	Published Moderation = "published" // public
	Hidden    Moderation = "hidden"    // kept for the record, not public
)

// Moderations lists every moderation state.
var Moderations = []string{string(Pending), string(Published), string(Hidden)}

// Outcome is the reasoned response's decision (OGP).
type Outcome string

const (
	Adopted     Outcome = "adopted"      // taken up as (part of) a commitment
	Merged      Outcome = "merged"       // merged into a named commitment
	NotRetained Outcome = "not_retained" // not retained, with the reason why
)

// Outcomes lists every outcome.
var Outcomes = []string{string(Adopted), string(Merged), string(NotRetained)}

// Status is where a published proposal stands for the public: awaiting a
// response, or the response's outcome.
type Status string

// AwaitingResponse is the status of a proposal without a response yet.
const AwaitingResponse Status = "awaiting_response"

// Statuses lists every public status.
var Statuses = []string{string(AwaitingResponse), string(Adopted), string(Merged), string(NotRetained)}

// ModerationRecord is the latest moderation decision.
type ModerationRecord struct {
	State  Moderation
	Reason string // why it was hidden: for the record, never public
	At     time.Time
	By     string // the administrator's subject (an ID)
}

// Response is the reasoned response to a proposal.
type Response struct {
	Outcome       Outcome
	Justification i18n.Text
	At            time.Time
	By            string
}

// MemberOrganisation is the member organisation a proposer speaks for, as
// given (the membership capability is not consulted): its name is public.
type MemberOrganisation struct {
	ID   string
	Name string
}

// Proposal is a proposal's content and state: what may be published. Its
// proposer's contact is a Proposer.
type Proposal struct {
	ID                 string
	Reference          string // PAN-<year>-<6 chars>, quoted to the proposer
	PlanID             string
	Theme              string
	Title              string
	Problem            string
	Solution           string
	Impact             string
	Region             string
	MemberOrganisation *MemberOrganisation
	Lang               i18n.Lang // of the texts and of the proposer's emails
	Moderation         ModerationRecord
	Response           *Response
	CommitmentID       string // the commitment it is part of, if linked
	Supports           int    // confirmed supports
	TokenHash          string // SHA-256 of the private link's token
	CreatedAt          time.Time
	PublishedAt        time.Time // first publication
	UpdatedAt          time.Time
	Version            int // moved on by every change but a support
}

// Public reports whether the proposal is published.
func (p Proposal) Public() bool { return p.Moderation.State == Published }

// Status is the proposal's public status.
func (p Proposal) Status() Status {
	if p.Response == nil {
		return AwaitingResponse
	}
	return Status(p.Response.Outcome)
}

// TokenMatches reports, in constant time, whether token opens p's private link.
func (p Proposal) TokenMatches(token string) bool { return secret.Matches(token, p.TokenHash) }

// Consent is the loi 09-08 consent given with a form.
type Consent struct {
	At            time.Time
	NoticeVersion string
}

// Proposer is who submitted a proposal: personal data, kept
// ProposerRetention.
type Proposer struct {
	ProposalID   string
	Name         string
	Email        string
	Organisation string // as given, organisation or not
	Lang         i18n.Lang
	Consent      Consent
	ExpiresAt    time.Time
}

// SupportRequest is an unconfirmed support: the address it waits on, until
// the confirmation link is used or expires.
type SupportRequest struct {
	ID         string
	ProposalID string
	PlanID     string
	Email      string
	Lang       i18n.Lang
	Consent    Consent
	TokenHash  string
	CreatedAt  time.Time
	ExpiresAt  time.Time // the link's end (ConfirmationValidity)
	// SupportExpiresAt is the retention of the support once confirmed.
	SupportExpiresAt time.Time
}

// TokenMatches reports, in constant time, whether token confirms r.
func (r SupportRequest) TokenMatches(token string) bool { return secret.Matches(token, r.TokenHash) }

// Support is one confirmed support: one per address and proposal.
type Support struct {
	ProposalID  string
	EmailHash   string // secret.EmailHash of the address; the address is not kept
	RequestID   string
	Consent     Consent
	ConfirmedAt time.Time
	ExpiresAt   time.Time
}

// MilestoneStatus is where a milestone of a commitment stands.
type MilestoneStatus string

// MilestoneStatuses lists every milestone status.
var MilestoneStatuses = []string{"planned", "in_progress", "done", "delayed"}

// Milestone is one dated step of a commitment.
type Milestone struct {
	Title  i18n.Text
	DueOn  string // YYYY-MM-DD, Casablanca
	Status MilestoneStatus
}

// Commitment is one commitment of a plan.
type Commitment struct {
	ID              string
	PlanID          string
	Number          int // its number in the plan (Engagement 3)
	Title           i18n.Text
	Description     i18n.Text
	LeadInstitution i18n.Text
	Milestones      []Milestone
	CreatedAt       time.Time
	UpdatedAt       time.Time
	Version         int
}

// newReference returns a reference such as PAN-2026-7KQ4M9 (the year of
// submission, Casablanca time).
func newReference(r io.Reader, now time.Time) (string, error) {
	s, err := secret.Base32(r, 6)
	return fmt.Sprintf("PAN-%d-%s", now.In(i18n.Casablanca).Year(), s), err
}
