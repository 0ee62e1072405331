// Package observations is the "Soumission de propositions et d'observations"
// capability: citizens and organisations send a proposal or an observation,
// receive an acknowledgement email with a private follow-up link, and
// administrators review and answer them (the answer is emailed too).
package observations

import (
	"crypto/rand"
	"fmt"
	"io"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/secret"
	"espaceosc/shared/validate"
)

// Status is where an observation stands.
type Status string

const (
	Received Status = "received"
	InReview Status = "in_review"
	Answered Status = "answered"
	Closed   Status = "closed"
)

// Statuses lists every status.
var Statuses = []string{string(Received), string(InReview), string(Answered), string(Closed)}

// Topics are the themes a submission can be about.
var Topics = []string{"action_plan", "open_data", "participation", "transparency", "integrity", "portal", "other"}

// Field limits (characters).
const (
	SubjectMin, SubjectMax   = 3, 200
	MessageMin, MessageMax   = 10, 5000
	NameMin, NameMax         = 2, 120
	OrganisationMax          = 200
	ResponseMin, ResponseMax = 1, 5000
)

// Retention is how long an observation (personal data) is kept.
const Retention = 3 * 365 * 24 * time.Hour

// Consent is the loi 09-08 consent given with a submission.
type Consent struct {
	Given         bool
	At            time.Time
	NoticeVersion string
}

// Response is the administration's answer.
type Response struct {
	Text       string
	AnsweredAt time.Time // zero until the observation is answered
}

// Observation is a submitted proposal or observation.
type Observation struct {
	ID           string
	Reference    string // OBS-<year>-<6 chars>, quoted to the author
	Topic        string
	Subject      string
	Message      string
	Name         string
	Email        string
	Organisation string
	Lang         i18n.Lang // of the author's emails
	Status       Status
	Consent      Consent
	Response     *Response
	TokenHash    string // SHA-256 (hex) of the follow-up token; the token itself is never stored
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ExpiresAt    time.Time
	Version      int // incremented by every update (optimistic locking)
}

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

// randomBase32 returns n random Crockford base32 characters (5 bits each).
func randomBase32(r io.Reader, n int) (string, error) { return secret.Base32(r, n) }

// newID returns a random ID of 130 bits (26 lowercase base32 characters).
func newID(r io.Reader) (string, error) { return secret.NewID(r) }

// newReference returns a reference such as OBS-2026-7KQ4M9.
func newReference(r io.Reader, now time.Time) (string, error) {
	s, err := randomBase32(r, 6)
	return fmt.Sprintf("OBS-%d-%s", now.Year(), s), err
}

// newToken returns a 256-bit follow-up token (base64url) and its stored hash.
func newToken(r io.Reader) (token, hash string, err error) { return secret.NewToken(r) }

// TokenMatches reports, in constant time, whether token is o's follow-up token.
func (o Observation) TokenMatches(token string) bool { return secret.Matches(token, o.TokenHash) }

// EmailHash is the lookup key of an address (loi 09-08 access and erasure
// requests): SHA-256 (hex) of the normalised address.
func EmailHash(email string) string { return secret.EmailHash(email) }

// validID reports whether id could be an observation ID (before any lookup).
func validID(id string) bool { return secret.ValidID(id) }

var defaultRand io.Reader = rand.Reader
