package membership

import (
	"context"
	"fmt"

	"espaceosc/shared/apperr"
	"espaceosc/shared/outbox"
	"espaceosc/shared/secret"
	"espaceosc/shared/validate"
)

// get reads a membership for an administrator; a malformed or unknown id is
// errNotFound.
func (s *Service) get(ctx context.Context, id string) (Membership, error) {
	if !secret.ValidID(id) {
		return Membership{}, errNotFound
	}
	m, err := s.Store.GetMembership(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Membership{}, errNotFound
	}
	if err != nil {
		return Membership{}, fmt.Errorf("get membership %s: %w", id, err)
	}
	return m, nil
}

// List returns memberships newest first, all or with one status.
func (s *Service) List(ctx context.Context, status string, limit int, cursor string) ([]AdminView, string, error) {
	if status != "" {
		var fs apperr.Fields
		validate.OneOf(&fs, "status", status, Statuses...)
		if err := fs.Err(); err != nil {
			return nil, "", err
		}
	}
	ms, next, err := s.Store.ListMemberships(ctx, Status(status), limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list memberships: %w", err)
	}
	views := make([]AdminView, 0, len(ms))
	for _, m := range ms {
		views = append(views, m.adminView(nil))
	}
	return views, next, nil
}

// Get returns a membership and its requests to join working groups to an
// administrator.
func (s *Service) Get(ctx context.Context, id string) (AdminView, error) {
	if !secret.ValidID(id) {
		return AdminView{}, errNotFound
	}
	m, reqs, err := s.Store.GetMembershipWithRequests(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return AdminView{}, errNotFound
	}
	if err != nil {
		return AdminView{}, fmt.Errorf("get membership %s: %w", id, err)
	}
	return m.adminView(s.current(reqs)), nil
}

// Decide approves or declines a confirmed request, with an email to its
// contact in the same transaction. An approved organisation enters the
// directory; two member organisations may not share a registration number
// (409).
func (s *Service) Decide(ctx context.Context, id string, d Decision) (AdminView, error) {
	if err := d.Validate(); err != nil {
		return AdminView{}, err
	}
	var (
		view  AdminView
		email outbox.Email
	)
	err := retry(func() error {
		m, err := s.get(ctx, id)
		if err != nil {
			return err
		}
		if m.Expired(s.clock()) {
			return errNotFound
		}
		next, err := decide(m, d, s.clock())
		if err != nil {
			return err
		}
		l := letter{Lang: next.Lang, Name: next.Contact.Name, Organisation: next.Organisation.Name}
		if next.Status == Approved {
			email, err = s.Mailer.Compose(next.Contact.Email, next.Lang, KindApproved, next.ID, l)
		} else {
			email, err = s.Mailer.Compose(next.Contact.Email, next.Lang, KindDeclined, next.ID, declinedData{letter: l, Reason: next.Reason})
		}
		if err != nil {
			return err
		}
		if err := s.Store.SaveMembership(ctx, Change{Prev: m, Next: next, Email: &email}); err != nil {
			return storeErr(err)
		}
		view = next.adminView(nil)
		return nil
	})
	if err != nil {
		return AdminView{}, err
	}
	s.deliver(ctx, &email, id)
	s.Log.Info("membership decided", "membershipId", id, "status", view.Status)
	return view, nil
}
