// Package membership is the membership of the civil-society space and its
// working groups (« Cet espace est ouvert à toutes les organisations de la
// société civile intéressées… »):
//
//   - an organisation asks to join the space; its contact confirms the
//     address through the private link of the email (an unconfirmed request
//     expires after ConfirmWithin), administrators approve or decline it
//     (an email either way), and an approved organisation is listed in the
//     public directory (name, acronym, city, region, themes: nothing
//     personal), which is filtered by region, by theme or both;
//   - with its private link, a member organisation updates its details,
//     asks to join a working group, or leaves (it disappears from the
//     directory and from its groups, and its data is deleted);
//   - administrators manage the thematic and territorial working groups,
//     add member organisations to them and decide the requests to join
//     them; the selected candidacies of a GT call (package calls) are
//     members of the group whose ID they name, read from the items the
//     calls capability writes (docs/data.md).
//
// It holds the entities, their validation and rules, the views, the
// messages, the emails, the service and the Store it needs; it imports no
// AWS package (ddbstore/membershipdb implements Store).
package membership

import (
	"time"

	"espaceosc/shared/i18n"
	"espaceosc/shared/secret"
)

// Status is where a membership stands.
type Status string

const (
	// Unconfirmed: requested, the contact has not yet confirmed the address.
	Unconfirmed Status = "unconfirmed"
	// Pending: confirmed, waiting for the administrators' decision.
	Pending Status = "pending"
	// Approved: a member organisation, listed in the directory.
	Approved Status = "approved"
	// Declined: refused by the administrators (with an optional reason).
	Declined Status = "declined"
)

// Statuses lists every status.
var Statuses = []string{string(Unconfirmed), string(Pending), string(Approved), string(Declined)}

// LegalForms of member organisations.
var LegalForms = []string{"association", "federation", "network", "foundation", "cooperative"}

// Field limits (characters unless said otherwise).
const (
	NameMin, NameMax                 = 2, 200
	AcronymMax                       = 30
	RegistrationMin, RegistrationMax = 1, 60
	CityMin, CityMax                 = 2, 100
	ContactNameMin, ContactNameMax   = 2, 120
	MaxThemes                        = 8
	ReasonMax                        = 1000
	MotivationMax                    = 2000
	GroupNameMin, GroupNameMax       = 3, 200
	MandateMax                       = 5000
	GroupIDMin, GroupIDMax           = 1, 60
	// MaxGroups bounds the working groups one organisation belongs to
	// through its membership (every change of the organisation rewrites its
	// group entries in one transaction).
	MaxGroups = 20
)

// Retention of personal data (loi 09-08). An approved membership is kept
// as long as the organisation is a member and deleted, with everything it
// wrote, when it leaves.
const (
	// ConfirmWithin is how long an unconfirmed request (and its link) lives.
	ConfirmWithin = 7 * 24 * time.Hour
	// PendingRetention is how long a confirmed request nobody decided is kept.
	PendingRetention = 365 * 24 * time.Hour
	// DeclinedRetention is how long a declined request is kept after the
	// decision (so that its contact can read the reason).
	DeclinedRetention = 365 * 24 * time.Hour
	// RequestRetention is how long a decided request to join a working
	// group is kept after the decision.
	RequestRetention = 365 * 24 * time.Hour
)

// Organisation is what the directory shows of a member (RegistrationNumber
// and LegalForm excepted, which only administrators see).
type Organisation struct {
	Name               string
	Acronym            string
	LegalForm          string // one of LegalForms
	RegistrationNumber string // the récépissé number
	Region             string // one of morocco.Regions
	City               string
}

// Contact is the person who speaks for the organisation: personal data,
// never public, never logged.
type Contact struct {
	Name  string
	Email string
}

// Consent is the loi 09-08 consent given with the request.
type Consent struct {
	Given         bool
	At            time.Time
	NoticeVersion string
}

// GroupMembership is one working group an organisation belongs to through
// its membership.
type GroupMembership struct {
	GroupID string
	Source  Source // SourceRequest or SourceAdmin
	Since   time.Time
}

// Membership is an organisation's membership of the space, from its request
// to its departure.
type Membership struct {
	ID           string
	Status       Status
	Organisation Organisation
	Themes       []string // among the service's themes
	Contact      Contact
	Lang         i18n.Lang // of the contact's emails
	Consent      Consent
	Groups       []GroupMembership
	Reason       string // given with a decline
	TokenHash    string // SHA-256 (hex) of the private token; the token itself is never stored
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ConfirmedAt  time.Time
	DecidedAt    time.Time
	ExpiresAt    time.Time // zero while approved (see the retention constants)
	Version      int       // incremented by every change (optimistic locking)
}

// TokenMatches reports, in constant time, whether token is m's private token.
func (m Membership) TokenMatches(token string) bool { return secret.Matches(token, m.TokenHash) }

// Listed reports whether m is in the public directory.
func (m Membership) Listed() bool { return m.Status == Approved }

// InGroup reports whether m belongs to the working group id.
func (m Membership) InGroup(id string) bool {
	for _, g := range m.Groups {
		if g.GroupID == id {
			return true
		}
	}
	return false
}

// Entry is an organisation as the public directory lists it: nothing
// personal.
type Entry struct {
	OrganisationID string
	Name           string
	Acronym        string
	City           string
	Region         string
	Themes         []string
	Since          time.Time
}

// Entry returns m's directory entry.
func (m Membership) Entry() Entry {
	o := m.Organisation
	return Entry{
		OrganisationID: m.ID, Name: o.Name, Acronym: o.Acronym, City: o.City, Region: o.Region,
		Themes: m.Themes, Since: m.DecidedAt,
	}
}
