package membership

import (
	"context"
	"errors"

	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/outbox"
)

// Errors a Store returns (wrapped) beyond the apperr codes.
var (
	// ErrRegistrationTaken: another listed organisation holds the
	// registration number (RegistrationKey) of the membership being listed.
	ErrRegistrationTaken = errors.New("registration number held by another member")
	// ErrGroupInactive: the working group a change needs is gone or closed.
	ErrGroupInactive = errors.New("working group missing or closed")
)

// Change is one change of a membership, written as one transaction.
type Change struct {
	Prev Membership // as read; its version must still be stored
	Next Membership // what replaces it
	// Email, if not nil, is recorded with the change.
	Email *outbox.Email
	// ActiveGroup, if not empty, must be an active working group when the
	// change is written (ErrGroupInactive otherwise).
	ActiveGroup string
	// Request, if not nil, is written too, on condition that its stored
	// version is still RequestVersion.
	Request        *GroupRequest
	RequestVersion int
}

// Store is what the service needs of the table (ddbstore/membershipdb).
type Store interface {
	idempotency.Store

	// CreateMembership writes m (a new request, not listed), its
	// confirmation email and, when rec is not nil, the idempotency record in
	// one transaction. It returns an error wrapping idempotency.ErrRecorded
	// when rec's key already has a record, and apperr.Unavailable when the
	// table is down.
	CreateMembership(ctx context.Context, m Membership, email outbox.Email, rec *idempotency.Record) error
	// GetMembership returns the membership id, or apperr.NotFound.
	GetMembership(ctx context.Context, id string) (Membership, error)
	// GetMembershipWithRequests returns the membership id and its requests
	// to join working groups, in one read, or apperr.NotFound.
	GetMembershipWithRequests(ctx context.Context, id string) (Membership, []GroupRequest, error)
	// ListMemberships returns up to limit memberships (all, or those with
	// status if not empty), newest first, and the next page's cursor (""
	// on the last). A bad cursor is apperr.Invalid (field "cursor").
	ListMemberships(ctx context.Context, status Status, limit int, cursor string) ([]Membership, string, error)
	// SaveMembership writes c in one transaction: c.Next in place of
	// c.Prev, and what is derived from them: the directory entries of a
	// listed membership (Membership.Listed), the member entries of its
	// working groups (Membership.Groups, with the organisation's current
	// name, acronym, city and region), the claim on its registration number
	// (RegistrationKey) while listed, and c's email, group check and
	// request. It returns apperr.Conflict when c.Prev's version (or the
	// request's) changed or the membership is gone meanwhile, and errors
	// wrapping ErrRegistrationTaken or ErrGroupInactive.
	SaveMembership(ctx context.Context, c Change) error
	// DeleteMembership removes m (still at m.Version), its requests and
	// everything derived from it (directory entries, working-group
	// entries, registration claim), and records email, in one transaction.
	// It returns apperr.Conflict when m changed or is gone meanwhile.
	DeleteMembership(ctx context.Context, m Membership, requests []GroupRequest, email outbox.Email) error
	// Directory returns up to limit directory entries, by SortName, of the
	// listed organisations of region and of theme ("" for any), with one
	// Query per page, and the next page's cursor ("" on the last). A bad
	// cursor is apperr.Invalid (field "cursor").
	Directory(ctx context.Context, region, theme string, limit int, cursor string) ([]Entry, string, error)

	// CreateGroup writes a new working group; apperr.Conflict if its ID is taken.
	CreateGroup(ctx context.Context, g Group) error
	// GetGroup returns the working group id, or apperr.NotFound.
	GetGroup(ctx context.Context, id string) (Group, error)
	// SaveGroup replaces the group g.ID whose version must still be
	// prevVersion; apperr.Conflict otherwise.
	SaveGroup(ctx context.Context, g Group, prevVersion int) error
	// ListGroups returns every working group with status (all if empty)
	// and kind (all if empty).
	ListGroups(ctx context.Context, status GroupStatus, kind GroupKind) ([]Group, error)
	// GroupWithMembers returns the working group id and its members, those
	// of this capability and those a GT call selected, with one Query. It
	// returns apperr.NotFound when there is no such group.
	GroupWithMembers(ctx context.Context, id string) (Group, []Member, error)
	// GetMember returns the member memberID (Member.MemberID) of the group
	// groupID, or apperr.NotFound.
	GetMember(ctx context.Context, groupID, memberID string) (Member, error)
	// DeleteMemberEntry removes the member memberID of the group groupID
	// that no membership holds (a GT call's selection, or an entry left
	// behind); apperr.NotFound if it is not there.
	DeleteMemberEntry(ctx context.Context, groupID, memberID string) error

	// GetGroupRequest returns the organisation's request to join the group,
	// or apperr.NotFound.
	GetGroupRequest(ctx context.Context, organisationID, groupID string) (GroupRequest, error)
	// PutGroupRequest writes r in place of the stored request at
	// prevVersion (0: none may exist), on condition that the organisation
	// is still at org.Version and the group active. It returns
	// apperr.Conflict when the request or the organisation changed, and an
	// error wrapping ErrGroupInactive.
	PutGroupRequest(ctx context.Context, r GroupRequest, prevVersion int, org Membership) error
	// ListGroupRequests returns up to limit requests with status, newest
	// first, and the next page's cursor. A bad cursor is apperr.Invalid.
	ListGroupRequests(ctx context.Context, status RequestStatus, limit int, cursor string) ([]GroupRequest, string, error)
	// DecideGroupRequest writes the decided request r (stored version
	// still prevVersion) and its email; apperr.Conflict otherwise. An
	// approval is written with SaveMembership instead (Change.Request).
	DecideGroupRequest(ctx context.Context, r GroupRequest, prevVersion int, email outbox.Email) error
}

// Mailer composes the capability's emails and delivers them once they are
// recorded (outbox.Outbox).
type Mailer interface {
	// Compose returns the email of kind to `to`, rendered from data when sent.
	Compose(to string, lang i18n.Lang, kind, refID string, data any) (outbox.Email, error)
	// Deliver sends e if nobody else has; failures leave it to the sweeper.
	Deliver(ctx context.Context, e outbox.Email) error
}
