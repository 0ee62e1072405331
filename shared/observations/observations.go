// Package observations is the "Soumission de propositions et d'observations"
// capability: citizens and organisations send a proposal or an observation,
// receive an acknowledgement email with a private follow-up link, and
// administrators review and answer them (the answer is emailed too).
package observations

import (
	"fmt"
	"io"
	"time"

	"espaceosc/shared/i18n"
	"espaceosc/shared/secret"
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

// newReference returns a reference such as OBS-2026-7KQ4M9.
func newReference(r io.Reader, now time.Time) (string, error) {
	s, err := secret.Base32(r, 6)
	return fmt.Sprintf("OBS-%d-%s", now.Year(), s), err
}

// TokenMatches reports, in constant time, whether token is o's follow-up token.
func (o Observation) TokenMatches(token string) bool { return secret.Matches(token, o.TokenHash) }
