package links

import (
	"strings"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/validate"
)

// Input is the body of PUT /api/admin/links/{id}.
type Input struct {
	URL         string    `json:"url"`
	Title       i18n.Text `json:"title"`
	Description i18n.Text `json:"description"`
	Order       *int      `json:"order"`
}

// NewLink is the body of POST /api/admin/links: an Input and, optionally,
// the ID the link should have (seed content uses stable IDs).
type NewLink struct {
	ID          string    `json:"id"`
	URL         string    `json:"url"`
	Title       i18n.Text `json:"title"`
	Description i18n.Text `json:"description"`
	Order       *int      `json:"order"`
}

// Validate checks in: every problem at once, as apperr.Fields.
func (in Input) Validate() error {
	_, err := in.link()
	return err
}

// link is the link in describes, without its ID.
func (in Input) link() (Link, error) {
	var fs apperr.Fields
	l := check(&fs, in)
	return l, fs.Err()
}

// Validate checks in: every problem at once, as apperr.Fields.
func (in NewLink) Validate() error {
	_, err := in.link()
	return err
}

// link is the link in describes (without its ID when none is given).
func (in NewLink) link() (Link, error) {
	var fs apperr.Fields
	if in.ID != "" && !ValidID(in.ID) {
		fs.Add("id", "links.id", nil)
	}
	l := check(&fs, Input{URL: in.URL, Title: in.Title, Description: in.Description, Order: in.Order})
	l.ID = in.ID
	return l, fs.Err()
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
		Title:       i18n.Text{FR: trim(in.Title.FR), AR: trim(in.Title.AR)},
		Description: i18n.Text{FR: trim(in.Description.FR), AR: trim(in.Description.AR)},
		Order:       order,
	}
}
