package calls

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/validate"
)

var (
	slugRe  = regexp.MustCompile(`^[a-z0-9]+(?:[-_][a-z0-9]+)*$`)
	phoneRe = regexp.MustCompile(`^\+?[0-9 ().-]+$`)
)

// trimmed returns t without leading and trailing spaces in either language.
func trimmed(t i18n.Text) i18n.Text {
	return i18n.Text{FR: strings.TrimSpace(t.FR), AR: strings.TrimSpace(t.AR)}
}

func checkText(fs *apperr.Fields, field string, t i18n.Text, min, max int, singleLine bool) {
	validate.Text(fs, field+".fr", t.FR, min, max, singleLine)
	validate.Text(fs, field+".ar", t.AR, min, max, singleLine)
}

// DocumentSpecInput is one document of a call in a request body.
type DocumentSpecInput struct {
	Type     string    `json:"type"`
	Label    i18n.Text `json:"label"`
	Required bool      `json:"required"`
	MaxBytes int64     `json:"maxBytes,omitempty"`
}

// CriterionInput is one criterion of a scoring grid in a request body.
type CriterionInput struct {
	ID       string    `json:"id"`
	Label    i18n.Text `json:"label"`
	Weight   int       `json:"weight"`
	MaxScore int       `json:"maxScore"`
}

// WorkingGroupInput is one working group of a GT call in a request body.
type WorkingGroupInput struct {
	ID   string    `json:"id"`
	Name i18n.Text `json:"name"`
}

// CallInput is the body of POST /api/admin/calls and PUT /api/admin/calls/{id}.
// Times are RFC 3339; without an offset they are Africa/Casablanca time.
type CallInput struct {
	ID            string              `json:"id,omitempty"` // POST only; generated when absent
	Kind          string              `json:"kind"`
	Title         i18n.Text           `json:"title"`
	Description   i18n.Text           `json:"description"`
	Eligibility   i18n.Text           `json:"eligibility"`
	WorkingGroups []WorkingGroupInput `json:"workingGroups,omitempty"`
	OpensAt       string              `json:"opensAt"`
	ClosesAt      string              `json:"closesAt"`
	Seats         int                 `json:"seats"`
	Documents     []DocumentSpecInput `json:"documents"`
	Criteria      []CriterionInput    `json:"criteria"`
}

// parseTime reads an RFC 3339 time, or a local Casablanca time without offset.
func parseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, i18n.Casablanca); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// Validate checks every field and reports every problem.
func (in CallInput) Validate() error {
	var fs apperr.Fields
	if in.ID != "" {
		checkSlug(&fs, "id", in.ID, IDMin, IDMax)
	}
	validate.OneOf(&fs, "kind", in.Kind, Kinds...)
	checkText(&fs, "title", in.Title, TitleMin, TitleMax, true)
	checkText(&fs, "description", in.Description, 1, DescriptionMax, false)
	checkText(&fs, "eligibility", in.Eligibility, 0, EligibilityMax, false)
	opens, okOpen := parseTime(in.OpensAt)
	if !okOpen {
		fs.Add("opensAt", "calls.datetime", nil)
	}
	closes, okClose := parseTime(in.ClosesAt)
	if !okClose {
		fs.Add("closesAt", "calls.datetime", nil)
	}
	if okOpen && okClose && !closes.After(opens) {
		fs.Add("closesAt", "calls.closes_after_opens", nil)
	}
	if in.Seats < 1 || in.Seats > SeatsMax {
		fs.Add("seats", "range", map[string]any{"min": 1, "max": SeatsMax})
	}
	switch {
	case in.Kind == string(KindGT) && len(in.WorkingGroups) == 0:
		fs.Add("workingGroups", "required", nil)
	case in.Kind == string(KindCopil) && len(in.WorkingGroups) > 0:
		fs.Add("workingGroups", "calls.copil_no_groups", nil)
	case len(in.WorkingGroups) > MaxWorkingGroups:
		fs.Add("workingGroups", "calls.too_many", map[string]any{"max": MaxWorkingGroups})
	}
	seen := map[string]bool{}
	for i, g := range in.WorkingGroups {
		f := fmt.Sprintf("workingGroups[%d]", i)
		if checkSlug(&fs, f+".id", g.ID, 1, IDMax) && seen[g.ID] {
			fs.Add(f+".id", "calls.duplicate", nil)
		}
		seen[g.ID] = true
		checkText(&fs, f+".name", g.Name, 1, LabelMax, true)
	}
	if len(in.Documents) == 0 {
		fs.Add("documents", "required", nil)
	} else if len(in.Documents) > MaxDocuments {
		fs.Add("documents", "calls.too_many", map[string]any{"max": MaxDocuments})
	}
	seen = map[string]bool{}
	for i, d := range in.Documents {
		f := fmt.Sprintf("documents[%d]", i)
		if checkSlug(&fs, f+".type", d.Type, 1, DocumentTypeMax) && seen[d.Type] {
			fs.Add(f+".type", "calls.duplicate", nil)
		}
		seen[d.Type] = true
		checkText(&fs, f+".label", d.Label, 1, LabelMax, true)
		if d.MaxBytes < 0 || d.MaxBytes > MaxDocumentBytes {
			fs.Add(f+".maxBytes", "range", map[string]any{"min": 1, "max": MaxDocumentBytes})
		}
	}
	if len(in.Criteria) == 0 {
		fs.Add("criteria", "required", nil)
	} else if len(in.Criteria) > MaxCriteria {
		fs.Add("criteria", "calls.too_many", map[string]any{"max": MaxCriteria})
	}
	seen = map[string]bool{}
	for i, c := range in.Criteria {
		f := fmt.Sprintf("criteria[%d]", i)
		if checkSlug(&fs, f+".id", c.ID, 1, IDMax) && seen[c.ID] {
			fs.Add(f+".id", "calls.duplicate", nil)
		}
		seen[c.ID] = true
		checkText(&fs, f+".label", c.Label, 1, LabelMax, true)
		if c.Weight < 1 || c.Weight > CriterionWeightMax {
			fs.Add(f+".weight", "range", map[string]any{"min": 1, "max": CriterionWeightMax})
		}
		if c.MaxScore < 1 || c.MaxScore > CriterionMaxScoreLimit {
			fs.Add(f+".maxScore", "range", map[string]any{"min": 1, "max": CriterionMaxScoreLimit})
		}
	}
	return fs.Err()
}

func checkSlug(fs *apperr.Fields, field, v string, min, max int) bool {
	if !validate.Text(fs, field, v, min, max, true) {
		return false
	}
	if !slugRe.MatchString(v) {
		fs.Add(field, "calls.slug", nil)
		return false
	}
	return true
}

// apply writes a valid input's fields onto c (everything but ID, status and times of record).
func (in CallInput) apply(c *Call) {
	c.Kind = Kind(in.Kind)
	c.Title, c.Description, c.Eligibility = trimmed(in.Title), trimmed(in.Description), trimmed(in.Eligibility)
	c.OpensAt, _ = parseTime(in.OpensAt)
	c.ClosesAt, _ = parseTime(in.ClosesAt)
	c.Seats = in.Seats
	c.WorkingGroups = nil
	for _, g := range in.WorkingGroups {
		c.WorkingGroups = append(c.WorkingGroups, WorkingGroup{ID: g.ID, Name: trimmed(g.Name)})
	}
	c.Documents = nil
	for _, d := range in.Documents {
		max := d.MaxBytes
		if max == 0 {
			max = DefaultDocumentBytes
		}
		c.Documents = append(c.Documents, DocumentSpec{Type: d.Type, Label: trimmed(d.Label), Required: d.Required, MaxBytes: max})
	}
	c.Criteria = nil
	for _, k := range in.Criteria {
		c.Criteria = append(c.Criteria, Criterion{ID: k.ID, Label: trimmed(k.Label), Weight: k.Weight, MaxScore: k.MaxScore})
	}
}

// StatusInput is the body of POST /api/admin/calls/{id}/status.
type StatusInput struct {
	Status string `json:"status"`
}

// Validate accepts the statuses an administrator moves a call to (results
// are published by PublishResults).
func (in StatusInput) Validate() error {
	var fs apperr.Fields
	validate.OneOf(&fs, "status", in.Status, string(StatusOpen), string(StatusClosed), string(StatusEvaluating))
	return fs.Err()
}

// AssociationInput is the association in a candidacy body.
type AssociationInput struct {
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

// RepresentativeInput is the representative in a candidacy body.
type RepresentativeInput struct {
	Name  string `json:"name"`
	Role  string `json:"role,omitempty"`
	Email string `json:"email"`
}

// Application is the body of POST /api/calls/{id}/candidacies. A draft
// needs the association's name and email, the representative's name and
// email, the language and the consent; the rest can come later (PATCH) and
// is required to submit.
type Application struct {
	Association    AssociationInput    `json:"association"`
	Representative RepresentativeInput `json:"representative"`
	ThematicAreas  []string            `json:"thematicAreas,omitempty"`
	WorkingGroups  []string            `json:"workingGroups,omitempty"`
	Motivation     string              `json:"motivation,omitempty"`
	Lang           string              `json:"lang"`
	Consent        *bool               `json:"consent"`
}

// CandidacyPatch is the body of PATCH /api/candidacies/{id}: each field
// present replaces the stored one (association and representative as a whole).
type CandidacyPatch struct {
	Association    *AssociationInput    `json:"association,omitempty"`
	Representative *RepresentativeInput `json:"representative,omitempty"`
	ThematicAreas  *[]string            `json:"thematicAreas,omitempty"`
	WorkingGroups  *[]string            `json:"workingGroups,omitempty"`
	Motivation     *string              `json:"motivation,omitempty"`
	Lang           *string              `json:"lang,omitempty"`
}

// draft is the candidacy the application describes (texts trimmed).
func (in Application) draft() Candidacy {
	lang, _ := i18n.Parse(in.Lang)
	return Candidacy{
		Status: CandidacyDraft, Association: trimAssociation(in.Association), Representative: trimRepresentative(in.Representative),
		ThematicAreas: in.ThematicAreas, WorkingGroups: in.WorkingGroups, Motivation: strings.TrimSpace(in.Motivation), Lang: lang,
	}
}

// validate checks the application's draft c against call at now, its
// language and its consent, and reports every problem.
func (in Application) validate(c Candidacy, call Call, now time.Time) error {
	var fs apperr.Fields
	checkDraft(&fs, c, call, now)
	validate.Lang(&fs, "lang", in.Lang)
	if in.Consent == nil || !*in.Consent {
		fs.Add("consent", "consent", nil)
	}
	return fs.Err()
}

// apply writes the fields present in p onto c (all but the language).
func (p CandidacyPatch) apply(c *Candidacy) {
	if p.Association != nil {
		c.Association = trimAssociation(*p.Association)
	}
	if p.Representative != nil {
		c.Representative = trimRepresentative(*p.Representative)
	}
	if p.ThematicAreas != nil {
		c.ThematicAreas = *p.ThematicAreas
	}
	if p.WorkingGroups != nil {
		c.WorkingGroups = *p.WorkingGroups
	}
	if p.Motivation != nil {
		c.Motivation = strings.TrimSpace(*p.Motivation)
	}
}

// DocumentRequest is the body of POST /api/candidacies/{id}/documents.
type DocumentRequest struct {
	Type string `json:"type"`
}

func trimAssociation(in AssociationInput) Association {
	return Association{
		Name: strings.TrimSpace(in.Name), Acronym: strings.TrimSpace(in.Acronym), LegalForm: in.LegalForm,
		RegistrationNumber: strings.TrimSpace(in.RegistrationNumber), YearFounded: in.YearFounded,
		Region: in.Region, City: strings.TrimSpace(in.City), Website: strings.TrimSpace(in.Website),
		Email: strings.TrimSpace(in.Email), Phone: strings.TrimSpace(in.Phone),
	}
}

func trimRepresentative(in RepresentativeInput) Representative {
	return Representative{Name: strings.TrimSpace(in.Name), Role: strings.TrimSpace(in.Role), Email: strings.TrimSpace(in.Email)}
}
