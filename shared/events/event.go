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
	"strconv"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/validate"
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
	Cancelled Status = "cancelled"
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

// Localized is a text in French and Arabic.
type Localized struct {
	FR string `json:"fr"`
	AR string `json:"ar"`
}

// In returns the text in lang, falling back to French.
func (l Localized) In(lang string) string {
	if lang == "ar" && l.AR != "" {
		return l.AR
	}
	return l.FR
}

// Option is one choice of a choice question.
type Option struct {
	ID    string    `json:"id"`
	Label Localized `json:"label"`
}

// Question is a custom question of the registration form.
type Question struct {
	ID       string       `json:"id"`
	Type     QuestionType `json:"type"`
	Label    Localized    `json:"label"`
	Required bool         `json:"required"`
	Options  []Option     `json:"options,omitempty"`
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
	Title                Localized
	Description          Localized
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
	// Sequence is the iCalendar SEQUENCE: incremented by each edit.
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

var (
	eventIDRE    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{2,63}$`)
	questionIDRE = regexp.MustCompile(`^[a-z0-9_-]{1,40}$`)
)

// ValidEventID reports whether id could name an event.
func ValidEventID(id string) bool { return eventIDRE.MatchString(id) }

// Input is the body of POST /api/admin/events and PUT /api/admin/events/{id}.
type Input struct {
	ID                   string     `json:"id,omitempty"` // create only; generated when empty
	Kind                 string     `json:"kind"`
	Title                Localized  `json:"title"`
	Description          Localized  `json:"description"`
	StartsAt             string     `json:"startsAt"`
	EndsAt               string     `json:"endsAt"`
	Venue                *Venue     `json:"venue,omitempty"`
	Online               bool       `json:"online"`
	OnlineURL            string     `json:"onlineUrl,omitempty"`
	Capacity             int        `json:"capacity"`
	WaitlistSize         int        `json:"waitlistSize"`
	RegistrationOpensAt  string     `json:"registrationOpensAt"`
	RegistrationClosesAt string     `json:"registrationClosesAt"`
	Questions            []Question `json:"questions,omitempty"`
	ReminderHours        *int       `json:"reminderHours,omitempty"`
}

// parsed holds an Input's times once valid.
type parsed struct {
	starts, ends, opens, closes time.Time
}

func timestamp(fs *apperr.Fields, field, v string) time.Time {
	if v == "" {
		fs.Add(field, "required", nil)
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		fs.Add(field, "timestamp", nil)
		return time.Time{}
	}
	return t.UTC().Truncate(time.Second)
}

// Validate checks every field and reports every problem.
func (in Input) validate(creating bool) (parsed, error) {
	var fs apperr.Fields
	if in.ID != "" {
		if !creating {
			fs.Add("id", "unknown", nil)
		} else if !ValidEventID(in.ID) {
			fs.Add("id", "format", nil)
		}
	}
	validate.OneOf(&fs, "kind", in.Kind, Kinds...)
	validate.Text(&fs, "title.fr", in.Title.FR, TitleMin, TitleMax, true)
	validate.Text(&fs, "title.ar", in.Title.AR, TitleMin, TitleMax, true)
	validate.Text(&fs, "description.fr", in.Description.FR, 0, DescriptionMax, false)
	validate.Text(&fs, "description.ar", in.Description.AR, 0, DescriptionMax, false)
	var p parsed
	p.starts = timestamp(&fs, "startsAt", in.StartsAt)
	p.ends = timestamp(&fs, "endsAt", in.EndsAt)
	p.opens = timestamp(&fs, "registrationOpensAt", in.RegistrationOpensAt)
	p.closes = timestamp(&fs, "registrationClosesAt", in.RegistrationClosesAt)
	if !fs.Has("startsAt") && !fs.Has("endsAt") && !p.ends.After(p.starts) {
		fs.Add("endsAt", "events.ends_before_start", nil)
	}
	if !fs.Has("registrationOpensAt") && !fs.Has("registrationClosesAt") && !p.closes.After(p.opens) {
		fs.Add("registrationClosesAt", "events.closes_before_opens", nil)
	}
	if !fs.Has("registrationClosesAt") && !fs.Has("startsAt") && p.closes.After(p.starts) {
		fs.Add("registrationClosesAt", "events.closes_after_start", nil)
	}
	if in.Venue != nil {
		validate.Text(&fs, "venue.address", in.Venue.Address, 3, 300, true)
		validate.Text(&fs, "venue.city", in.Venue.City, 2, 100, true)
		validate.Text(&fs, "venue.region", in.Venue.Region, 0, 100, true)
	} else if !in.Online {
		fs.Add("venue", "events.venue_or_online", nil)
	}
	if in.Online {
		validate.URL(&fs, "onlineUrl", in.OnlineURL, 500)
	} else if in.OnlineURL != "" {
		fs.Add("onlineUrl", "events.online_url_without_online", nil)
	}
	if in.Capacity < 1 || in.Capacity > MaxCapacity {
		fs.Add("capacity", "range", map[string]any{"min": 1, "max": MaxCapacity})
	}
	if in.WaitlistSize < 0 || in.WaitlistSize > MaxCapacity {
		fs.Add("waitlistSize", "range", map[string]any{"min": 0, "max": MaxCapacity})
	}
	if in.ReminderHours != nil && (*in.ReminderHours < 0 || *in.ReminderHours > MaxReminderHours) {
		fs.Add("reminderHours", "range", map[string]any{"min": 0, "max": MaxReminderHours})
	}
	if len(in.Questions) > MaxQuestions {
		fs.Add("questions", "events.too_many", map[string]any{"max": MaxQuestions})
	}
	seen := map[string]bool{}
	for i, q := range in.Questions {
		f := "questions[" + strconv.Itoa(i) + "]"
		if !questionIDRE.MatchString(q.ID) || seen[q.ID] {
			fs.Add(f+".id", "format", nil)
		}
		seen[q.ID] = true
		validate.OneOf(&fs, f+".type", string(q.Type), QuestionTypes...)
		validate.Text(&fs, f+".label.fr", q.Label.FR, 1, 300, true)
		validate.Text(&fs, f+".label.ar", q.Label.AR, 1, 300, true)
		choice := q.Type == SingleChoice || q.Type == MultipleChoice
		switch {
		case choice && (len(q.Options) < 2 || len(q.Options) > MaxOptions):
			fs.Add(f+".options", "range", map[string]any{"min": 2, "max": MaxOptions})
		case !choice && len(q.Options) > 0:
			fs.Add(f+".options", "unknown", nil)
		}
		opt := map[string]bool{}
		for j, o := range q.Options {
			of := f + ".options[" + strconv.Itoa(j) + "]"
			if !questionIDRE.MatchString(o.ID) || opt[o.ID] {
				fs.Add(of+".id", "format", nil)
			}
			opt[o.ID] = true
			validate.Text(&fs, of+".label.fr", o.Label.FR, 1, 200, true)
			validate.Text(&fs, of+".label.ar", o.Label.AR, 1, 200, true)
		}
	}
	return p, fs.Err()
}

// apply writes a valid input onto e (the editable fields only).
func (in Input) apply(e *Event, p parsed) {
	e.Kind = in.Kind
	e.Title = Localized{FR: strings.TrimSpace(in.Title.FR), AR: strings.TrimSpace(in.Title.AR)}
	e.Description = Localized{FR: strings.TrimSpace(in.Description.FR), AR: strings.TrimSpace(in.Description.AR)}
	e.StartsAt, e.EndsAt = p.starts, p.ends
	e.RegistrationOpensAt, e.RegistrationClosesAt = p.opens, p.closes
	e.Venue = nil
	if in.Venue != nil {
		v := Venue{Address: strings.TrimSpace(in.Venue.Address), City: strings.TrimSpace(in.Venue.City), Region: strings.TrimSpace(in.Venue.Region)}
		e.Venue = &v
	}
	e.Online = in.Online
	e.OnlineURL = strings.TrimSpace(in.OnlineURL)
	e.Capacity, e.WaitlistSize = in.Capacity, in.WaitlistSize
	e.ReminderHours = DefaultReminderHours
	if in.ReminderHours != nil {
		e.ReminderHours = *in.ReminderHours
	}
	e.Questions = append([]Question(nil), in.Questions...)
	for i := range e.Questions {
		e.Questions[i].Label.FR = strings.TrimSpace(e.Questions[i].Label.FR)
		e.Questions[i].Label.AR = strings.TrimSpace(e.Questions[i].Label.AR)
	}
}

// SeatsLeft is how many seats remain.
func (e Event) SeatsLeft() int { return max(0, e.Capacity-e.Confirmed) }

// WaitlistOpen reports whether a newcomer would join the waitlist.
func (e Event) WaitlistOpen() bool { return e.SeatsLeft() == 0 && e.Waitlisted < e.WaitlistSize }

// place is where a newcomer goes given the counters read: a seat
// (Confirmed) while seats remain, else the next waitlist position
// (Waitlisted, WaitlistSeq+1) while the waitlist has room, else nowhere ("").
func (e Event) place() (RegStatus, int) {
	switch {
	case e.SeatsLeft() > 0:
		return Confirmed, 0
	case e.Waitlisted < e.WaitlistSize:
		return Waitlisted, e.WaitlistSeq + 1
	}
	return "", 0
}

// RegistrationOpen reports whether registering is possible at now.
func (e Event) RegistrationOpen(now time.Time) bool {
	return e.closedReason(now) == "" && (e.SeatsLeft() > 0 || e.WaitlistOpen())
}

// closedReason is the message key explaining why nobody can register at now, or "".
func (e Event) closedReason(now time.Time) string {
	switch {
	case e.Status == Draft:
		return "events.not_published"
	case e.Status == Cancelled:
		return "events.cancelled"
	case !now.Before(e.StartsAt):
		return "events.past"
	case now.Before(e.RegistrationOpensAt):
		return "events.not_open_yet"
	case !now.Before(e.RegistrationClosesAt):
		return "events.closed"
	}
	return ""
}
