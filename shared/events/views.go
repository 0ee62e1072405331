package events

import (
	"time"

	"espaceosc/shared/i18n"
)

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

// PublicView is an event as anyone sees it (no online link, no personal data).
type PublicView struct {
	ID                   string     `json:"id"`
	Kind                 string     `json:"kind"`
	Title                string     `json:"title"`
	Description          string     `json:"description"`
	StartsAt             string     `json:"startsAt"`
	EndsAt               string     `json:"endsAt"`
	Venue                *Venue     `json:"venue,omitempty"`
	Online               bool       `json:"online"`
	Status               Status     `json:"status"`
	Capacity             int        `json:"capacity"`
	SeatsLeft            int        `json:"seatsLeft"`
	WaitlistOpen         bool       `json:"waitlistOpen"`
	RegistrationOpen     bool       `json:"registrationOpen"`
	RegistrationOpensAt  string     `json:"registrationOpensAt"`
	RegistrationClosesAt string     `json:"registrationClosesAt"`
	Questions            []Question `json:"questions"`
}

// Public returns the public view in lang at now.
func (e Event) Public(lang i18n.Lang, now time.Time) PublicView {
	q := e.Questions
	if q == nil {
		q = []Question{}
	}
	return PublicView{
		ID: e.ID, Kind: e.Kind, Title: e.Title.In(lang), Description: e.Description.In(lang),
		StartsAt: rfc3339(e.StartsAt), EndsAt: rfc3339(e.EndsAt), Venue: e.Venue, Online: e.Online,
		Status: e.Status, Capacity: e.Capacity, SeatsLeft: e.SeatsLeft(), WaitlistOpen: e.Status == Published && e.WaitlistOpen(),
		RegistrationOpen: e.RegistrationOpen(now), RegistrationOpensAt: rfc3339(e.RegistrationOpensAt),
		RegistrationClosesAt: rfc3339(e.RegistrationClosesAt), Questions: q,
	}
}

// AdminView is the full event with its counters.
type AdminView struct {
	ID                   string     `json:"id"`
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
	Questions            []Question `json:"questions"`
	ReminderHours        int        `json:"reminderHours"`
	Status               Status     `json:"status"`
	Confirmed            int        `json:"confirmed"`
	Waitlisted           int        `json:"waitlisted"`
	Attended             int        `json:"attended"`
	SeatsLeft            int        `json:"seatsLeft"`
	CreatedAt            string     `json:"createdAt"`
	UpdatedAt            string     `json:"updatedAt"`
	PublishedAt          string     `json:"publishedAt,omitempty"`
	CancelledAt          string     `json:"cancelledAt,omitempty"`
	Version              int        `json:"version"`
}

// Admin returns the administrators' view.
func (e Event) Admin() AdminView {
	q := e.Questions
	if q == nil {
		q = []Question{}
	}
	return AdminView{
		ID: e.ID, Kind: e.Kind, Title: e.Title, Description: e.Description,
		StartsAt: rfc3339(e.StartsAt), EndsAt: rfc3339(e.EndsAt), Venue: e.Venue, Online: e.Online, OnlineURL: e.OnlineURL,
		Capacity: e.Capacity, WaitlistSize: e.WaitlistSize,
		RegistrationOpensAt: rfc3339(e.RegistrationOpensAt), RegistrationClosesAt: rfc3339(e.RegistrationClosesAt),
		Questions: q, ReminderHours: e.ReminderHours, Status: e.Status,
		Confirmed: e.Confirmed, Waitlisted: e.Waitlisted, Attended: e.Attended, SeatsLeft: e.SeatsLeft(),
		CreatedAt: rfc3339(e.CreatedAt), UpdatedAt: rfc3339(e.UpdatedAt), PublishedAt: rfc3339(e.PublishedAt),
		CancelledAt: rfc3339(e.CancelledAt), Version: e.Version,
	}
}

// Receipt is the answer to a registration (and what a retry with the same
// Idempotency-Key gets again).
type Receipt struct {
	ID       string    `json:"id"`
	Status   RegStatus `json:"status"`
	Position int       `json:"position,omitempty"`
	Code     string    `json:"code"`
}

// ManageView is what the registrant sees through the manage link.
type ManageView struct {
	ID        string     `json:"id"`
	Status    RegStatus  `json:"status"`
	Position  int        `json:"position,omitempty"`
	Code      string     `json:"code"`
	FullName  string     `json:"fullName"`
	CreatedAt string     `json:"createdAt"`
	Event     PublicView `json:"event"`
	OnlineURL string     `json:"onlineUrl,omitempty"` // confirmed registrants of an online event
}

// RegistrationView is a registration as administrators see it.
type RegistrationView struct {
	ID           string              `json:"id"`
	EventID      string              `json:"eventId"`
	Status       RegStatus           `json:"status"`
	Position     int                 `json:"position,omitempty"`
	Code         string              `json:"code"`
	FullName     string              `json:"fullName"`
	Email        string              `json:"email"`
	Organisation string              `json:"organisation,omitempty"`
	Phone        string              `json:"phone,omitempty"`
	Answers      map[string][]string `json:"answers"`
	Lang         string              `json:"lang"`
	CreatedAt    string              `json:"createdAt"`
	CheckedInAt  string              `json:"checkedInAt,omitempty"`
	CancelledAt  string              `json:"cancelledAt,omitempty"`
	RemindedAt   string              `json:"remindedAt,omitempty"`
}

// Admin returns the administrators' view of r.
func (r Registration) Admin() RegistrationView {
	a := r.Answers
	if a == nil {
		a = map[string][]string{}
	}
	return RegistrationView{
		ID: r.ID, EventID: r.EventID, Status: r.Status, Position: r.Position, Code: r.Code,
		FullName: r.FullName, Email: r.Email, Organisation: r.Organisation, Phone: r.Phone, Answers: a,
		Lang: string(r.Lang), CreatedAt: rfc3339(r.CreatedAt), CheckedInAt: rfc3339(r.CheckedInAt),
		CancelledAt: rfc3339(r.CancelledAt), RemindedAt: rfc3339(r.RemindedAt),
	}
}

// ExportView is the answer to an export.
type ExportView struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	ExpiresAt string `json:"expiresAt"`
	Rows      int    `json:"rows"`
}

// CheckInView is the answer to a check-in.
type CheckInView struct {
	RegistrationID string `json:"registrationId"`
	Code           string `json:"code"`
	FullName       string `json:"fullName"`
	CheckedInAt    string `json:"checkedInAt"`
	Attended       int    `json:"attended"`
}

// CancelResult is the answer to an event's cancellation.
type CancelResult struct {
	Event        AdminView        `json:"event"`
	Notification NotificationView `json:"notification"`
}

// NotificationView is a fan-out to an event's registrants, told
// asynchronously (GET /api/admin/notifications/{id} follows it).
type NotificationView struct {
	ID         string `json:"id"`
	Recipients int    `json:"recipients"` // registrants to tell when it started
}

// ReminderResult counts what a reminder run did.
type ReminderResult struct {
	Events  int `json:"events"`  // events whose reminder time has come
	Started int `json:"started"` // reminder jobs this run recorded
}

// manageView is what the holder of r's manage link sees of r and its event
// at now: the online link once confirmed for a published online event.
func (r Registration) manageView(e Event, now time.Time) ManageView {
	v := ManageView{
		ID: r.ID, Status: r.Status, Position: r.Position, Code: r.Code, FullName: r.FullName,
		CreatedAt: rfc3339(r.CreatedAt), Event: e.Public(r.Lang, now),
	}
	if r.Status == RegConfirmed && e.Status == Published && e.Online {
		v.OnlineURL = e.OnlineURL
	}
	return v
}
