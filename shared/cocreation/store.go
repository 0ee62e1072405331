package cocreation

import (
	"context"
	"errors"

	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/outbox"
)

// Store is what the service needs of the table (ddbstore/cocreationdb). It
// returns apperr codes without message keys (the service chooses what
// people read): a missing item is apperr.NotFound, a failed condition
// apperr.Conflict, a table that is down or throttling apperr.Unavailable, a
// cursor it did not issue for that listing apperr.Invalid (field "cursor").
type Store interface {
	idempotency.Store

	// CreatePlan stores a new plan. Returns apperr.Conflict if its ID is taken.
	CreatePlan(ctx context.Context, p Plan) error
	// GetPlan returns the plan id, or apperr.NotFound.
	GetPlan(ctx context.Context, id string) (Plan, error)
	// UpdatePlan replaces the plan, still at prevVersion. Returns
	// apperr.Conflict if it changed or is gone.
	UpdatePlan(ctx context.Context, p Plan, prevVersion int) error
	// ListPlans returns up to limit plans, newest first, and the next
	// page's cursor ("" on the last).
	ListPlans(ctx context.Context, limit int, cursor string) ([]Plan, string, error)

	// CreateProposal writes p, its proposer's contact, the acknowledgement
	// ack and, when rec is not nil, the idempotency record in one
	// transaction. It returns an error wrapping idempotency.ErrRecorded when
	// rec's key already has a record.
	CreateProposal(ctx context.Context, p Proposal, who Proposer, ack outbox.Email, rec *idempotency.Record) error
	// GetProposal returns the proposal id, or apperr.NotFound.
	GetProposal(ctx context.Context, id string) (Proposal, error)
	// GetProposer returns the contact of the proposal id's proposer, or
	// apperr.NotFound (also once it has expired).
	GetProposer(ctx context.Context, proposalID string) (Proposer, error)
	// ListProposals returns up to limit proposals of a plan (all, or those
	// in moderation state m when not empty), newest first, and the next
	// page's cursor.
	ListProposals(ctx context.Context, planID string, m Moderation, limit int, cursor string) ([]Proposal, string, error)
	// ListPublished returns up to limit published proposals of a plan,
	// newest first, narrowed by f (in ONE query: each filter has its own
	// index entries), and the next page's cursor. Proposals read there carry
	// their public fields only.
	ListPublished(ctx context.Context, planID string, f Filter, limit int, cursor string) ([]Proposal, string, error)
	// AllPublished returns every published proposal of a plan (public
	// fields only), newest first.
	AllPublished(ctx context.Context, planID string) ([]Proposal, error)
	// CommitmentProposals returns the published proposals linked to the
	// commitment id (public fields only), newest first.
	CommitmentProposals(ctx context.Context, commitmentID string) ([]Proposal, error)
	// UpdateProposal replaces prev (as read: still at its version and its
	// supports) with next, moves its public index entries along (none
	// unless published) and, in the same transaction, records w.Email and
	// checks that the commitment w.Commitment of the plan still exists.
	// Returns apperr.Conflict if the proposal changed meanwhile, and
	// ErrNoCommitment if the commitment is gone.
	UpdateProposal(ctx context.Context, prev, next Proposal, w Write) error

	// CreateSupportRequest writes r and its confirmation email in one
	// transaction.
	CreateSupportRequest(ctx context.Context, r SupportRequest, e outbox.Email) error
	// GetSupportRequest returns the request id, or apperr.NotFound.
	GetSupportRequest(ctx context.Context, id string) (SupportRequest, error)
	// AddSupport records s and adds one to the supports of p (as read: at
	// its version, published) and of its index entries, in one transaction.
	// It returns ErrAlreadySupported when the address already supports p
	// (nothing changes), and apperr.Conflict when p changed meanwhile.
	AddSupport(ctx context.Context, p Proposal, s Support) error

	// CreateCommitment stores a new commitment. Returns apperr.Conflict if
	// its ID is taken.
	CreateCommitment(ctx context.Context, c Commitment) error
	// GetCommitment returns the commitment id, or apperr.NotFound.
	GetCommitment(ctx context.Context, id string) (Commitment, error)
	// UpdateCommitment replaces the commitment, still at prevVersion.
	// Returns apperr.Conflict if it changed or is gone.
	UpdateCommitment(ctx context.Context, c Commitment, prevVersion int) error
	// ListCommitments returns up to limit commitments of a plan by number,
	// and the next page's cursor.
	ListCommitments(ctx context.Context, planID string, limit int, cursor string) ([]Commitment, string, error)
	// AllCommitments returns every commitment of a plan by number.
	AllCommitments(ctx context.Context, planID string) ([]Commitment, error)
}

// Filter narrows the public listing of a plan's proposals; zero values mean
// any.
type Filter struct {
	Theme  string
	Status Status
}

// Write is what a proposal's change carries along in its transaction.
type Write struct {
	Email      *outbox.Email // an email the change owes someone
	Commitment string        // a commitment of the plan that must still exist
}

// ErrAlreadySupported is AddSupport's answer when the address already
// supports the proposal.
var ErrAlreadySupported = errors.New("cocreation: already supported by this address")

// ErrNoCommitment is UpdateProposal's answer when the commitment it was to
// check is gone.
var ErrNoCommitment = errors.New("cocreation: no such commitment")

// Mailer composes the capability's emails and delivers them once they are
// recorded (outbox.Outbox).
type Mailer interface {
	// Compose returns the email of kind to `to`, rendered from data when sent.
	Compose(to string, lang i18n.Lang, kind, refID string, data any) (outbox.Email, error)
	// Deliver sends e if nobody else has; failures leave it to the sweeper.
	Deliver(ctx context.Context, e outbox.Email) error
}
