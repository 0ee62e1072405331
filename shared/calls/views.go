package calls

import (
	"time"

	"espaceosc/shared/i18n"
)

// inOnly returns t in lang without falling back to French: a call's
// eligibility may be written in one language only, and the other
// language's page then shows none rather than a text its reader may not
// read.
func inOnly(t i18n.Text, lang i18n.Lang) string {
	if lang == i18n.AR {
		return t.AR
	}
	return t.FR
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

// DocumentSpecView is one document of a call's dossier in a language.
type DocumentSpecView struct {
	Type     string `json:"type"`
	Label    string `json:"label"`
	Required bool   `json:"required"`
	MaxBytes int64  `json:"maxBytes"`
}

// CriterionView is one criterion of the scoring grid in a language.
type CriterionView struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Weight   int    `json:"weight"`
	MaxScore int    `json:"maxScore"`
}

// WorkingGroupView is a working group in a language.
type WorkingGroupView struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// PublicCallView is a call as the public sees it, in one language. Times
// are UTC (RFC 3339); the portal shows them in Africa/Casablanca.
type PublicCallView struct {
	ID            string             `json:"id"`
	Kind          Kind               `json:"kind"`
	Lang          i18n.Lang          `json:"lang"`
	Title         string             `json:"title"`
	Description   string             `json:"description"`
	Eligibility   string             `json:"eligibility,omitempty"`
	WorkingGroups []WorkingGroupView `json:"workingGroups,omitempty"`
	OpensAt       string             `json:"opensAt"`
	ClosesAt      string             `json:"closesAt"`
	TimeZone      string             `json:"timeZone"`
	Seats         int                `json:"seats"`
	Status        Status             `json:"status"`
	Accepting     bool               `json:"accepting"` // candidacies accepted right now
	Documents     []DocumentSpecView `json:"documents"`
	Criteria      []CriterionView    `json:"criteria"`
}

// PublicView returns the call in lang as of now.
func (c Call) PublicView(lang i18n.Lang, now time.Time) PublicCallView {
	v := PublicCallView{
		ID: c.ID, Kind: c.Kind, Lang: lang, Title: c.Title.In(lang), Description: c.Description.In(lang),
		Eligibility: inOnly(c.Eligibility, lang), OpensAt: rfc3339(c.OpensAt), ClosesAt: rfc3339(c.ClosesAt),
		TimeZone: "Africa/Casablanca", Seats: c.Seats, Status: c.Status, Accepting: c.Accepting(now),
		Documents: []DocumentSpecView{}, Criteria: []CriterionView{},
	}
	for _, g := range c.WorkingGroups {
		v.WorkingGroups = append(v.WorkingGroups, WorkingGroupView{ID: g.ID, Name: g.Name.In(lang)})
	}
	for _, d := range c.Documents {
		v.Documents = append(v.Documents, DocumentSpecView{Type: d.Type, Label: d.Label.In(lang), Required: d.Required, MaxBytes: d.MaxBytes})
	}
	for _, k := range c.Criteria {
		v.Criteria = append(v.Criteria, CriterionView{ID: k.ID, Label: k.Label.In(lang), Weight: k.Weight, MaxScore: k.MaxScore})
	}
	return v
}

// AdminDocumentSpecView is a document of a call with both languages.
type AdminDocumentSpecView struct {
	Type     string    `json:"type"`
	Label    i18n.Text `json:"label"`
	Required bool      `json:"required"`
	MaxBytes int64     `json:"maxBytes"`
}

// AdminCriterionView is a criterion with both languages.
type AdminCriterionView struct {
	ID       string    `json:"id"`
	Label    i18n.Text `json:"label"`
	Weight   int       `json:"weight"`
	MaxScore int       `json:"maxScore"`
}

// AdminWorkingGroupView is a working group with both languages.
type AdminWorkingGroupView struct {
	ID   string    `json:"id"`
	Name i18n.Text `json:"name"`
}

// AdminCallView is the full call, both languages, as administrators edit it.
type AdminCallView struct {
	ID            string                  `json:"id"`
	Kind          Kind                    `json:"kind"`
	Title         i18n.Text               `json:"title"`
	Description   i18n.Text               `json:"description"`
	Eligibility   i18n.Text               `json:"eligibility"`
	WorkingGroups []AdminWorkingGroupView `json:"workingGroups"`
	OpensAt       string                  `json:"opensAt"`
	ClosesAt      string                  `json:"closesAt"`
	Seats         int                     `json:"seats"`
	Documents     []AdminDocumentSpecView `json:"documents"`
	Criteria      []AdminCriterionView    `json:"criteria"`
	Status        Status                  `json:"status"`
	Accepting     bool                    `json:"accepting"`
	CreatedAt     string                  `json:"createdAt"`
	UpdatedAt     string                  `json:"updatedAt"`
	Version       int                     `json:"version"`
}

// AdminView returns the full call as of now.
func (c Call) AdminView(now time.Time) AdminCallView {
	v := AdminCallView{
		ID: c.ID, Kind: c.Kind, Title: c.Title, Description: c.Description, Eligibility: c.Eligibility,
		OpensAt: rfc3339(c.OpensAt), ClosesAt: rfc3339(c.ClosesAt), Seats: c.Seats, Status: c.Status,
		Accepting: c.Accepting(now), CreatedAt: rfc3339(c.CreatedAt), UpdatedAt: rfc3339(c.UpdatedAt), Version: c.Version,
		WorkingGroups: []AdminWorkingGroupView{}, Documents: []AdminDocumentSpecView{}, Criteria: []AdminCriterionView{},
	}
	for _, g := range c.WorkingGroups {
		v.WorkingGroups = append(v.WorkingGroups, AdminWorkingGroupView{ID: g.ID, Name: g.Name})
	}
	for _, d := range c.Documents {
		v.Documents = append(v.Documents, AdminDocumentSpecView{Type: d.Type, Label: d.Label, Required: d.Required, MaxBytes: d.MaxBytes})
	}
	for _, k := range c.Criteria {
		v.Criteria = append(v.Criteria, AdminCriterionView{ID: k.ID, Label: k.Label, Weight: k.Weight, MaxScore: k.MaxScore})
	}
	return v
}

// DocumentView is one document of a dossier as the association (or an admin) sees it.
type DocumentView struct {
	Type     string         `json:"type"`
	Label    string         `json:"label"`
	Required bool           `json:"required"`
	MaxBytes int64          `json:"maxBytes"`
	Status   DocumentStatus `json:"status"`
	// ReplacementPending: a new upload of a verified document awaits its check.
	ReplacementPending bool `json:"replacementPending,omitempty"`
	// ReplacementRejected: the last upload meant to replace the verified
	// document was rejected (Reason says why); the verified one stays.
	ReplacementRejected bool   `json:"replacementRejected,omitempty"`
	Size                int64  `json:"size,omitempty"`
	SHA256              string `json:"sha256,omitempty"`
	Reason              string `json:"reason,omitempty"`    // rejection reason in the response's language
	ReasonKey           string `json:"reasonKey,omitempty"` // rejection reason code
	CheckedAt           string `json:"checkedAt,omitempty"`
}

// Dossier merges the call's document list with c's documents, in the
// call's order, in lang.
func (c Candidacy) Dossier(call Call, lang i18n.Lang) []DocumentView {
	out := make([]DocumentView, 0, len(call.Documents))
	for _, spec := range call.Documents {
		v := DocumentView{Type: spec.Type, Label: spec.Label.In(lang), Required: spec.Required, MaxBytes: spec.MaxBytes, Status: DocumentMissing}
		if d, _, ok := c.Document(spec.Type); ok {
			v.Status = d.documentStatus()
			v.ReplacementPending = d.Status == DocumentVerified && d.PendingKey != ""
			if d.Status == DocumentVerified {
				v.Size, v.SHA256 = d.Size, d.SHA256
			}
			if d.Reason != "" && (v.Status == DocumentRejected || v.Status == DocumentVerified) {
				v.ReasonKey, v.Reason = d.Reason, i18n.T(lang, d.Reason, nil)
				v.ReplacementRejected = v.Status == DocumentVerified
			}
			v.CheckedAt = rfc3339(d.CheckedAt)
		}
		out = append(out, v)
	}
	return out
}

// AssociationView is the association as shown to itself and to admins.
type AssociationView struct {
	Name               string `json:"name"`
	Acronym            string `json:"acronym,omitempty"`
	LegalForm          string `json:"legalForm,omitempty"`
	RegistrationNumber string `json:"registrationNumber,omitempty"`
	YearFounded        int    `json:"yearFounded,omitempty"`
	Region             string `json:"region,omitempty"`
	City               string `json:"city,omitempty"`
	Website            string `json:"website,omitempty"`
	Email              string `json:"email"`
	Phone              string `json:"phone,omitempty"`
}

// RepresentativeView is the representative as shown.
type RepresentativeView struct {
	Name  string `json:"name"`
	Role  string `json:"role,omitempty"`
	Email string `json:"email"`
}

// CallSummary is the call a candidacy belongs to, in one language, with
// the working groups of a GT call (what its candidacies choose among).
type CallSummary struct {
	ID            string             `json:"id"`
	Kind          Kind               `json:"kind"`
	Title         string             `json:"title"`
	ClosesAt      string             `json:"closesAt"`
	Accepting     bool               `json:"accepting"`
	WorkingGroups []WorkingGroupView `json:"workingGroups,omitempty"`
}

// summary is c as a candidacy's view names it, in lang; accepting as of
// the caller's clock.
func (c Call) summary(lang i18n.Lang, accepting bool) CallSummary {
	s := CallSummary{ID: c.ID, Kind: c.Kind, Title: c.Title.In(lang), ClosesAt: rfc3339(c.ClosesAt), Accepting: accepting}
	for _, g := range c.WorkingGroups {
		s.WorkingGroups = append(s.WorkingGroups, WorkingGroupView{ID: g.ID, Name: g.Name.In(lang)})
	}
	return s
}

// CandidacyView is a candidacy as its association sees it through its
// private link (and as admins see it).
type CandidacyView struct {
	ID             string             `json:"id"`
	Call           CallSummary        `json:"call"`
	Reference      string             `json:"reference,omitempty"`
	Status         CandidacyStatus    `json:"status"`
	Association    AssociationView    `json:"association"`
	Representative RepresentativeView `json:"representative"`
	ThematicAreas  []string           `json:"thematicAreas"`
	WorkingGroups  []string           `json:"workingGroups"`
	Motivation     string             `json:"motivation"`
	Lang           i18n.Lang          `json:"lang"`
	Documents      []DocumentView     `json:"documents"`
	CreatedAt      string             `json:"createdAt"`
	UpdatedAt      string             `json:"updatedAt"`
	SubmittedAt    string             `json:"submittedAt,omitempty"`
	WithdrawnAt    string             `json:"withdrawnAt,omitempty"`
}

// View returns the candidacy with its dossier, in lang, as of now.
func (c Candidacy) View(call Call, lang i18n.Lang, now time.Time) CandidacyView {
	a, r := c.Association, c.Representative
	v := CandidacyView{
		ID:        c.ID,
		Call:      call.summary(lang, call.Accepting(now)),
		Reference: c.Reference, Status: c.Status,
		Association: AssociationView{
			Name: a.Name, Acronym: a.Acronym, LegalForm: a.LegalForm, RegistrationNumber: a.RegistrationNumber,
			YearFounded: a.YearFounded, Region: a.Region, City: a.City, Website: a.Website, Email: a.Email, Phone: a.Phone,
		},
		Representative: RepresentativeView{Name: r.Name, Role: r.Role, Email: r.Email},
		ThematicAreas:  append([]string{}, c.ThematicAreas...),
		WorkingGroups:  append([]string{}, c.WorkingGroups...),
		Motivation:     c.Motivation, Lang: c.Lang,
		Documents: c.Dossier(call, lang),
		CreatedAt: rfc3339(c.CreatedAt), UpdatedAt: rfc3339(c.UpdatedAt),
		SubmittedAt: rfc3339(c.SubmittedAt), WithdrawnAt: rfc3339(c.WithdrawnAt),
	}
	return v
}

// Created is the response to POST /api/calls/{id}/candidacies.
type Created struct {
	ID        string          `json:"id"`
	Status    CandidacyStatus `json:"status"`
	Documents []DocumentView  `json:"documents"`
}

// UploadView is the response to POST /api/candidacies/{id}/documents: the
// browser posts Fields then the file (field "file", last) to URL.
type UploadView struct {
	Type      string            `json:"type"`
	URL       string            `json:"url"`
	Fields    map[string]string `json:"fields"`
	ExpiresAt string            `json:"expiresAt"`
	MaxBytes  int64             `json:"maxBytes"`
}
