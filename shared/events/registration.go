package events

import (
	"crypto/rand"
	"encoding/json"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/secret"
	"espaceosc/shared/validate"
)

// RegStatus is where a registration stands.
type RegStatus string

const (
	Confirmed  RegStatus = "confirmed"
	Waitlisted RegStatus = "waitlisted"
	Withdrawn  RegStatus = "cancelled" // cancelled by the registrant
)

// RegStatuses lists every registration status.
var RegStatuses = []string{string(Confirmed), string(Waitlisted), string(Withdrawn)}

// Retention is how long a registration (personal data) is kept after the event.
const Retention = 180 * 24 * time.Hour

// Consent is the loi 09-08 consent given with a registration.
type Consent struct {
	Given         bool
	At            time.Time
	NoticeVersion string
}

// Registration is one person's registration for one event.
type Registration struct {
	ID           string
	EventID      string
	Status       RegStatus
	Position     int    // waitlist position handed out (1..N); 0 if confirmed at once
	Code         string // check-in code, 8 Crockford base32 characters
	FullName     string
	Email        string
	Organisation string
	Phone        string
	Answers      map[string][]string // question ID -> text (one element) or option IDs
	Lang         i18n.Lang
	Consent      Consent
	TokenHash    string // SHA-256 (hex) of the manage token; the token is never stored
	CreatedAt    time.Time
	UpdatedAt    time.Time
	ConfirmedAt  time.Time
	CancelledAt  time.Time
	CheckedInAt  time.Time
	RemindedAt   time.Time
	// EventCancelNotifiedAt is when the event's cancellation was emailed.
	EventCancelNotifiedAt time.Time
	LinkResentAt          time.Time
	ExpiresAt             time.Time
	Version               int
}

// RegistrationInput is the body of POST /api/events/{id}/registrations.
type RegistrationInput struct {
	FullName     string                     `json:"fullName"`
	Email        string                     `json:"email"`
	Organisation string                     `json:"organisation,omitempty"`
	Phone        string                     `json:"phone,omitempty"`
	Answers      map[string]json.RawMessage `json:"answers,omitempty"`
	Lang         string                     `json:"lang"`
	Consent      *bool                      `json:"consent"`
}

var phoneRE = regexp.MustCompile(`^\+?[0-9][0-9 ().-]{5,24}$`)

// validate checks the input against the event's questions and returns the
// normalised answers.
func (in RegistrationInput) validate(e Event) (map[string][]string, error) {
	var fs apperr.Fields
	validate.Text(&fs, "fullName", in.FullName, 2, 120, true)
	validate.Email(&fs, "email", in.Email)
	validate.Text(&fs, "organisation", in.Organisation, 0, 200, true)
	if p := strings.TrimSpace(in.Phone); p != "" && validate.Text(&fs, "phone", in.Phone, 6, 25, true) && !phoneRE.MatchString(p) {
		fs.Add("phone", "format", nil)
	}
	validate.Lang(&fs, "lang", in.Lang)
	if in.Consent == nil || !*in.Consent {
		fs.Add("consent", "consent", nil)
	}
	answers := map[string][]string{}
	known := map[string]bool{}
	for _, q := range e.Questions {
		known[q.ID] = true
		f := "answers." + q.ID
		raw, given := in.Answers[q.ID]
		if given && string(raw) == "null" {
			given = false
		}
		switch q.Type {
		case ShortText, LongText:
			var s string
			if given && json.Unmarshal(raw, &s) != nil {
				fs.Add(f, "type", map[string]any{"expected": "string"})
				continue
			}
			max, single := AnswerTextMax, true
			if q.Type == LongText {
				max, single = AnswerLongTextMax, false
			}
			min := 0
			if q.Required {
				min = 1
			}
			if validate.Text(&fs, f, s, min, max, single) && strings.TrimSpace(s) != "" {
				answers[q.ID] = []string{strings.TrimSpace(s)}
			}
		case SingleChoice:
			var s string
			if given && json.Unmarshal(raw, &s) != nil {
				fs.Add(f, "type", map[string]any{"expected": "string"})
				continue
			}
			if s == "" {
				if q.Required {
					fs.Add(f, "required", nil)
				}
				continue
			}
			if validate.OneOf(&fs, f, s, q.optionIDs()...) {
				answers[q.ID] = []string{s}
			}
		case MultipleChoice:
			var list []string
			if given && json.Unmarshal(raw, &list) != nil {
				fs.Add(f, "type", map[string]any{"expected": "array"})
				continue
			}
			if len(list) == 0 {
				if q.Required {
					fs.Add(f, "required", nil)
				}
				continue
			}
			ok := len(list) <= len(q.Options)
			seen := map[string]bool{}
			for _, v := range list {
				ok = ok && slices.Contains(q.optionIDs(), v) && !seen[v]
				seen[v] = true
			}
			if !ok {
				fs.Add(f, "one_of", map[string]any{"values": strings.Join(q.optionIDs(), ", ")})
				continue
			}
			answers[q.ID] = list
		}
	}
	for id := range in.Answers {
		if !known[id] {
			fs.Add("answers."+id, "unknown", nil)
		}
	}
	return answers, fs.Err()
}

func (q Question) optionIDs() []string {
	ids := make([]string, len(q.Options))
	for i, o := range q.Options {
		ids[i] = o.ID
	}
	return ids
}

// crockford is the check-in code alphabet: Crockford's base32 (no I, L, O,
// U), the alphabet secret.Base32 draws from.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newCode returns a check-in code of 8 characters (40 bits).
func newCode(r io.Reader) (string, error) { return secret.Base32(r, 8) }

// NormalizeCode reads a code as typed at the door: case, spaces and dashes
// ignored, I/L read as 1 and O as 0.
func NormalizeCode(s string) string {
	s = strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s)))
	return strings.NewReplacer("I", "1", "L", "1", "O", "0").Replace(s)
}

func validCode(c string) bool {
	if len(c) != 8 {
		return false
	}
	for _, r := range c {
		if !strings.ContainsRune(crockford, r) {
			return false
		}
	}
	return true
}

// TokenMatches reports, in constant time, whether token is r's manage token.
func (r Registration) TokenMatches(token string) bool { return secret.Matches(token, r.TokenHash) }

// EmailHash is the lookup key of an address: SHA-256 (hex) of the normalised address.
func EmailHash(email string) string { return secret.EmailHash(email) }

// ValidRegistrationID reports whether id could be a registration ID.
func ValidRegistrationID(id string) bool { return secret.ValidID(id) }

var defaultRand io.Reader = rand.Reader
