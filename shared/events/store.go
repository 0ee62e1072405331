package events

import (
	"context"
	"errors"
	"time"

	"espaceosc/shared/idempotency"
	"espaceosc/shared/outbox"
)

// ErrStale is returned (wrapped) by Store.Register when the event's counters
// no longer are what the registration was built on: read again and retry.
var ErrStale = errors.New("event counters changed")

// ErrDuplicate is returned (wrapped) by Store.Register when the email already
// holds a registration for the event.
var ErrDuplicate = errors.New("email already registered for this event")

// Registering is one registration's transaction.
type Registering struct {
	Registration Registration
	// Seat: take a seat (the event's confirmed count must stay under its
	// capacity). Otherwise join the waitlist at Registration.Position, which
	// must be ReadWaitlistSeq+1 (the event's WaitlistSeq must still be
	// ReadWaitlistSeq, all seats taken, the waitlist not full).
	Seat            bool
	ReadWaitlistSeq int
	Email           outbox.Email
	Idempotency     *idempotency.Record
}

// Withdrawal is a registrant's cancellation: the registration leaves, and
// when it held a seat the first waitlisted person (Promoted) takes it, all
// in one transaction.
type Withdrawal struct {
	Registration        Registration // the new state (Withdrawn)
	PrevStatus          RegStatus
	PrevVersion         int
	Promoted            *Registration // the new state (Confirmed), or nil
	PromotedPrevVersion int
	Emails              []outbox.Email
}

// Promotion is a seat freed by a capacity raise going to the first
// waitlisted person: their new state and confirmation email, with the
// event's counters (one more confirmed, one fewer waitlisted), in one
// transaction.
type Promotion struct {
	Registration Registration // the new state (Confirmed)
	PrevVersion  int
	Email        outbox.Email
}

// RegFilter narrows a listing of registrations.
type RegFilter string

const (
	AllRegs           RegFilter = ""
	NotReminded       RegFilter = "not_reminded"
	NotCancelNotified RegFilter = "not_cancel_notified"
)

// Export records one CSV export of an event's registrations.
type Export struct {
	ID      string
	EventID string
	By      string // the administrator's JWT subject
	At      time.Time
	Rows    int
	Key     string // S3 key
}

// Store is what the service needs of the table.
type Store interface {
	idempotency.Store
	// CreateEvent stores a new event; apperr.Conflict if the ID is taken.
	CreateEvent(ctx context.Context, e Event) error
	// GetEvent reads an event (strongly consistent); apperr.NotFound.
	GetEvent(ctx context.Context, id string) (Event, error)
	// UpdateEvent writes the editable fields, status and timestamps of e
	// (never the counters) if its version is still prevVersion and its
	// capacity is not below the confirmed count; else apperr.Conflict.
	UpdateEvent(ctx context.Context, e Event, prevVersion int) error
	// ListPublishedEvents lists published and cancelled events: those
	// starting at or after from, soonest first, or (from zero) all, latest
	// first. A bad cursor is apperr.Invalid.
	ListPublishedEvents(ctx context.Context, from time.Time, limit int, cursor string) ([]Event, string, error)
	// ListEvents lists every event, newest created first.
	ListEvents(ctx context.Context, limit int, cursor string) ([]Event, string, error)

	// Register runs one registration's TransactWriteItems. It returns
	// errors wrapping ErrStale, ErrDuplicate or idempotency.ErrRecorded,
	// apperr.Conflict when the event is no longer published, and
	// apperr.Unavailable when the table is down.
	Register(ctx context.Context, r Registering) error
	// GetRegistration reads a registration; apperr.NotFound.
	GetRegistration(ctx context.Context, id string) (Registration, error)
	// RegistrationByEmail finds the registration of emailHash for the event; apperr.NotFound.
	RegistrationByEmail(ctx context.Context, eventID, emailHash string) (Registration, error)
	// RegistrationByCode finds a registration by check-in code; apperr.NotFound.
	RegistrationByCode(ctx context.Context, eventID, code string) (Registration, error)
	// ResendLink replaces r's token hash and records e, if the link was not
	// resent after notBefore; else apperr.Conflict.
	ResendLink(ctx context.Context, r Registration, tokenHash string, notBefore time.Time, e outbox.Email) error
	// FirstWaitlisted returns the waitlisted registration with the lowest
	// position; apperr.NotFound if nobody waits.
	FirstWaitlisted(ctx context.Context, eventID string) (Registration, error)
	// Withdraw runs a cancellation transaction; apperr.Conflict when a
	// registration changed meanwhile.
	Withdraw(ctx context.Context, w Withdrawal) error
	// Promote runs a promotion transaction while the event is published
	// with a free seat; apperr.Conflict when the registration or the
	// counters changed meanwhile or no seat is free.
	Promote(ctx context.Context, p Promotion) error
	// ListRegistrations lists an event's registrations with status (all if
	// empty): waitlisted by position, others oldest first.
	ListRegistrations(ctx context.Context, eventID string, status RegStatus, filter RegFilter, limit int, cursor string) ([]Registration, string, error)
	// CheckIn marks a confirmed registration attended and counts it on the
	// event; apperr.Conflict if already checked in or no longer confirmed.
	CheckIn(ctx context.Context, r Registration, at time.Time) error
	// MarkReminded marks r reminded and records e; apperr.Conflict if r was
	// already reminded or is no longer confirmed.
	MarkReminded(ctx context.Context, r Registration, at time.Time, e outbox.Email) error
	// MarkCancelNotified marks r told of the event's cancellation and
	// records e; apperr.Conflict if it already was.
	MarkCancelNotified(ctx context.Context, r Registration, at time.Time, e outbox.Email) error
	// RecordExport records an export.
	RecordExport(ctx context.Context, x Export) error
}

// Deliverer sends an email recorded in the outbox (outbox.Outbox).
type Deliverer interface {
	Deliver(ctx context.Context, e outbox.Email) error
}

// Exporter stores an export file and hands out a short-lived download link.
type Exporter interface {
	// Put stores body under key.
	Put(ctx context.Context, key, contentType string, body []byte) error
	// PresignGet returns a GET URL of key valid for ttl.
	PresignGet(ctx context.Context, key string, ttl time.Duration) (string, error)
}
