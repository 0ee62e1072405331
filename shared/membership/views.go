package membership

import (
	"time"

	"espaceosc/shared/i18n"
	"espaceosc/shared/morocco"
)

// Receipt is the response to a request to join.
type Receipt struct {
	ID     string `json:"id"`
	Status Status `json:"status"`
}

// OrganisationView is an organisation's details as its contact and the
// administrators see them.
type OrganisationView struct {
	Name               string `json:"name"`
	Acronym            string `json:"acronym,omitempty"`
	LegalForm          string `json:"legalForm"`
	RegistrationNumber string `json:"registrationNumber"`
	Region             string `json:"region"`
	City               string `json:"city"`
}

// ContactView is the contact person.
type ContactView struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// GroupMembershipView is one working group of the organisation.
type GroupMembershipView struct {
	GroupID string `json:"groupId"`
	Source  Source `json:"source"`
	Since   string `json:"since"`
}

// RequestView is a request to join a working group as its organisation
// sees it.
type RequestView struct {
	GroupID    string        `json:"groupId"`
	Status     RequestStatus `json:"status"`
	Motivation string        `json:"motivation,omitempty"`
	Reason     string        `json:"reason,omitempty"`
	CreatedAt  string        `json:"createdAt"`
	DecidedAt  string        `json:"decidedAt,omitempty"`
}

// MemberView is what the private link shows: the organisation's details,
// where its request stands, its groups and its requests to join groups.
type MemberView struct {
	ID            string                `json:"id"`
	Status        Status                `json:"status"`
	Organisation  OrganisationView      `json:"organisation"`
	Themes        []string              `json:"themes"`
	Contact       ContactView           `json:"contact"`
	Lang          i18n.Lang             `json:"lang"`
	Groups        []GroupMembershipView `json:"groups"`
	GroupRequests []RequestView         `json:"groupRequests"`
	Reason        string                `json:"reason,omitempty"`
	CreatedAt     string                `json:"createdAt"`
	UpdatedAt     string                `json:"updatedAt"`
	ConfirmedAt   string                `json:"confirmedAt,omitempty"`
	DecidedAt     string                `json:"decidedAt,omitempty"`
	// ExpiresAt is when the data is deleted unless something happens: the
	// confirmation deadline, or the end of a request's retention.
	ExpiresAt string `json:"expiresAt,omitempty"`
}

// ConsentView is the stored consent as shown to administrators.
type ConsentView struct {
	Given         bool   `json:"given"`
	At            string `json:"at"`
	NoticeVersion string `json:"noticeVersion"`
}

// AdminView is the full view administrators see.
type AdminView struct {
	MemberView
	Consent ConsentView `json:"consent"`
}

// EntryView is an organisation of the public directory.
type EntryView struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Acronym string   `json:"acronym,omitempty"`
	City    string   `json:"city"`
	Region  string   `json:"region"`
	Themes  []string `json:"themes"`
	Since   string   `json:"since"`
}

// GroupView is a working group in one language (public list).
type GroupView struct {
	ID         string      `json:"id"`
	Lang       i18n.Lang   `json:"lang"`
	Kind       GroupKind   `json:"kind"`
	Name       string      `json:"name"`
	Mandate    string      `json:"mandate,omitempty"`
	Region     string      `json:"region,omitempty"`
	RegionName string      `json:"regionName,omitempty"`
	Status     GroupStatus `json:"status"`
}

// MemberOrgView is an organisation of a working group's page.
type MemberOrgView struct {
	OrganisationID string `json:"organisationId,omitempty"` // a member of the space (its directory entry)
	CallID         string `json:"callId,omitempty"`         // selected by this call
	Source         Source `json:"source"`
	Name           string `json:"name"`
	Acronym        string `json:"acronym,omitempty"`
	City           string `json:"city,omitempty"`
	Region         string `json:"region,omitempty"`
	Since          string `json:"since"`
}

// GroupPage is a working group's page: the group and its members, by name.
type GroupPage struct {
	GroupView
	Members []MemberOrgView `json:"members"`
}

// AdminGroupView is a working group with both languages (administrators).
type AdminGroupView struct {
	ID        string      `json:"id"`
	Kind      GroupKind   `json:"kind"`
	Name      i18n.Text   `json:"name"`
	Mandate   i18n.Text   `json:"mandate"`
	Region    string      `json:"region,omitempty"`
	Status    GroupStatus `json:"status"`
	CreatedAt string      `json:"createdAt"`
	UpdatedAt string      `json:"updatedAt"`
}

// AdminMemberView is an organisation of a working group as administrators
// see it: its ID in the group (to remove it) besides the public view.
type AdminMemberView struct {
	MemberOrgView
	MemberID string `json:"memberId"`
}

// AdminRequestView is a request to join a working group (administrators).
type AdminRequestView struct {
	RequestView
	OrganisationID string `json:"organisationId"`
	Name           string `json:"name"`
	Acronym        string `json:"acronym,omitempty"`
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// memberView returns m's view with its requests to join groups.
func (m Membership) memberView(requests []GroupRequest) MemberView {
	o := m.Organisation
	v := MemberView{
		ID: m.ID, Status: m.Status,
		Organisation: OrganisationView{
			Name: o.Name, Acronym: o.Acronym, LegalForm: o.LegalForm, RegistrationNumber: o.RegistrationNumber,
			Region: o.Region, City: o.City,
		},
		Themes:  nonNil(m.Themes),
		Contact: ContactView{Name: m.Contact.Name, Email: m.Contact.Email}, Lang: m.Lang,
		Groups: []GroupMembershipView{}, GroupRequests: []RequestView{}, Reason: m.Reason,
		CreatedAt: rfc3339(m.CreatedAt), UpdatedAt: rfc3339(m.UpdatedAt), ConfirmedAt: rfc3339(m.ConfirmedAt),
		DecidedAt: rfc3339(m.DecidedAt), ExpiresAt: rfc3339(m.ExpiresAt),
	}
	for _, g := range m.Groups {
		v.Groups = append(v.Groups, GroupMembershipView{GroupID: g.GroupID, Source: g.Source, Since: rfc3339(g.Since)})
	}
	for _, r := range requests {
		v.GroupRequests = append(v.GroupRequests, r.view())
	}
	return v
}

// adminView returns the full view.
func (m Membership) adminView(requests []GroupRequest) AdminView {
	return AdminView{
		MemberView: m.memberView(requests),
		Consent:    ConsentView{Given: m.Consent.Given, At: rfc3339(m.Consent.At), NoticeVersion: m.Consent.NoticeVersion},
	}
}

func (r GroupRequest) view() RequestView {
	return RequestView{
		GroupID: r.GroupID, Status: r.Status, Motivation: r.Motivation, Reason: r.Reason,
		CreatedAt: rfc3339(r.CreatedAt), DecidedAt: rfc3339(r.DecidedAt),
	}
}

func (r GroupRequest) adminView() AdminRequestView {
	return AdminRequestView{RequestView: r.view(), OrganisationID: r.OrganisationID, Name: r.Name, Acronym: r.Acronym}
}

func (e Entry) view() EntryView {
	return EntryView{
		ID: e.OrganisationID, Name: e.Name, Acronym: e.Acronym, City: e.City, Region: e.Region,
		Themes: nonNil(e.Themes), Since: rfc3339(e.Since),
	}
}

// view returns g in lang (French where the Arabic text is empty).
func (g Group) view(lang i18n.Lang) GroupView {
	v := GroupView{
		ID: g.ID, Lang: lang, Kind: g.Kind, Name: g.Name.In(lang), Mandate: g.Mandate.In(lang),
		Region: g.Region, Status: g.Status,
	}
	if r, ok := morocco.LookupRegion(g.Region); ok {
		v.RegionName = r.Name.In(lang)
	}
	return v
}

func (g Group) adminView() AdminGroupView {
	return AdminGroupView{
		ID: g.ID, Kind: g.Kind, Name: g.Name, Mandate: g.Mandate, Region: g.Region, Status: g.Status,
		CreatedAt: rfc3339(g.CreatedAt), UpdatedAt: rfc3339(g.UpdatedAt),
	}
}

func (m Member) view() MemberOrgView {
	return MemberOrgView{
		OrganisationID: m.OrganisationID, CallID: m.CallID, Source: m.Source, Name: m.Name, Acronym: m.Acronym,
		City: m.City, Region: m.Region, Since: rfc3339(m.Since),
	}
}

// OptionView is one choice of a list, named in one language.
type OptionView struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// OptionsView is what the join form and the directory's filters offer:
// the regions, the deployment's themes and the legal forms.
type OptionsView struct {
	Lang       i18n.Lang    `json:"lang"`
	Regions    []OptionView `json:"regions"`
	Themes     []OptionView `json:"themes"`
	LegalForms []string     `json:"legalForms"`
}
