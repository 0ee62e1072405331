// Package seed loads the demo content of the civil-society space (the news
// of the original page, in French, with Arabic versions written separately,
// the useful links of citizen participation, an event, an open call, the
// thematic and territorial working groups and a national action plan in its
// proposals phase) through the administrators' HTTP API, exactly as an
// administrator would. The local cloud applies it on
// first start; it can also seed a deployed stage.
//
// Apply is idempotent: content that already exists (409 on create) is left
// as it is, so a second run changes nothing, and edits an administrator made
// since are kept.
package seed

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"espaceosc/shared/i18n"
)

//go:embed content.json
var contentJSON []byte

// Content is the seed content.
type Content struct {
	News          []NewsItem     `json:"news"`
	Links         []Link         `json:"links"`
	Events        []Event        `json:"events"`
	Calls         []Call         `json:"calls"`
	WorkingGroups []WorkingGroup `json:"workingGroups"`
	Plans         []Plan         `json:"plans"`
}

// WorkingGroup is one active working group with a stable ID (the admin
// API's membership.NewGroup): thematic, or territorial with its region.
type WorkingGroup struct {
	ID      string `json:"id"`
	Kind    string `json:"kind"`
	Name    Text   `json:"name"`
	Mandate Text   `json:"mandate"`
	Region  string `json:"region,omitempty"`
}

// Plan is a national action plan under co-creation with a stable ID, its
// phases dated relative to the day it is seeded (Casablanca days, both
// included), so that a fresh cloud is in its proposals phase. The other
// fields are the admin API's (cocreation.NewPlan).
type Plan struct {
	ID          string          `json:"id"`
	Title       Text            `json:"title"`
	Description Text            `json:"description"`
	Phases      []PlanPhase     `json:"phases"`
	Themes      json.RawMessage `json:"themes"`
}

// PlanPhase is one phase of a seeded plan, in days from the seeding day.
type PlanPhase struct {
	Kind         string `json:"kind"`
	StartsInDays int    `json:"startsInDays"`
	EndsInDays   int    `json:"endsInDays"`
}

// Call is one open call for applications with a stable ID, dated relative
// to the day it is seeded: it opened OpensInDays days from then (negative:
// in the past) at 09:00 and closes ClosesInDays days from then at 23:59,
// Casablanca time (times without offset). The other fields are the admin
// API's (calls.CallInput).
type Call struct {
	ID           string          `json:"id"`
	Kind         string          `json:"kind"`
	Title        Text            `json:"title"`
	Description  Text            `json:"description"`
	Eligibility  Text            `json:"eligibility"`
	Seats        int             `json:"seats"`
	OpensInDays  int             `json:"opensInDays"`
	ClosesInDays int             `json:"closesInDays"`
	Documents    json.RawMessage `json:"documents"`
	Criteria     json.RawMessage `json:"criteria"`
}

// Event is one published event with a stable ID, dated relative to the day
// it is seeded (so that it is always upcoming on a fresh cloud): it starts
// StartsInDays days later at 09:30 Morocco time (08:30 UTC), registrations
// open now and close the evening before.
type Event struct {
	ID            string          `json:"id"`
	Kind          string          `json:"kind"`
	Title         Text            `json:"title"`
	Description   Text            `json:"description"`
	Venue         json.RawMessage `json:"venue"`
	Capacity      int             `json:"capacity"`
	WaitlistSize  int             `json:"waitlistSize"`
	StartsInDays  int             `json:"startsInDays"`
	DurationHours int             `json:"durationHours"`
	Questions     json.RawMessage `json:"questions"`
}

// NewsItem is one news item, created as a draft then published at PublishedAt.
type NewsItem struct {
	Slug        string `json:"slug"`
	Lang        string `json:"lang"`
	Title       string `json:"title"`
	Summary     string `json:"summary"`
	Body        string `json:"body"`
	PublishedAt string `json:"publishedAt"`
}

// Text is a text in French and Arabic.
type Text struct {
	FR string `json:"fr"`
	AR string `json:"ar"`
}

// Link is one useful link with a stable ID.
type Link struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	Title       Text   `json:"title"`
	Description Text   `json:"description"`
	Order       int    `json:"order"`
}

// Load returns the embedded seed content.
func Load() (Content, error) {
	var c Content
	if err := json.Unmarshal(contentJSON, &c); err != nil {
		return Content{}, fmt.Errorf("seed content: %w", err)
	}
	return c, nil
}

// Apply creates and publishes the seed content through the admin API at
// baseURL (e.g. http://127.0.0.1:8080) with an administrator's bearer token.
func Apply(ctx context.Context, baseURL, adminToken string) error {
	c, err := Load()
	if err != nil {
		return err
	}
	cl := &client{base: strings.TrimRight(baseURL, "/"), token: adminToken, http: &http.Client{Timeout: 30 * time.Second}}
	for _, n := range c.News {
		created, err := cl.post(ctx, "/api/admin/news", map[string]string{
			"slug": n.Slug, "lang": n.Lang, "title": n.Title, "summary": n.Summary, "body": n.Body,
		})
		if err != nil {
			return fmt.Errorf("seed news %s: %w", n.Slug, err)
		}
		if !created {
			continue // already there: leave it as it is
		}
		if _, err := cl.post(ctx, "/api/admin/news/"+url.PathEscape(n.Slug)+"/publish", map[string]string{"publishedAt": n.PublishedAt}); err != nil {
			return fmt.Errorf("publish seed news %s: %w", n.Slug, err)
		}
	}
	for _, l := range c.Links {
		if _, err := cl.post(ctx, "/api/admin/links", l); err != nil {
			return fmt.Errorf("seed link %s: %w", l.ID, err)
		}
	}
	now := time.Now().UTC()
	for _, e := range c.Events {
		day := time.Date(now.Year(), now.Month(), now.Day(), 8, 30, 0, 0, time.UTC).AddDate(0, 0, e.StartsInDays)
		created, err := cl.post(ctx, "/api/admin/events", map[string]any{
			"id": e.ID, "kind": e.Kind, "title": e.Title, "description": e.Description, "venue": e.Venue,
			"capacity": e.Capacity, "waitlistSize": e.WaitlistSize, "questions": e.Questions,
			"startsAt": day.Format(time.RFC3339), "endsAt": day.Add(time.Duration(e.DurationHours) * time.Hour).Format(time.RFC3339),
			"registrationOpensAt":  now.Add(-time.Hour).Truncate(time.Second).Format(time.RFC3339),
			"registrationClosesAt": day.Add(-14 * time.Hour).Format(time.RFC3339),
		})
		if err != nil {
			return fmt.Errorf("seed event %s: %w", e.ID, err)
		}
		if !created {
			continue
		}
		if _, err := cl.post(ctx, "/api/admin/events/"+url.PathEscape(e.ID)+"/publish", map[string]string{}); err != nil {
			return fmt.Errorf("publish seed event %s: %w", e.ID, err)
		}
	}
	for _, k := range c.Calls {
		day := func(n int) string { return now.AddDate(0, 0, n).Format("2006-01-02") }
		if _, err := cl.post(ctx, "/api/admin/calls", map[string]any{
			"id": k.ID, "kind": k.Kind, "title": k.Title, "description": k.Description, "eligibility": k.Eligibility,
			"seats": k.Seats, "documents": k.Documents, "criteria": k.Criteria,
			"opensAt": day(k.OpensInDays) + "T09:00", "closesAt": day(k.ClosesInDays) + "T23:59",
		}); err != nil {
			return fmt.Errorf("seed call %s: %w", k.ID, err)
		}
		// Opening an open call again changes nothing.
		if _, err := cl.post(ctx, "/api/admin/calls/"+url.PathEscape(k.ID)+"/status", map[string]string{"status": "open"}); err != nil {
			return fmt.Errorf("open seed call %s: %w", k.ID, err)
		}
	}
	for _, g := range c.WorkingGroups {
		if _, err := cl.post(ctx, "/api/admin/working-groups", g); err != nil {
			return fmt.Errorf("seed working group %s: %w", g.ID, err)
		}
	}
	// Plans of co-creation; one that exists already is left as it is.
	today := now.In(i18n.Casablanca)
	for _, p := range c.Plans {
		var phases []map[string]string
		for _, ph := range p.Phases {
			phases = append(phases, map[string]string{
				"kind": ph.Kind, "startsOn": today.AddDate(0, 0, ph.StartsInDays).Format("2006-01-02"),
				"endsOn": today.AddDate(0, 0, ph.EndsInDays).Format("2006-01-02"),
			})
		}
		if _, err := cl.post(ctx, "/api/admin/cocreation/plans", map[string]any{
			"id": p.ID, "title": p.Title, "description": p.Description, "phases": phases, "themes": p.Themes,
		}); err != nil {
			return fmt.Errorf("seed plan %s: %w", p.ID, err)
		}
	}
	return nil
}

type client struct {
	base, token string
	http        *http.Client
}

// post sends body as JSON. It reports true for 200/201, false for 409
// (already there) and an error for anything else.
func (c *client) post(ctx context.Context, path string, body any) (bool, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return false, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(b))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	switch resp.StatusCode {
	case http.StatusOK, http.StatusCreated:
		return true, nil
	case http.StatusConflict:
		return false, nil
	default:
		return false, fmt.Errorf("POST %s: %s: %s", path, resp.Status, strings.TrimSpace(string(msg)))
	}
}
