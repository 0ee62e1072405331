package membership

import (
	"regexp"
	"time"

	"espaceosc/shared/i18n"
)

// GroupKind is what a working group is organised around.
type GroupKind string

const (
	Thematic    GroupKind = "thematic"    // a theme (transparency, integrity…), national
	Territorial GroupKind = "territorial" // a region
)

// GroupKinds lists the kinds.
var GroupKinds = []string{string(Thematic), string(Territorial)}

// GroupStatus is whether a working group takes new members.
type GroupStatus string

const (
	Active GroupStatus = "active"
	Closed GroupStatus = "closed" // listed no more, takes no new member; its page and members stay
)

// GroupStatuses lists the statuses.
var GroupStatuses = []string{string(Active), string(Closed)}

// Group is a working group (groupe de travail, GT).
type Group struct {
	ID        string // a slug, the same kind as the working groups of a GT call (calls.WorkingGroup)
	Kind      GroupKind
	Name      i18n.Text
	Mandate   i18n.Text
	Region    string // territorial groups only: one of morocco.Regions
	Status    GroupStatus
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int
}

// groupIDRe is the slug of a call's working groups (calls.checkSlug):
// lower-case letters and digits, in words joined by one - or _.
var groupIDRe = regexp.MustCompile(`^[a-z0-9]+(?:[-_][a-z0-9]+)*$`)

// ValidGroupID reports whether id could be a working group's ID.
func ValidGroupID(id string) bool {
	return len(id) >= GroupIDMin && len(id) <= GroupIDMax && groupIDRe.MatchString(id)
}

// Source says how an organisation became a member of a working group.
type Source string

const (
	SourceCall    Source = "call"    // selected by a GT call for applications (package calls)
	SourceRequest Source = "request" // its request to join was approved
	SourceAdmin   Source = "admin"   // added by an administrator
)

// Member is an organisation of a working group, as the group's page lists
// it: nothing personal.
type Member struct {
	GroupID        string
	OrganisationID string // a member organisation (SourceRequest, SourceAdmin)
	CandidacyID    string // a GT call's selection (SourceCall)
	CallID         string // the call of a SourceCall member
	Source         Source
	Name           string
	Acronym        string
	City           string
	Region         string
	Since          time.Time
}

// MemberID is the member's ID within its group: the organisation's or,
// for a call's selection, the candidacy's.
func (m Member) MemberID() string {
	if m.Source == SourceCall {
		return m.CandidacyID
	}
	return m.OrganisationID
}

// RequestStatus is where a request to join a working group stands.
type RequestStatus string

const (
	RequestPending  RequestStatus = "pending"
	RequestApproved RequestStatus = "approved"
	RequestDeclined RequestStatus = "declined"
)

// RequestStatuses lists them.
var RequestStatuses = []string{string(RequestPending), string(RequestApproved), string(RequestDeclined)}

// GroupRequest is a member organisation's request to join a working group
// outside a call. There is at most one per organisation and group: a new
// request replaces a decided one.
type GroupRequest struct {
	GroupID        string
	OrganisationID string
	Name           string // the organisation's, for the administrators' list
	Acronym        string
	Motivation     string
	Status         RequestStatus
	Reason         string // given with a decline
	CreatedAt      time.Time
	DecidedAt      time.Time
	ExpiresAt      time.Time // decided + RequestRetention; zero while pending
	Version        int
}
