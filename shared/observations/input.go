package observations

import (
	"strings"

	"espaceosc/shared/apperr"
	"espaceosc/shared/validate"
)

// Submission is the body of POST /api/observations.
type Submission struct {
	Topic        string `json:"topic"`
	Subject      string `json:"subject"`
	Message      string `json:"message"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	Organisation string `json:"organisation,omitempty"`
	Lang         string `json:"lang"`
	Consent      *bool  `json:"consent"`
}

// Validate checks every field and reports every problem.
func (s Submission) Validate() error {
	var fs apperr.Fields
	validate.OneOf(&fs, "topic", s.Topic, Topics...)
	validate.Text(&fs, "subject", s.Subject, SubjectMin, SubjectMax, true)
	validate.Text(&fs, "message", s.Message, MessageMin, MessageMax, false)
	validate.Text(&fs, "name", s.Name, NameMin, NameMax, true)
	validate.Email(&fs, "email", s.Email)
	validate.Text(&fs, "organisation", s.Organisation, 0, OrganisationMax, true)
	validate.Lang(&fs, "lang", s.Lang)
	if s.Consent == nil || !*s.Consent {
		fs.Add("consent", "consent", nil)
	}
	return fs.Err()
}

// normalized trims the texts of a valid submission.
func (s Submission) normalized() Submission {
	s.Subject = strings.TrimSpace(s.Subject)
	s.Message = strings.TrimSpace(s.Message)
	s.Name = strings.TrimSpace(s.Name)
	s.Email = strings.TrimSpace(s.Email)
	s.Organisation = strings.TrimSpace(s.Organisation)
	return s
}

// Patch is the body of PATCH /api/admin/observations/{id}.
type Patch struct {
	Status   *string `json:"status,omitempty"`
	Response *string `json:"response,omitempty"`
}

// Validate checks the patch on its own (not against the observation).
func (p Patch) Validate() error {
	var fs apperr.Fields
	if p.Status == nil && p.Response == nil {
		fs.Add("status", "required", nil)
		return fs.Err()
	}
	if p.Status != nil {
		validate.OneOf(&fs, "status", *p.Status, Statuses...)
	}
	if p.Response != nil {
		validate.Text(&fs, "response", *p.Response, ResponseMin, ResponseMax, false)
	}
	return fs.Err()
}
