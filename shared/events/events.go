// Package events is the "Inscription aux événements et formations"
// capability: administrators publish workshops, trainings, webinars and
// meetings; anyone registers without an account and gets a seat while seats
// remain, else a place on the waitlist; a cancellation promotes the first
// person waiting; confirmed registrants get a calendar file, a reminder, and
// are checked in at the door by their registration code; administrators
// export the registrations as CSV.
package events

import (
	"regexp"
	"time"

	"espaceosc/shared/i18n"
	"espaceosc/shared/secret"
)

// Kind is what an event is.
type Kind string

// Kinds lists every kind.
var Kinds = []string{"workshop", "training", "webinar", "meeting"}

// Status is where an event stands.
type Status string

const (
	Draft     Status = "draft"
	Published Status = "published"
	Cancelled Status = "cancelled" // the event is off
)

// QuestionType is the kind of answer a custom question takes.
type QuestionType string

const (
	ShortText      QuestionType = "short_text"
	LongText       QuestionType = "long_text"
	SingleChoice   QuestionType = "single_choice"
	MultipleChoice QuestionType = "multiple_choice"
)

// QuestionTypes lists every question type.
var QuestionTypes = []string{string(ShortText), string(LongText), string(SingleChoice), string(MultipleChoice)}

// Option is one choice of a choice question.
type Option struct {
	ID    string    `json:"id"`
	Label i18n.Text `json:"label"`
}

// Question is a custom question of the registration form.
type Question struct {
	ID       string       `json:"id"`
	Type     QuestionType `json:"type"`
	Label    i18n.Text    `json:"label"`
	Required bool         `json:"required"`
	Options  []Option     `json:"options,omitempty"`
}

func (q Question) optionIDs() []string {
	ids := make([]string, len(q.Options))
	for i, o := range q.Options {
		ids[i] = o.ID
	}
	return ids
}

// Venue is where an in-person event takes place.
type Venue struct {
	Address string `json:"address"`
	City    string `json:"city"`
	Region  string `json:"region"`
}

// Event is a workshop, training, webinar or meeting.
type Event struct {
	ID                   string
	Kind                 string
	Title                i18n.Text
	Description          i18n.Text
	StartsAt, EndsAt     time.Time // UTC
	Venue                *Venue    // nil for an online-only event
	Online               bool
	OnlineURL            string // sent only to confirmed registrants
	Capacity             int
	WaitlistSize         int // 0: no waitlist
	RegistrationOpensAt  time.Time
	RegistrationClosesAt time.Time
	Questions            []Question
	ReminderHours        int
	Status               Status
	// Counters, changed only by the registration transactions.
	Confirmed   int
	Waitlisted  int // people on the waitlist now
	WaitlistSeq int // last waitlist position handed out (positions are 1..WaitlistSeq)
	Attended    int
	// Sequence is the iCalendar SEQUENCE: incremented by each edit (an
	// edit that moves the event's date or place also tells the
	// registrants: JobUpdated).
	Sequence    int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PublishedAt time.Time
	CancelledAt time.Time
	Version     int // incremented by every administrator's change
}

// Limits.
const (
	TitleMin, TitleMax   = 3, 200
	DescriptionMax       = 5000
	MaxCapacity          = 100000
	MaxQuestions         = 20
	MaxOptions           = 20
	MaxReminderHours     = 24 * 30
	DefaultReminderHours = 48
	AnswerTextMax        = 200
	AnswerLongTextMax    = 3000
)

var eventIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{2,63}$`)

// ValidEventID reports whether id could name an event.
func ValidEventID(id string) bool { return eventIDRE.MatchString(id) }

// RegStatus is where a registration stands.
type RegStatus string

const (
	RegConfirmed  RegStatus = "confirmed"
	RegWaitlisted RegStatus = "waitlisted"
	RegCancelled  RegStatus = "cancelled" // cancelled by the registrant
)

// RegStatuses lists every registration status.
var RegStatuses = []string{string(RegConfirmed), string(RegWaitlisted), string(RegCancelled)}

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
	// NotifiedSequence is the event's Sequence as of the last details
	// (and .ics) the registrant was sent: set on registration and
	// promotion, raised by each update notice (JobUpdated), so that a
	// change reaches every registrant once and none of them twice.
	NotifiedSequence int
	LinkResentAt     time.Time
	ExpiresAt        time.Time
	Version          int
}

// TokenMatches reports, in constant time, whether token is r's manage token.
func (r Registration) TokenMatches(token string) bool { return secret.Matches(token, r.TokenHash) }

// EmailHash is the lookup key of an address: SHA-256 (hex) of the normalised address.
func EmailHash(email string) string { return secret.EmailHash(email) }

// ValidRegistrationID reports whether id could be a registration ID.
func ValidRegistrationID(id string) bool { return secret.ValidID(id) }

// Export records one CSV export of an event's registrations.
type Export struct {
	ID      string
	EventID string
	By      string // the administrator's JWT subject
	At      time.Time
	Rows    int
	Key     string // key in the dossier bucket
}
