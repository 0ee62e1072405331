package membership

import (
	"context"
	"fmt"

	"espaceosc/shared/apperr"
	"espaceosc/shared/outbox"
	"espaceosc/shared/secret"
	"espaceosc/shared/validate"
)

// AdminGroupPage is a working group and its members as administrators see
// them.
type AdminGroupPage struct {
	AdminGroupView
	Members []AdminMemberView `json:"members"`
}

// AllGroups returns every working group, active and closed, by kind then ID.
func (s *Service) AllGroups(ctx context.Context) ([]AdminGroupView, error) {
	gs, err := s.Store.ListGroups(ctx, "", "")
	if err != nil {
		return nil, fmt.Errorf("list working groups: %w", err)
	}
	sortGroups(gs)
	views := make([]AdminGroupView, 0, len(gs))
	for _, g := range gs {
		views = append(views, g.adminView())
	}
	return views, nil
}

// AdminGroup returns a working group with its members and their IDs in the
// group.
func (s *Service) AdminGroup(ctx context.Context, id string) (AdminGroupPage, error) {
	g, ms, err := s.groupWithMembers(ctx, id)
	if err != nil {
		return AdminGroupPage{}, err
	}
	page := AdminGroupPage{AdminGroupView: g.adminView(), Members: make([]AdminMemberView, 0, len(ms))}
	for _, m := range ms {
		page.Members = append(page.Members, AdminMemberView{MemberOrgView: m.view(), MemberID: m.MemberID()})
	}
	return page, nil
}

// CreateGroup creates a working group with the ID the administrator chose
// (409 if taken).
func (s *Service) CreateGroup(ctx context.Context, in NewGroup) (AdminGroupView, error) {
	g, err := in.group()
	if err != nil {
		return AdminGroupView{}, err
	}
	now := s.clock()
	g.CreatedAt, g.UpdatedAt, g.Version = now, now, 1
	err = s.Store.CreateGroup(ctx, g)
	if apperr.Is(err, apperr.Conflict) {
		return AdminGroupView{}, apperr.Wrap(apperr.Conflict, "membership.group_id_taken", err)
	}
	if err != nil {
		return AdminGroupView{}, fmt.Errorf("create working group %s: %w", g.ID, err)
	}
	s.Log.Info("working group created", "groupId", g.ID, "kind", g.Kind)
	return g.adminView(), nil
}

// UpdateGroup replaces a working group's kind, names, mandate, region and
// status; its members stay. A closed group takes no new members.
func (s *Service) UpdateGroup(ctx context.Context, id string, in GroupInput) (AdminGroupView, error) {
	g, err := in.group()
	if err != nil {
		return AdminGroupView{}, err
	}
	if !ValidGroupID(id) {
		return AdminGroupView{}, errGroupNotFound
	}
	var view AdminGroupView
	err = retry(func() error {
		prev, err := s.Store.GetGroup(ctx, id)
		if apperr.Is(err, apperr.NotFound) {
			return errGroupNotFound
		}
		if err != nil {
			return fmt.Errorf("get working group %s: %w", id, err)
		}
		next := g
		next.ID, next.CreatedAt, next.UpdatedAt, next.Version = id, prev.CreatedAt, s.clock(), prev.Version+1
		if err := s.Store.SaveGroup(ctx, next, prev.Version); err != nil {
			return err
		}
		view = next.adminView()
		return nil
	})
	if err != nil {
		return AdminGroupView{}, err
	}
	s.Log.Info("working group updated", "groupId", id, "status", view.Status)
	return view, nil
}

// activeGroup reads the group id for a change that adds a member.
func (s *Service) activeGroup(ctx context.Context, id string) (Group, error) {
	if !ValidGroupID(id) {
		return Group{}, errGroupNotFound
	}
	g, err := s.Store.GetGroup(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Group{}, errGroupNotFound
	}
	if err != nil {
		return Group{}, fmt.Errorf("get working group %s: %w", id, err)
	}
	if g.Status != Active {
		return Group{}, apperr.New(apperr.Conflict, "membership.group_closed")
	}
	return g, nil
}

// AddMember makes a member organisation of the space a member of the
// working group id, with an email to its contact.
func (s *Service) AddMember(ctx context.Context, groupID string, in AddMemberInput) (AdminMemberView, error) {
	if err := in.Validate(); err != nil {
		return AdminMemberView{}, err
	}
	unknown := func() error {
		var fs apperr.Fields
		fs.Add("organisationId", "membership.organisation_unknown", nil)
		return fs.Err()
	}
	var (
		view  AdminMemberView
		email outbox.Email
	)
	err := retry(func() error {
		g, err := s.activeGroup(ctx, groupID)
		if err != nil {
			return err
		}
		if !secret.ValidID(in.OrganisationID) {
			return unknown()
		}
		m, err := s.Store.GetMembership(ctx, in.OrganisationID)
		if apperr.Is(err, apperr.NotFound) || err == nil && m.Status != Approved {
			return unknown()
		}
		if err != nil {
			return fmt.Errorf("get membership %s: %w", in.OrganisationID, err)
		}
		now := s.clock()
		next, err := joinGroup(m, g.ID, SourceAdmin, now)
		if err != nil {
			return err
		}
		email, err = s.Mailer.Compose(m.Contact.Email, m.Lang, KindGroupJoined, m.ID, groupData{
			letter: letter{Lang: m.Lang, Name: m.Contact.Name, Organisation: m.Organisation.Name}, Group: g.Name.In(m.Lang),
		})
		if err != nil {
			return err
		}
		if err := s.Store.SaveMembership(ctx, Change{Prev: m, Next: next, Email: &email, ActiveGroup: g.ID}); err != nil {
			return storeErr(err)
		}
		member := memberOf(next, g.ID)
		view = AdminMemberView{MemberOrgView: member.view(), MemberID: member.MemberID()}
		return nil
	})
	if err != nil {
		return AdminMemberView{}, err
	}
	s.deliver(ctx, &email, in.OrganisationID)
	s.Log.Info("working group member added", "groupId", groupID, "membershipId", in.OrganisationID)
	return view, nil
}

// memberOf is m's entry in the group id (m belongs to it).
func memberOf(m Membership, id string) Member {
	mem := Member{
		GroupID: id, OrganisationID: m.ID, Name: m.Organisation.Name, Acronym: m.Organisation.Acronym,
		City: m.Organisation.City, Region: m.Organisation.Region,
	}
	for _, g := range m.Groups {
		if g.GroupID == id {
			mem.Source, mem.Since = g.Source, g.Since
		}
	}
	return mem
}

// RemoveMember removes an organisation from the working group groupID:
// memberID is its ID in the group (AdminMemberView.MemberID), a member
// organisation's or a GT call's selected candidacy's.
func (s *Service) RemoveMember(ctx context.Context, groupID, memberID string) error {
	if !ValidGroupID(groupID) || !secret.ValidID(memberID) {
		return errMemberNotFound
	}
	err := retry(func() error {
		mem, err := s.Store.GetMember(ctx, groupID, memberID)
		if apperr.Is(err, apperr.NotFound) {
			return errMemberNotFound
		}
		if err != nil {
			return fmt.Errorf("get member %s of %s: %w", memberID, groupID, err)
		}
		var m Membership
		if mem.Source != SourceCall {
			m, err = s.Store.GetMembership(ctx, mem.OrganisationID)
			if err != nil && !apperr.Is(err, apperr.NotFound) {
				return fmt.Errorf("get membership %s: %w", mem.OrganisationID, err)
			}
		}
		if mem.Source == SourceCall || err != nil || !m.InGroup(groupID) {
			// No membership holds this entry: a call's selection, or left behind.
			err := s.Store.DeleteMemberEntry(ctx, groupID, memberID)
			if apperr.Is(err, apperr.NotFound) {
				return errMemberNotFound
			}
			return err
		}
		return storeErr(s.Store.SaveMembership(ctx, Change{Prev: m, Next: leaveGroup(m, groupID, s.clock())}))
	})
	if err != nil {
		return err
	}
	s.Log.Info("working group member removed", "groupId", groupID, "memberId", memberID)
	return nil
}

// GroupRequests returns the requests to join working groups with status
// (pending when empty), newest first.
func (s *Service) GroupRequests(ctx context.Context, status string, limit int, cursor string) ([]AdminRequestView, string, error) {
	if status == "" {
		status = string(RequestPending)
	}
	var fs apperr.Fields
	validate.OneOf(&fs, "status", status, RequestStatuses...)
	if err := fs.Err(); err != nil {
		return nil, "", err
	}
	rs, next, err := s.Store.ListGroupRequests(ctx, RequestStatus(status), limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("list working group requests: %w", err)
	}
	views := make([]AdminRequestView, 0, len(rs))
	for _, r := range rs {
		views = append(views, r.adminView())
	}
	return views, next, nil
}

// DecideGroupRequest approves or declines the organisation's pending
// request to join the working group, with an email either way. An approval
// adds the organisation to the group in the same transaction.
func (s *Service) DecideGroupRequest(ctx context.Context, groupID, organisationID string, d Decision) (AdminRequestView, error) {
	if err := d.Validate(); err != nil {
		return AdminRequestView{}, err
	}
	if !ValidGroupID(groupID) || !secret.ValidID(organisationID) {
		return AdminRequestView{}, errRequestNotFound
	}
	var (
		view  AdminRequestView
		email outbox.Email
	)
	err := retry(func() error {
		r, err := s.Store.GetGroupRequest(ctx, organisationID, groupID)
		if apperr.Is(err, apperr.NotFound) {
			return errRequestNotFound
		}
		if err != nil {
			return fmt.Errorf("get request of %s to join %s: %w", organisationID, groupID, err)
		}
		if r.Status != RequestPending {
			return apperr.New(apperr.Conflict, "membership.request_decided")
		}
		m, err := s.get(ctx, organisationID)
		if err != nil {
			return err
		}
		now := s.clock()
		next := r
		next.Status, next.DecidedAt, next.ExpiresAt, next.Version = RequestDeclined, now, now.Add(RequestRetention), r.Version+1
		l := letter{Lang: m.Lang, Name: m.Contact.Name, Organisation: m.Organisation.Name}
		if d.Decision == Decline {
			next.Reason = trimText(d.Reason)
			g, err := s.Store.GetGroup(ctx, groupID)
			if err != nil {
				return fmt.Errorf("get working group %s: %w", groupID, err)
			}
			email, err = s.Mailer.Compose(m.Contact.Email, m.Lang, KindGroupDeclined, m.ID, groupData{letter: l, Group: g.Name.In(m.Lang), Reason: next.Reason})
			if err != nil {
				return err
			}
			if err := s.Store.DecideGroupRequest(ctx, next, r.Version, email); err != nil {
				return err
			}
			view = next.adminView()
			return nil
		}
		g, err := s.activeGroup(ctx, groupID)
		if err != nil {
			return err
		}
		joined, err := joinGroup(m, groupID, SourceRequest, now)
		if err != nil {
			return err
		}
		next.Status = RequestApproved
		email, err = s.Mailer.Compose(m.Contact.Email, m.Lang, KindGroupJoined, m.ID, groupData{letter: l, Group: g.Name.In(m.Lang)})
		if err != nil {
			return err
		}
		err = s.Store.SaveMembership(ctx, Change{
			Prev: m, Next: joined, Email: &email, ActiveGroup: groupID, Request: &next, RequestVersion: r.Version,
		})
		if err != nil {
			return storeErr(err)
		}
		view = next.adminView()
		return nil
	})
	if err != nil {
		return AdminRequestView{}, err
	}
	s.deliver(ctx, &email, organisationID)
	s.Log.Info("working group request decided", "groupId", groupID, "membershipId", organisationID, "status", view.Status)
	return view, nil
}
