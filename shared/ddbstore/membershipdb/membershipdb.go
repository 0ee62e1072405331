// Package membershipdb is the membership.Store of the table.
//
// Keys (docs/data.md): a membership is PK ORG#<id>, SK ORG (GSI1
// ORGSTATUS#<status> / <createdAt>#<id>, GSI2 ORGALL / <createdAt>#<id>,
// ByEmail its contact's address); its requests to join working groups sit in
// its partition, SK GREQ#<groupId> (GSI1 GREQSTATUS#<status>); a listed
// organisation holds PK ORGREG#<registration number>, SK ORGREG, and has a
// directory entry in each of DIR#ALL, DIR#REGION#<region>,
// DIR#THEME#<theme> and DIR#REGION#<region>#THEME#<theme>, SK
// <sort name>#<id>, so that every listing of the directory is one Query. A
// working group is PK WG#<id>, SK GROUP (GSI1 WGSTATUS#<status> /
// <kind>#<id>, GSI2 WGKIND#<status>#<kind> / <id>), and its members PK
// WG#<id>, SK MEMBER#<id>, the items a GT call's results write too: a
// group's page is one Query.
package membershipdb

import (
	"context"
	"fmt"
	"strings"

	"espaceosc/shared/apperr"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/membership"
	"espaceosc/shared/outbox"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Store is the membership.Store of a table.
type Store struct {
	*ddbstore.Table
}

var _ membership.Store = Store{}

// New returns the membership store of t.
func New(t *ddbstore.Table) Store { return Store{t} }

// Transaction item names that say which condition failed.
const (
	itemMembership   = "membership"
	itemRequest      = "request"
	itemGroup        = "group"
	itemRegistration = "registration"
)

// activeGroup is the condition that the working group exists and is active.
var activeGroup = ddbstore.Cond{
	Expr:   "attribute_exists(PK) AND #status = :active",
	Names:  map[string]string{"#status": "status"},
	Values: map[string]types.AttributeValue{":active": ddbstore.S(string(membership.Active))},
}

// claimFree is the condition of a registration claim: nobody holds it, or
// the same organisation does.
func claimFree(orgID string) ddbstore.Cond {
	return ddbstore.Cond{
		Expr:   "attribute_not_exists(PK) OR organisationId = :org",
		Values: map[string]types.AttributeValue{":org": ddbstore.S(orgID)},
	}
}

// versionOrNew is the condition of a put over an item at version prev (0:
// none may exist).
func versionOrNew(prev int) ddbstore.Cond {
	if prev == 0 {
		return ddbstore.NotExists
	}
	return ddbstore.VersionIs(prev)
}

// CreateMembership implements membership.Store.
func (s Store) CreateMembership(ctx context.Context, m membership.Membership, email outbox.Email, rec *idempotency.Record) error {
	err := s.Tx("create membership").
		Put(itemMembership, toOrgItem(m), ddbstore.NotExists).
		Email(email).
		Idempotency(rec, m.ID).
		Run(ctx)
	if ddbstore.FailedOn(err, itemMembership) {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("create membership %s: id taken: %w", m.ID, err))
	}
	return err
}

// GetMembership implements membership.Store.
func (s Store) GetMembership(ctx context.Context, id string) (membership.Membership, error) {
	var it orgItem
	if err := s.Get(ctx, "membership "+id, orgKey(id), true, &it); err != nil {
		return membership.Membership{}, err
	}
	return it.membership(), nil
}

// GetMembershipWithRequests implements membership.Store: one strongly
// consistent Query of the partition ORG#<id>.
func (s Store) GetMembershipWithRequests(ctx context.Context, id string) (membership.Membership, []membership.GroupRequest, error) {
	items, err := s.All(ctx, "get membership "+id, ddbstore.Query{PK: orgPK(id), Forward: true, Consistent: true})
	if err != nil {
		return membership.Membership{}, nil, err
	}
	var (
		m     *membership.Membership
		reqs  []membership.GroupRequest
		found bool
	)
	for _, av := range items {
		sk, _ := av["SK"].(*types.AttributeValueMemberS)
		switch {
		case sk == nil:
		case sk.Value == orgSK:
			var it orgItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return membership.Membership{}, nil, fmt.Errorf("unmarshal membership: %w", err)
			}
			mm := it.membership()
			m, found = &mm, true
		case strings.HasPrefix(sk.Value, reqPrefix):
			var it requestItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return membership.Membership{}, nil, fmt.Errorf("unmarshal group request: %w", err)
			}
			reqs = append(reqs, it.request())
		}
	}
	if !found {
		return membership.Membership{}, nil, apperr.Wrap(apperr.NotFound, "", fmt.Errorf("membership %s: not found", id))
	}
	return *m, reqs, nil
}

// ListMemberships implements membership.Store: GSI1 ORGSTATUS#<status>, or
// GSI2 ORGALL, newest first.
func (s Store) ListMemberships(ctx context.Context, status membership.Status, limit int, cursor string) ([]membership.Membership, string, error) {
	q := ddbstore.Query{Index: ddbstore.IndexGSI2, PK: orgAllPK}
	if status != "" {
		q = ddbstore.Query{Index: ddbstore.IndexGSI1, PK: ddbstore.JoinKey("ORGSTATUS", string(status))}
	}
	page, next, err := s.Page(ctx, "list memberships", q, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	ms, err := ddbstore.DecodeAll(page, "membership", orgItem.membership)
	return ms, next, err
}

// derived adds to tx the items derived from a membership that change from
// prev to next: directory entries, working-group entries, the registration
// claim.
func derived(tx *ddbstore.Tx, prev, next membership.Membership) {
	diff(tx, "directory", entries(prev), entries(next), entryKey)
	diff(tx, "group entry", members(prev), members(next), memberKeyOf)
	before, after := registration(prev), registration(next)
	if before != "" && before != after {
		tx.Delete("registration released", ddbstore.Key(before, claimSK), ddbstore.Cond{})
	}
	if after != "" && after != before {
		tx.Put(itemRegistration, claimItem{PK: after, SK: claimSK, Type: "registration-claim", OrganisationID: next.ID}, claimFree(next.ID))
	}
}

// SaveMembership implements membership.Store.
func (s Store) SaveMembership(ctx context.Context, c membership.Change) error {
	tx := s.Tx("save membership").Put(itemMembership, toOrgItem(c.Next), ddbstore.VersionIs(c.Prev.Version))
	derived(tx, c.Prev, c.Next)
	if c.Request != nil {
		tx.Put(itemRequest, toRequestItem(*c.Request), versionOrNew(c.RequestVersion))
	}
	if c.ActiveGroup != "" {
		tx.Check(itemGroup, groupKey(c.ActiveGroup), activeGroup)
	}
	if c.Email != nil {
		tx.Email(*c.Email)
	}
	return named(tx.Run(ctx), "save membership "+c.Next.ID)
}

// named turns a cancelled transaction into what the domain reads: a lost
// race (the membership or the request changed) stays apperr.Conflict; a
// held registration number or an inactive group are the domain's errors.
func named(err error, op string) error {
	switch {
	case err == nil:
		return nil
	case ddbstore.FailedOn(err, itemMembership) || ddbstore.FailedOn(err, itemRequest):
		return err
	case ddbstore.FailedOn(err, itemRegistration):
		return fmt.Errorf("%s: %w: %w", op, membership.ErrRegistrationTaken, err)
	case ddbstore.FailedOn(err, itemGroup):
		return fmt.Errorf("%s: %w: %w", op, membership.ErrGroupInactive, err)
	}
	return err
}

// DeleteMembership implements membership.Store.
func (s Store) DeleteMembership(ctx context.Context, m membership.Membership, requests []membership.GroupRequest, email outbox.Email) error {
	tx := s.Tx("delete membership").Delete(itemMembership, orgKey(m.ID), ddbstore.VersionIs(m.Version))
	gone := m
	gone.Status, gone.Groups = membership.Unconfirmed, nil // nothing derived
	derived(tx, m, gone)
	for _, r := range requests {
		tx.Delete("request "+r.GroupID, ddbstore.Key(orgPK(m.ID), reqSK(r.GroupID)), ddbstore.Cond{})
	}
	return tx.Email(email).Run(ctx)
}

// Directory implements membership.Store: one partition, by sort name, one
// Query per page.
func (s Store) Directory(ctx context.Context, region, theme string, limit int, cursor string) ([]membership.Entry, string, error) {
	page, next, err := s.Page(ctx, "directory", ddbstore.Query{PK: dirPK(region, theme), Forward: true}, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	es, err := ddbstore.DecodeAll(page, "directory entry", entryItem.entry)
	return es, next, err
}

// CreateGroup implements membership.Store.
func (s Store) CreateGroup(ctx context.Context, g membership.Group) error {
	return s.Put(ctx, "working group "+g.ID, toGroupItem(g), ddbstore.NotExists)
}

// GetGroup implements membership.Store.
func (s Store) GetGroup(ctx context.Context, id string) (membership.Group, error) {
	var it groupItem
	if err := s.Get(ctx, "working group "+id, groupKey(id), true, &it); err != nil {
		return membership.Group{}, err
	}
	return it.group(), nil
}

// SaveGroup implements membership.Store: a conditional put of the whole
// item (its index keys move with its status).
func (s Store) SaveGroup(ctx context.Context, g membership.Group, prevVersion int) error {
	return s.Put(ctx, "working group "+g.ID, toGroupItem(g), ddbstore.VersionIs(prevVersion))
}

// ListGroups implements membership.Store: GSI1 WGSTATUS#<status> (every
// kind), or GSI2 WGKIND#<status>#<kind> (one kind); without a status, the
// active groups then the closed ones. (No begins_with on an index: minidyn
// fails such a Query once the outbox has marked an email sent, as it keeps
// the email in GSI1 with no sort key.)
func (s Store) ListGroups(ctx context.Context, status membership.GroupStatus, kind membership.GroupKind) ([]membership.Group, error) {
	if status == "" {
		var all []membership.Group
		for _, st := range membership.GroupStatuses {
			gs, err := s.ListGroups(ctx, membership.GroupStatus(st), kind)
			if err != nil {
				return nil, err
			}
			all = append(all, gs...)
		}
		return all, nil
	}
	q := ddbstore.Query{Index: ddbstore.IndexGSI1, PK: ddbstore.JoinKey("WGSTATUS", string(status)), Forward: true}
	if kind != "" {
		q = ddbstore.Query{Index: ddbstore.IndexGSI2, PK: ddbstore.JoinKey("WGKIND", string(status), string(kind)), Forward: true}
	}
	items, err := s.All(ctx, "list working groups", q)
	if err != nil {
		return nil, err
	}
	return ddbstore.DecodeAll(items, "working group", groupItem.group)
}

// GroupWithMembers implements membership.Store: one Query of WG#<id> from
// its GROUP item on (MEMBER# items sort after it).
func (s Store) GroupWithMembers(ctx context.Context, id string) (membership.Group, []membership.Member, error) {
	items, err := s.All(ctx, "working group "+id, ddbstore.Query{PK: groupPK(id), From: groupSK, Forward: true})
	if err != nil {
		return membership.Group{}, nil, err
	}
	var (
		g     membership.Group
		found bool
		ms    []membership.Member
	)
	for _, av := range items {
		sk, _ := av["SK"].(*types.AttributeValueMemberS)
		switch {
		case sk == nil:
		case sk.Value == groupSK:
			var it groupItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return membership.Group{}, nil, fmt.Errorf("unmarshal working group: %w", err)
			}
			g, found = it.group(), true
		case strings.HasPrefix(sk.Value, memberPrefix):
			var it memberItem
			if err := attributevalue.UnmarshalMap(av, &it); err != nil {
				return membership.Group{}, nil, fmt.Errorf("unmarshal working group member: %w", err)
			}
			ms = append(ms, it.member())
		}
	}
	if !found {
		return membership.Group{}, nil, apperr.Wrap(apperr.NotFound, "", fmt.Errorf("working group %s: not found", id))
	}
	return g, ms, nil
}

// GetMember implements membership.Store.
func (s Store) GetMember(ctx context.Context, groupID, memberID string) (membership.Member, error) {
	var it memberItem
	if err := s.Get(ctx, "working group member", ddbstore.Key(groupPK(groupID), memberSK(memberID)), true, &it); err != nil {
		return membership.Member{}, err
	}
	return it.member(), nil
}

// DeleteMemberEntry implements membership.Store.
func (s Store) DeleteMemberEntry(ctx context.Context, groupID, memberID string) error {
	err := s.Delete(ctx, "working group member", ddbstore.Key(groupPK(groupID), memberSK(memberID)), ddbstore.Exists)
	if apperr.Is(err, apperr.Conflict) {
		return apperr.Wrap(apperr.NotFound, "", err)
	}
	return err
}

// GetGroupRequest implements membership.Store.
func (s Store) GetGroupRequest(ctx context.Context, organisationID, groupID string) (membership.GroupRequest, error) {
	var it requestItem
	if err := s.Get(ctx, "group request", ddbstore.Key(orgPK(organisationID), reqSK(groupID)), true, &it); err != nil {
		return membership.GroupRequest{}, err
	}
	return it.request(), nil
}

// PutGroupRequest implements membership.Store.
func (s Store) PutGroupRequest(ctx context.Context, r membership.GroupRequest, prevVersion int, org membership.Membership) error {
	err := s.Tx("request working group").
		Put(itemRequest, toRequestItem(r), versionOrNew(prevVersion)).
		Check(itemMembership, orgKey(org.ID), ddbstore.VersionIs(org.Version)).
		Check(itemGroup, groupKey(r.GroupID), activeGroup).
		Run(ctx)
	return named(err, "request working group "+r.GroupID)
}

// ListGroupRequests implements membership.Store: GSI1
// GREQSTATUS#<status>, newest first.
func (s Store) ListGroupRequests(ctx context.Context, status membership.RequestStatus, limit int, cursor string) ([]membership.GroupRequest, string, error) {
	q := ddbstore.Query{Index: ddbstore.IndexGSI1, PK: ddbstore.JoinKey("GREQSTATUS", string(status))}
	page, next, err := s.Page(ctx, "list group requests", q, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	rs, err := ddbstore.DecodeAll(page, "group request", requestItem.request)
	return rs, next, err
}

// DecideGroupRequest implements membership.Store.
func (s Store) DecideGroupRequest(ctx context.Context, r membership.GroupRequest, prevVersion int, email outbox.Email) error {
	return s.Tx("decide group request").
		Put(itemRequest, toRequestItem(r), ddbstore.VersionIs(prevVersion)).
		Email(email).
		Run(ctx)
}
