package links

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/validate"
)

// Input is the body of PUT /api/admin/links/{id}.
type Input struct {
	URL         string `json:"url"`
	Title       Text   `json:"title"`
	Description Text   `json:"description"`
	Order       *int   `json:"order"`
}

// NewLink is the body of POST /api/admin/links: an Input and, optionally,
// the ID the link should have (seed content uses stable IDs).
type NewLink struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	Title       Text   `json:"title"`
	Description Text   `json:"description"`
	Order       *int   `json:"order"`
}

// AdminView is the JSON of a link for administrators.
type AdminView struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	Title       Text   `json:"title"`
	Description Text   `json:"description"`
	Order       int    `json:"order"`
	CreatedAt   string `json:"createdAt"`
	UpdatedAt   string `json:"updatedAt"`
}

// PublicView is the JSON of a link in one language.
type PublicView struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Order       int    `json:"order"`
}

// Admin returns the administrators' view of l.
func (l Link) Admin() AdminView {
	return AdminView{
		ID: l.ID, URL: l.URL, Title: l.Title, Description: l.Description, Order: l.Order,
		CreatedAt: l.CreatedAt.UTC().Format(time.RFC3339), UpdatedAt: l.UpdatedAt.UTC().Format(time.RFC3339),
	}
}

// Public returns l in lang, falling back to French for empty texts.
func (l Link) Public(lang string) PublicView {
	return PublicView{ID: l.ID, URL: l.URL, Title: l.Title.In(lang), Description: l.Description.In(lang), Order: l.Order}
}

// Service applies the rules of links on a Store.
type Service struct {
	store Store
	now   func() time.Time
}

// NewService returns a service on store; now is the clock.
func NewService(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// ValidID reports whether id is a well-formed link ID: [a-z0-9-]{2,64}.
func ValidID(id string) bool {
	if len(id) < IDMin || len(id) > IDMax {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func check(fs *apperr.Fields, in Input) Link {
	validate.URL(fs, "url", in.URL, URLMax)
	validate.Text(fs, "title.fr", in.Title.FR, 1, TitleMax, true)
	validate.Text(fs, "title.ar", in.Title.AR, 0, TitleMax, true)
	validate.Text(fs, "description.fr", in.Description.FR, 0, DescriptionMax, false)
	validate.Text(fs, "description.ar", in.Description.AR, 0, DescriptionMax, false)
	order := 0
	if in.Order != nil {
		order = *in.Order
		if order < 0 || order > OrderMax {
			fs.Add("order", "range", map[string]any{"min": 0, "max": OrderMax})
		}
	}
	trim := strings.TrimSpace
	return Link{
		URL:         trim(in.URL),
		Title:       Text{FR: trim(in.Title.FR), AR: trim(in.Title.AR)},
		Description: Text{FR: trim(in.Description.FR), AR: trim(in.Description.AR)},
		Order:       order,
	}
}

// Create validates in and stores a new link with in.ID, or a random ID.
// Returns Invalid or Conflict ("links.id_taken").
func (s *Service) Create(ctx context.Context, in NewLink) (Link, error) {
	var fs apperr.Fields
	if in.ID != "" && !ValidID(in.ID) {
		fs.Add("id", "links.id", nil)
	}
	l := check(&fs, Input{URL: in.URL, Title: in.Title, Description: in.Description, Order: in.Order})
	if err := fs.Err(); err != nil {
		return Link{}, err
	}
	l.ID = in.ID
	if l.ID == "" {
		l.ID = randomID()
	}
	l.CreatedAt = s.now().UTC()
	l.UpdatedAt = l.CreatedAt
	if err := s.store.Create(ctx, l); err != nil {
		return Link{}, fmt.Errorf("create link %s: %w", l.ID, err)
	}
	return l, nil
}

// Update validates in and replaces link id. Returns Invalid or NotFound.
func (s *Service) Update(ctx context.Context, id string, in Input) (Link, error) {
	var fs apperr.Fields
	l := check(&fs, in)
	if err := fs.Err(); err != nil {
		return Link{}, err
	}
	if !ValidID(id) {
		return Link{}, apperr.New(apperr.NotFound, "links.not_found")
	}
	l.ID = id
	l.UpdatedAt = s.now().UTC()
	out, err := s.store.Update(ctx, l)
	if err != nil {
		return Link{}, fmt.Errorf("update link %s: %w", id, err)
	}
	return out, nil
}

// Delete removes link id. Returns NotFound.
func (s *Service) Delete(ctx context.Context, id string) error {
	if !ValidID(id) {
		return apperr.New(apperr.NotFound, "links.not_found")
	}
	if err := s.store.Delete(ctx, id); err != nil {
		return fmt.Errorf("delete link %s: %w", id, err)
	}
	return nil
}

// List returns every link ordered by Order, then by title in lang, then ID.
func (s *Service) List(ctx context.Context, lang string) ([]Link, error) {
	ls, err := s.store.List(ctx)
	if err != nil {
		return nil, fmt.Errorf("list links: %w", err)
	}
	Sort(ls, lang)
	return ls, nil
}

// Sort orders links by Order, then by title in lang, then ID.
func Sort(ls []Link, lang string) {
	slices.SortStableFunc(ls, func(a, b Link) int {
		return cmp.Or(
			cmp.Compare(a.Order, b.Order),
			strings.Compare(strings.ToLower(a.Title.In(lang)), strings.ToLower(b.Title.In(lang))),
			strings.Compare(a.ID, b.ID),
		)
	})
}

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
