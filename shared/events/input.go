package events

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/validate"
)

var questionIDRE = regexp.MustCompile(`^[a-z0-9_-]{1,40}$`)

// Input is the body of POST /api/admin/events and PUT /api/admin/events/{id}.
type Input struct {
	ID                   string     `json:"id,omitempty"` // create only; generated when empty
	Kind                 string     `json:"kind"`
	Title                i18n.Text  `json:"title"`
	Description          i18n.Text  `json:"description"`
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

// validate checks every field (the id only when creating) and reports every
// problem at once.
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
	e.Title = i18n.Text{FR: strings.TrimSpace(in.Title.FR), AR: strings.TrimSpace(in.Title.AR)}
	e.Description = i18n.Text{FR: strings.TrimSpace(in.Description.FR), AR: strings.TrimSpace(in.Description.AR)}
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

// CheckInInput is the body of POST /api/admin/events/{id}/checkins.
type CheckInInput struct {
	Code string `json:"code"`
}
