package membership

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/morocco"
	"espaceosc/shared/validate"
)

// OrganisationInput is the organisation in a request body.
type OrganisationInput struct {
	Name               string `json:"name"`
	Acronym            string `json:"acronym,omitempty"`
	LegalForm          string `json:"legalForm"`
	RegistrationNumber string `json:"registrationNumber"`
	Region             string `json:"region"`
	City               string `json:"city"`
}

// ContactInput is the contact person in a request body.
type ContactInput struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// JoinRequest is the body of POST /api/memberships.
type JoinRequest struct {
	Organisation OrganisationInput `json:"organisation"`
	Themes       []string          `json:"themes"`
	Contact      ContactInput      `json:"contact"`
	Lang         string            `json:"lang"`
	Consent      *bool             `json:"consent"`
}

// Details is the body of PUT /api/memberships/{id}: the organisation's
// details as a whole (the consent given with the request stays).
type Details struct {
	Organisation OrganisationInput `json:"organisation"`
	Themes       []string          `json:"themes"`
	Contact      ContactInput      `json:"contact"`
	Lang         string            `json:"lang"`
}

// registrationRe is a récépissé number: letters and digits, with spaces,
// slashes, dots, hyphens and underscores between them.
var registrationRe = regexp.MustCompile(`^[\p{L}\p{N}](?:[\p{L}\p{N} /._-]*[\p{L}\p{N}])?$`)

// Validate checks the request against the themes of the deployment: every
// problem at once, as apperr.Fields.
func (r JoinRequest) Validate(themes []Theme) error {
	var fs apperr.Fields
	Details{Organisation: r.Organisation, Themes: r.Themes, Contact: r.Contact, Lang: r.Lang}.check(&fs, themes)
	if r.Consent == nil || !*r.Consent {
		fs.Add("consent", "consent", nil)
	}
	return fs.Err()
}

// Validate checks the details against the themes of the deployment.
func (d Details) Validate(themes []Theme) error {
	var fs apperr.Fields
	d.check(&fs, themes)
	return fs.Err()
}

func (d Details) check(fs *apperr.Fields, themes []Theme) {
	o := d.Organisation
	validate.Text(fs, "organisation.name", o.Name, NameMin, NameMax, true)
	validate.Text(fs, "organisation.acronym", o.Acronym, 0, AcronymMax, true)
	validate.OneOf(fs, "organisation.legalForm", o.LegalForm, LegalForms...)
	if validate.Text(fs, "organisation.registrationNumber", o.RegistrationNumber, RegistrationMin, RegistrationMax, true) &&
		!registrationRe.MatchString(strings.TrimSpace(o.RegistrationNumber)) {
		fs.Add("organisation.registrationNumber", "membership.registration", nil)
	}
	validate.OneOf(fs, "organisation.region", o.Region, morocco.RegionIDs()...)
	validate.Text(fs, "organisation.city", o.City, CityMin, CityMax, true)
	checkThemes(fs, d.Themes, themes)
	validate.Text(fs, "contact.name", d.Contact.Name, ContactNameMin, ContactNameMax, true)
	validate.Email(fs, "contact.email", d.Contact.Email)
	validate.Lang(fs, "lang", d.Lang)
}

func checkThemes(fs *apperr.Fields, got []string, themes []Theme) {
	switch {
	case len(got) == 0:
		fs.Add("themes", "required", nil)
		return
	case len(got) > MaxThemes:
		fs.Add("themes", "membership.too_many", map[string]any{"max": MaxThemes})
		return
	}
	ids := themeIDs(themes)
	for i, t := range got {
		f := "themes[" + strconv.Itoa(i) + "]"
		if validate.OneOf(fs, f, t, ids...) && slices.Index(got, t) != i {
			fs.Add(f, "membership.duplicate", nil)
		}
	}
}

// normalized returns the trimmed values of valid details.
func (d Details) normalized() (Organisation, []string, Contact, i18n.Lang) {
	trim := strings.TrimSpace
	o := d.Organisation
	lang, _ := i18n.Parse(d.Lang)
	return Organisation{
			Name: trim(o.Name), Acronym: trim(o.Acronym), LegalForm: o.LegalForm,
			RegistrationNumber: trim(o.RegistrationNumber), Region: o.Region, City: trim(o.City),
		}, slices.Clone(d.Themes),
		Contact{Name: trim(d.Contact.Name), Email: trim(d.Contact.Email)}, lang
}

// Decision values of a Decision body.
const (
	Approve = "approved"
	Decline = "declined"
)

// Decision is the body of an administrators' decision on a request to join
// the space or a working group.
type Decision struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason,omitempty"`
}

// Validate checks the decision: a reason goes with a decline only.
func (d Decision) Validate() error {
	var fs apperr.Fields
	validate.OneOf(&fs, "decision", d.Decision, Approve, Decline)
	validate.Text(&fs, "reason", d.Reason, 0, ReasonMax, false)
	if d.Decision == Approve && strings.TrimSpace(d.Reason) != "" && !fs.Has("reason") {
		fs.Add("reason", "membership.reason_decline_only", nil)
	}
	return fs.Err()
}

// GroupInput is the body of PUT /api/admin/working-groups/{id}.
type GroupInput struct {
	Kind    string    `json:"kind"`
	Name    i18n.Text `json:"name"`
	Mandate i18n.Text `json:"mandate"`
	Region  string    `json:"region,omitempty"`
	Status  string    `json:"status,omitempty"` // active when absent
}

// NewGroup is the body of POST /api/admin/working-groups: a GroupInput and
// the group's ID, a slug chosen by the administrator (the one a GT call
// names to make its selection members of the group).
type NewGroup struct {
	ID      string    `json:"id"`
	Kind    string    `json:"kind"`
	Name    i18n.Text `json:"name"`
	Mandate i18n.Text `json:"mandate"`
	Region  string    `json:"region,omitempty"`
	Status  string    `json:"status,omitempty"`
}

// Validate checks the group: every problem at once.
func (in NewGroup) Validate() error {
	_, err := in.group()
	return err
}

func (in NewGroup) group() (Group, error) {
	var fs apperr.Fields
	if in.ID == "" {
		fs.Add("id", "required", nil)
	} else if !ValidGroupID(in.ID) {
		fs.Add("id", "membership.group_id", nil)
	}
	g := GroupInput{Kind: in.Kind, Name: in.Name, Mandate: in.Mandate, Region: in.Region, Status: in.Status}.check(&fs)
	g.ID = in.ID
	return g, fs.Err()
}

// Validate checks the group: every problem at once.
func (in GroupInput) Validate() error {
	_, err := in.group()
	return err
}

func (in GroupInput) group() (Group, error) {
	var fs apperr.Fields
	g := in.check(&fs)
	return g, fs.Err()
}

func (in GroupInput) check(fs *apperr.Fields) Group {
	validate.OneOf(fs, "kind", in.Kind, GroupKinds...)
	validate.Text(fs, "name.fr", in.Name.FR, GroupNameMin, GroupNameMax, true)
	validate.Text(fs, "name.ar", in.Name.AR, GroupNameMin, GroupNameMax, true)
	validate.Text(fs, "mandate.fr", in.Mandate.FR, 0, MandateMax, false)
	validate.Text(fs, "mandate.ar", in.Mandate.AR, 0, MandateMax, false)
	switch {
	case in.Kind == string(Territorial) && in.Region == "":
		fs.Add("region", "membership.group_region", nil)
	case in.Kind == string(Thematic) && in.Region != "":
		fs.Add("region", "membership.group_no_region", nil)
	case in.Region != "":
		validate.OneOf(fs, "region", in.Region, morocco.RegionIDs()...)
	}
	status := in.Status
	if status == "" {
		status = string(Active)
	}
	validate.OneOf(fs, "status", status, GroupStatuses...)
	trim := strings.TrimSpace
	return Group{
		Kind:    GroupKind(in.Kind),
		Name:    i18n.Text{FR: trim(in.Name.FR), AR: trim(in.Name.AR)},
		Mandate: i18n.Text{FR: trim(in.Mandate.FR), AR: trim(in.Mandate.AR)},
		Region:  in.Region, Status: GroupStatus(status),
	}
}

// GroupRequestInput is the body of POST /api/memberships/{id}/group-requests.
type GroupRequestInput struct {
	GroupID    string `json:"groupId"`
	Motivation string `json:"motivation,omitempty"`
}

// Validate checks the request on its own (not against the group).
func (in GroupRequestInput) Validate() error {
	var fs apperr.Fields
	if in.GroupID == "" {
		fs.Add("groupId", "required", nil)
	} else if !ValidGroupID(in.GroupID) {
		fs.Add("groupId", "membership.group_unknown", nil)
	}
	validate.Text(&fs, "motivation", in.Motivation, 0, MotivationMax, false)
	return fs.Err()
}

// AddMemberInput is the body of POST /api/admin/working-groups/{id}/members.
type AddMemberInput struct {
	OrganisationID string `json:"organisationId"`
}

// Validate checks the body on its own.
func (in AddMemberInput) Validate() error {
	var fs apperr.Fields
	if in.OrganisationID == "" {
		fs.Add("organisationId", "required", nil)
	}
	return fs.Err()
}
