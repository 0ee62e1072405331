package observations

import (
	"context"

	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/outbox"
)

// Store is what the service needs of the table (ddbstore/observationsdb).
type Store interface {
	idempotency.Store
	// CreateObservation writes o, its acknowledgement email ack and, when rec
	// is not nil, the idempotency record in one transaction (all or
	// nothing). It returns an error wrapping idempotency.ErrRecorded when
	// rec's key already has a record, and apperr.Unavailable when the table
	// is down or the transaction kept conflicting.
	CreateObservation(ctx context.Context, o Observation, ack outbox.Email, rec *idempotency.Record) error
	// GetObservation returns the observation id, or apperr.NotFound.
	GetObservation(ctx context.Context, id string) (Observation, error)
	// ListObservations returns up to limit observations (all, or those with
	// status if not empty), newest first, and the next page's cursor ("" on
	// the last). A bad cursor is apperr.Invalid (field "cursor").
	ListObservations(ctx context.Context, status Status, limit int, cursor string) ([]Observation, string, error)
	// UpdateObservation replaces the stored observation, whose version must
	// still be prevVersion, and records email (if not nil) in the same
	// transaction. It returns apperr.Conflict when the version changed or
	// the observation is gone meanwhile.
	UpdateObservation(ctx context.Context, o Observation, prevVersion int, email *outbox.Email) error
}

// Mailer composes the capability's emails and delivers them once they are
// recorded (outbox.Outbox).
type Mailer interface {
	// Compose returns the email of kind to `to`, rendered from data when sent.
	Compose(to string, lang i18n.Lang, kind, refID string, data any) (outbox.Email, error)
	// Deliver sends e if nobody else has; failures leave it to the sweeper.
	Deliver(ctx context.Context, e outbox.Email) error
}
