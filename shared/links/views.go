package links

import (
	"time"

	"espaceosc/shared/i18n"
)

// AdminView is the JSON of a link for administrators: both languages.
type AdminView struct {
	ID          string    `json:"id"`
	URL         string    `json:"url"`
	Title       i18n.Text `json:"title"`
	Description i18n.Text `json:"description"`
	Order       int       `json:"order"`
	CreatedAt   string    `json:"createdAt"`
	UpdatedAt   string    `json:"updatedAt"`
}

// PublicView is the JSON of a link in one language.
type PublicView struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Order       int    `json:"order"`
}

// AdminView returns the administrators' view of l.
func (l Link) AdminView() AdminView {
	return AdminView{
		ID: l.ID, URL: l.URL, Title: l.Title, Description: l.Description, Order: l.Order,
		CreatedAt: l.CreatedAt.UTC().Format(time.RFC3339), UpdatedAt: l.UpdatedAt.UTC().Format(time.RFC3339),
	}
}

// PublicView returns l in lang, falling back to French for empty texts.
func (l Link) PublicView(lang i18n.Lang) PublicView {
	return PublicView{ID: l.ID, URL: l.URL, Title: l.Title.In(lang), Description: l.Description.In(lang), Order: l.Order}
}
