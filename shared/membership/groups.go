package membership

import (
	"context"
	"fmt"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/morocco"
	"espaceosc/shared/validate"
)

// Directory returns a page of the public directory: the member
// organisations of region and of theme ("" for any), by name. Each page is
// one Query of the table.
func (s *Service) Directory(ctx context.Context, region, theme string, limit int, cursor string) ([]EntryView, string, error) {
	var fs apperr.Fields
	if region != "" {
		validate.OneOf(&fs, "region", region, morocco.RegionIDs()...)
	}
	if theme != "" {
		validate.OneOf(&fs, "theme", theme, themeIDs(s.Themes)...)
	}
	if err := fs.Err(); err != nil {
		return nil, "", err
	}
	entries, next, err := s.Store.Directory(ctx, region, theme, limit, cursor)
	if err != nil {
		return nil, "", fmt.Errorf("directory: %w", err)
	}
	views := make([]EntryView, 0, len(entries))
	for _, e := range entries {
		views = append(views, e.view())
	}
	return views, next, nil
}

// Groups returns the active working groups (of kind, if not empty) in
// lang: thematic ones first, then territorial ones, by ID.
func (s *Service) Groups(ctx context.Context, kind string, lang i18n.Lang) ([]GroupView, error) {
	if kind != "" {
		var fs apperr.Fields
		validate.OneOf(&fs, "kind", kind, GroupKinds...)
		if err := fs.Err(); err != nil {
			return nil, err
		}
	}
	gs, err := s.Store.ListGroups(ctx, Active, GroupKind(kind))
	if err != nil {
		return nil, fmt.Errorf("list working groups: %w", err)
	}
	sortGroups(gs)
	views := make([]GroupView, 0, len(gs))
	for _, g := range gs {
		views = append(views, g.view(lang))
	}
	return views, nil
}

// groupWithMembers reads a group and its members, by name.
func (s *Service) groupWithMembers(ctx context.Context, id string) (Group, []Member, error) {
	if !ValidGroupID(id) {
		return Group{}, nil, errGroupNotFound
	}
	g, ms, err := s.Store.GroupWithMembers(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Group{}, nil, errGroupNotFound
	}
	if err != nil {
		return Group{}, nil, fmt.Errorf("working group %s: %w", id, err)
	}
	sortMembers(ms)
	return g, ms, nil
}

// Group returns a working group's page in lang: the group and its member
// organisations (its own members and a GT call's selection), by name, read
// with one Query. A closed group still has its page.
func (s *Service) Group(ctx context.Context, id string, lang i18n.Lang) (GroupPage, error) {
	g, ms, err := s.groupWithMembers(ctx, id)
	if err != nil {
		return GroupPage{}, err
	}
	page := GroupPage{GroupView: g.view(lang), Members: make([]MemberOrgView, 0, len(ms))}
	for _, m := range ms {
		page.Members = append(page.Members, m.view())
	}
	return page, nil
}

// RequestGroup is a member organisation's request, through its private
// link, to join an active working group outside a call; administrators
// decide it. A new request replaces a decided one.
func (s *Service) RequestGroup(ctx context.Context, id, token string, in GroupRequestInput) (RequestView, error) {
	if err := in.Validate(); err != nil {
		return RequestView{}, err
	}
	var view RequestView
	err := retry(func() error {
		m, reqs, err := s.private(ctx, id, token)
		if err != nil {
			return err
		}
		g, err := s.Store.GetGroup(ctx, in.GroupID)
		if apperr.Is(err, apperr.NotFound) {
			var fs apperr.Fields
			fs.Add("groupId", "membership.group_unknown", nil)
			return fs.Err()
		}
		if err != nil {
			return fmt.Errorf("get working group %s: %w", in.GroupID, err)
		}
		var prev *GroupRequest
		for i := range reqs {
			if reqs[i].GroupID == g.ID {
				prev = &reqs[i]
			}
		}
		if err := canRequestGroup(m, g, prev); err != nil {
			return err
		}
		now := s.clock()
		r := GroupRequest{
			GroupID: g.ID, OrganisationID: m.ID, Name: m.Organisation.Name, Acronym: m.Organisation.Acronym,
			Motivation: trimText(in.Motivation), Status: RequestPending, CreatedAt: now, Version: 1,
		}
		prevVersion := 0
		if prev != nil {
			prevVersion, r.Version = prev.Version, prev.Version+1
		}
		if err := s.Store.PutGroupRequest(ctx, r, prevVersion, m); err != nil {
			return storeErr(err)
		}
		view = r.view()
		return nil
	})
	if err != nil {
		return RequestView{}, err
	}
	s.Log.Info("working group requested", "membershipId", id, "groupId", in.GroupID)
	return view, nil
}
