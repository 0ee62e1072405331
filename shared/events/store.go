package events

import (
	"context"
	"errors"
	"espaceosc/shared/bulk"
	"io"
	"time"

	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/outbox"
)

// ErrStale is returned (wrapped) by Store.Register when the event's counters
// no longer are what the registration was built on (or the event is no
// longer published): read again and retry.
var ErrStale = errors.New("event counters changed")

// ErrDuplicate is returned (wrapped) by Store.Register when the email already
// holds a registration for the event.
var ErrDuplicate = errors.New("email already registered for this event")

// Registering is one registration's transaction.
type Registering struct {
	Registration Registration
	// Seat: take a seat (the event must be published with its confirmed
	// count under its capacity). Otherwise join the waitlist at
	// Registration.Position, which must be ReadWaitlistSeq+1 (the event must
	// be published, its WaitlistSeq still ReadWaitlistSeq, all seats taken,
	// the waitlist not full).
	Seat            bool
	ReadWaitlistSeq int
	Email           outbox.Email
	Idempotency     *idempotency.Record // nil without an Idempotency-Key
}

// Counter is one of an event's registration counters.
type Counter string

const (
	CountConfirmed  Counter = "confirmed"
	CountWaitlisted Counter = "waitlisted"
)

// Withdrawal is a registrant's cancellation: the registration leaves, and
// when it held a seat the first waitlisted person (Promoted) takes it, all
// in one transaction.
type Withdrawal struct {
	Registration        Registration // the new state (RegCancelled)
	PrevVersion         int
	Promoted            *Registration // the new state (RegConfirmed), or nil
	PromotedPrevVersion int
	Freed               Counter // the event's counter that loses one
	Emails              []outbox.Email
}

// Promotion is a seat freed by a capacity raise going to the first
// waitlisted person: their new state and confirmation email, with the
// event's counters (one more confirmed, one fewer waitlisted), in one
// transaction.
type Promotion struct {
	Registration Registration // the new state (RegConfirmed)
	PrevVersion  int
	Email        outbox.Email
}

// RegFilter narrows a listing of registrations.
type RegFilter string

const (
	AllRegs           RegFilter = ""
	NotReminded       RegFilter = "not_reminded"        // RemindedAt not set
	NotCancelNotified RegFilter = "not_cancel_notified" // EventCancelNotifiedAt not set
)

// Store is what the service needs of the table (ddbstore/eventsdb).
type Store interface {
	idempotency.Store
	// CreateEvent stores a new event; apperr.Conflict if the ID is taken.
	CreateEvent(ctx context.Context, e Event) error
	// GetEvent reads an event (strongly consistent); apperr.NotFound.
	GetEvent(ctx context.Context, id string) (Event, error)
	// UpdateEvent replaces the stored event with e if its version is still
	// prevVersion, its counters still those of e and its confirmed count
	// not above e's capacity; else apperr.Conflict.
	UpdateEvent(ctx context.Context, e Event, prevVersion int) error
	// UpdateEventWithJob is UpdateEvent with job (a fan-out of the change to
	// the registrants) recorded in the same transaction; apperr.Conflict as
	// UpdateEvent, or when the job exists already.
	UpdateEventWithJob(ctx context.Context, e Event, prevVersion int, job bulk.Job) error
	// ListPublishedEvents lists published and cancelled events: those
	// starting at or after from, soonest first, or (from zero) all, latest
	// first; the next page's cursor is "" on the last. A bad cursor is
	// apperr.Invalid.
	ListPublishedEvents(ctx context.Context, from time.Time, limit int, cursor string) ([]Event, string, error)
	// ListEvents lists every event, newest created first.
	ListEvents(ctx context.Context, limit int, cursor string) ([]Event, string, error)

	// Register runs one registration's transaction: the event's counters,
	// the registration, the address's lock, the email and the idempotency
	// record. It returns errors wrapping ErrStale (the counters or the
	// status moved), ErrDuplicate (the address is registered) or
	// idempotency.ErrRecorded, and apperr.Unavailable when the table is
	// down or the transaction kept conflicting.
	Register(ctx context.Context, r Registering) error
	// GetRegistration reads a registration; apperr.NotFound.
	GetRegistration(ctx context.Context, id string) (Registration, error)
	// RegistrationByEmail finds the registration of emailHash for the event; apperr.NotFound.
	RegistrationByEmail(ctx context.Context, eventID, emailHash string) (Registration, error)
	// RegistrationByCode finds a registration by check-in code; apperr.NotFound.
	RegistrationByCode(ctx context.Context, eventID, code string) (Registration, error)
	// ResendLink stores r's new TokenHash and LinkResentAt and records e, if
	// the link was not resent at or after notBefore; else apperr.Conflict.
	ResendLink(ctx context.Context, r Registration, notBefore time.Time, e outbox.Email) error
	// FirstWaitlisted returns the waitlisted registration with the lowest
	// position; apperr.NotFound if nobody waits.
	FirstWaitlisted(ctx context.Context, eventID string) (Registration, error)
	// Withdraw runs a cancellation transaction; apperr.Conflict when a
	// registration changed meanwhile (or the promoted one no longer waits).
	Withdraw(ctx context.Context, w Withdrawal) error
	// Promote runs a promotion transaction while the event is published
	// with a free seat; apperr.Conflict when the registration or the
	// counters changed meanwhile or no seat is free.
	Promote(ctx context.Context, p Promotion) error
	// ListRegistrations lists an event's registrations with status (all if
	// empty): waitlisted by position, others oldest first; the next page's
	// cursor is "" on the last. A bad cursor is apperr.Invalid.
	ListRegistrations(ctx context.Context, eventID string, status RegStatus, filter RegFilter, limit int, cursor string) ([]Registration, string, error)
	// CheckIn marks a confirmed registration attended at `at` and counts it
	// on the event; apperr.Conflict if already checked in or no longer
	// confirmed.
	CheckIn(ctx context.Context, r Registration, at time.Time) error
	// RecordNotices records each notice once: its registration's mark and
	// its email together, a batch at a time. A notice whose mark is set
	// already, or whose registration is no longer in the notice's status, is
	// skipped. It returns the notices recorded.
	RecordNotices(ctx context.Context, notices []Notice) ([]Notice, error)
	// RecordExport records an export.
	RecordExport(ctx context.Context, x Export) error
}

// Jobs records the fan-outs that no other write carries (reminders) and
// reads their progress (bulk jobs of the table).
type Jobs interface {
	// CreateJob records a new job; apperr.Conflict if it exists.
	CreateJob(ctx context.Context, j bulk.Job) error
	// GetJob returns the job id, or apperr.NotFound.
	GetJob(ctx context.Context, id string) (bulk.Job, error)
}

// Mailer composes the capability's emails and delivers them once they are
// recorded (outbox.Outbox).
type Mailer interface {
	// Compose returns the email of kind to `to`, rendered from data when sent.
	Compose(to string, lang i18n.Lang, kind, refID string, data any) (outbox.Email, error)
	// Deliver sends e if nobody else has; failures leave it to the sweeper.
	Deliver(ctx context.Context, e outbox.Email) error
}

// Files is the dossier bucket as exports use it (filestore.Bucket).
type Files interface {
	// Put stores size bytes of body under key, served as a download named
	// filename.
	Put(ctx context.Context, key, contentType, filename string, body io.Reader, size int64) error
	// PresignGet returns a GET link to key (at version, "" for the latest)
	// valid for ttl.
	PresignGet(ctx context.Context, key, version, filename string, ttl time.Duration) (string, error)
}
