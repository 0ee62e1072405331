package links

import (
	"context"
	"fmt"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
)

// List returns every link with both languages, in the French order.
func (s *Service) List(ctx context.Context) ([]AdminView, error) {
	ls, err := s.sorted(ctx, i18n.FR)
	if err != nil {
		return nil, err
	}
	out := make([]AdminView, 0, len(ls))
	for _, l := range ls {
		out = append(out, l.AdminView())
	}
	return out, nil
}

// Create validates in and stores a new link with in.ID, or a random ID.
// Returns Invalid or Conflict ("links.id_taken").
func (s *Service) Create(ctx context.Context, in NewLink) (AdminView, error) {
	l, err := in.link()
	if err != nil {
		return AdminView{}, err
	}
	if l.ID == "" {
		if l.ID, err = randomID(s.Rand); err != nil {
			return AdminView{}, fmt.Errorf("link id: %w", err)
		}
	}
	l.CreatedAt = s.clock()
	l.UpdatedAt = l.CreatedAt
	err = s.Store.CreateLink(ctx, l)
	if apperr.Is(err, apperr.Conflict) {
		return AdminView{}, apperr.Wrap(apperr.Conflict, "links.id_taken", err)
	}
	if err != nil {
		return AdminView{}, fmt.Errorf("create link %s: %w", l.ID, err)
	}
	s.Log.Info("link created", "linkId", l.ID)
	return l.AdminView(), nil
}

// Update validates in and replaces link id. Returns Invalid or NotFound.
func (s *Service) Update(ctx context.Context, id string, in Input) (AdminView, error) {
	l, err := in.link()
	if err != nil {
		return AdminView{}, err
	}
	if !ValidID(id) {
		return AdminView{}, errNotFound
	}
	l.ID = id
	l.UpdatedAt = s.clock()
	out, err := s.Store.UpdateLink(ctx, l)
	if apperr.Is(err, apperr.NotFound) {
		return AdminView{}, errNotFound
	}
	if err != nil {
		return AdminView{}, fmt.Errorf("update link %s: %w", id, err)
	}
	s.Log.Info("link updated", "linkId", id)
	return out.AdminView(), nil
}

// Delete removes link id. Returns NotFound.
func (s *Service) Delete(ctx context.Context, id string) error {
	if !ValidID(id) {
		return errNotFound
	}
	err := s.Store.DeleteLink(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return errNotFound
	}
	if err != nil {
		return fmt.Errorf("delete link %s: %w", id, err)
	}
	s.Log.Info("link deleted", "linkId", id)
	return nil
}
