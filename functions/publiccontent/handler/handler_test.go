package handler

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"espaceosc/infra/template"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/i18n"
	"espaceosc/shared/links"
	"espaceosc/shared/news"

	minidyn "github.com/truora/minidyn/aws-v2/client"
)

// setup is the function with seed-like content: four published items, a
// draft and two links.
func setup(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	ctx := context.Background()
	for _, n := range []struct {
		slug, lang, date string
		publish          bool
	}{
		{"resultats-selection-copil-2024", "fr", "2024-09-27T09:00:00Z", true},
		{"visite-delegation-cote-divoire", "fr", "2024-09-26T09:00:00Z", true},
		{"appel-candidature-copil-2024", "fr", "2024-08-13T09:00:00Z", true},
		{"nataij-intiqa-copil-2024", "ar", "2024-09-27T09:00:00Z", true},
		{"brouillon-secret", "fr", "2024-09-28T09:00:00Z", false},
	} {
		if _, err := e.news.Create(ctx, news.Draft{Slug: n.slug, Lang: n.lang, Title: "Titre <b>" + n.slug + "</b>", Body: "Texte."}); err != nil {
			t.Fatal(err)
		}
		if n.publish {
			if _, err := e.news.Publish(ctx, n.slug, news.PublishInput{PublishedAt: n.date}); err != nil {
				t.Fatal(err)
			}
		}
	}
	one := 10
	two := 20
	for _, l := range []links.NewLink{
		{ID: "chikaya", URL: "https://www.chikaya.ma", Title: i18n.Text{FR: "Chikaya", AR: "شكاية"}, Order: &two},
		{ID: "eparticipation", URL: "https://www.eparticipation.ma", Title: i18n.Text{FR: "ePartcipation"}, Description: i18n.Text{FR: "Pétitions"}, Order: &one},
	} {
		if _, err := e.links.Create(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// noPersonalData checks that the logs carry none of what the requests'
// payloads say about the caller.
func noPersonalData(t *testing.T, e *env) {
	t.Helper()
	logs := e.logs.String()
	if !strings.Contains(logs, `"route"`) {
		t.Fatalf("no request logged:\n%s", logs)
	}
	for _, personal := range []string{"196.200.1.10", "Mozilla", "eyJ"} {
		if strings.Contains(logs, personal) {
			t.Errorf("logs contain %q:\n%s", personal, logs)
		}
	}
}

type newsPage struct {
	Items []map[string]any `json:"items"`
	Next  string           `json:"nextCursor"`
}

func slugs(p newsPage) string {
	var s []string
	for _, it := range p.Items {
		s = append(s, it["slug"].(string))
	}
	return strings.Join(s, ",")
}

func TestRoutesMatchTemplate(t *testing.T) {
	rt := New(nil, nil, Config{}, httpapi.NewLogger(io.Discard))
	template.CheckRoutes(t, "", "PublicContentFunction", rt.Routes())
}

func TestListNews(t *testing.T) {
	e := setup(t)
	tests := []struct {
		name   string
		query  map[string]string
		status int
		want   string // slugs of every page, pages separated by |
	}{
		{"fr by 2", map[string]string{"lang": "fr", "limit": "2"}, 200, "resultats-selection-copil-2024,visite-delegation-cote-divoire|appel-candidature-copil-2024"},
		{"fr default limit", map[string]string{"lang": "fr"}, 200, "resultats-selection-copil-2024,visite-delegation-cote-divoire,appel-candidature-copil-2024"},
		{"ar", map[string]string{"lang": "ar"}, 200, "nataij-intiqa-copil-2024"},
		{"no lang: Accept-Language fr", map[string]string{}, 200, "resultats-selection-copil-2024,visite-delegation-cote-divoire,appel-candidature-copil-2024"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pages []string
			cursor := ""
			for i := 0; i < 5; i++ {
				ev := httpapitest.Load(t, "list-news.json")
				ev.QueryStringParameters = map[string]string{}
				for k, v := range tt.query {
					ev.QueryStringParameters[k] = v
				}
				if cursor != "" {
					ev.QueryStringParameters["cursor"] = cursor
				}
				var p newsPage
				resp := e.serve(t, ev, &p)
				if resp.StatusCode != tt.status {
					t.Fatalf("status = %d, want %d: %s", resp.StatusCode, tt.status, resp.Body)
				}
				if got := e.calls.n.Load(); got != 1 {
					t.Errorf("a page made %d DynamoDB calls, want 1", got)
				}
				if got, want := resp.Headers["Cache-Control"], "public, max-age=60"; got != want {
					t.Errorf("Cache-Control = %q, want %q", got, want)
				}
				for _, it := range p.Items {
					for _, hidden := range []string{"status", "createdAt", "updatedAt"} {
						if _, ok := it[hidden]; ok {
							t.Errorf("public item has %q", hidden)
						}
					}
				}
				pages = append(pages, slugs(p))
				if p.Next == "" {
					var raw map[string]json.RawMessage
					_ = json.Unmarshal([]byte(resp.Body), &raw)
					if _, ok := raw["nextCursor"]; ok {
						t.Errorf("the last page has a nextCursor: %s", resp.Body)
					}
					break
				}
				cursor = p.Next
			}
			if got := strings.Join(pages, "|"); got != tt.want {
				t.Fatalf("pages = %q, want %q", got, tt.want)
			}
		})
	}
	noPersonalData(t, e)
}

func TestListNewsEmpty(t *testing.T) {
	e := newEnv(t)
	resp := e.serve(t, httpapitest.Load(t, "list-news.json"), nil)
	if resp.StatusCode != 200 || resp.Body != `{"items":[]}` {
		t.Fatalf("empty listing = %d %s, want 200 {\"items\":[]}", resp.StatusCode, resp.Body)
	}
}

func TestListNewsBadInput(t *testing.T) {
	e := setup(t)
	tests := []struct {
		name  string
		query map[string]string
		field string
		calls int64
	}{
		{"unknown lang", map[string]string{"lang": "de"}, "lang", 0},
		{"limit 0", map[string]string{"limit": "0"}, "limit", 0},
		{"limit 51", map[string]string{"limit": "51"}, "limit", 0},
		{"bad cursor", map[string]string{"cursor": "garbage"}, "cursor", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := httpapitest.Load(t, "list-news.json")
			ev.QueryStringParameters = tt.query
			var p httpapi.Problem
			resp := e.serve(t, ev, &p)
			if resp.StatusCode != 400 || !strings.HasPrefix(resp.Headers["Content-Type"], "application/problem+json") {
				t.Fatalf("status %d, content type %q, want 400 problem+json", resp.StatusCode, resp.Headers["Content-Type"])
			}
			if len(p.Errors) != 1 || p.Errors[0].Field != tt.field {
				t.Fatalf("errors = %+v, want field %q", p.Errors, tt.field)
			}
			if got := e.calls.n.Load(); got != tt.calls {
				t.Errorf("a refused request made %d DynamoDB calls, want %d", got, tt.calls)
			}
		})
	}
}

func TestGetNews(t *testing.T) {
	e := setup(t)
	tests := []struct {
		slug   string
		status int
		calls  int64
	}{
		{"resultats-selection-copil-2024", 200, 1},
		{"nataij-intiqa-copil-2024", 200, 1},
		{"brouillon-secret", 404, 1}, // drafts are not public
		{"absent", 404, 1},
		{"Not A Slug", 404, 0},
	}
	for _, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			ev := httpapitest.Load(t, "get-news.json")
			ev.PathParameters = map[string]string{"slug": tt.slug}
			var body map[string]any
			resp := e.serve(t, ev, &body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d: %s", resp.StatusCode, tt.status, resp.Body)
			}
			if got := e.calls.n.Load(); got != tt.calls {
				t.Errorf("%d DynamoDB calls, want %d", got, tt.calls)
			}
			if tt.status == 200 {
				if body["slug"] != tt.slug || body["title"] != "Titre <b>"+tt.slug+"</b>" || body["publishedAt"] == "" {
					t.Fatalf("body = %v", body)
				}
				if _, ok := body["status"]; ok {
					t.Fatalf("public item shows its status: %v", body)
				}
			} else if body["type"] != httpapi.ProblemTypeBase+"not_found" {
				t.Fatalf("problem = %v", body)
			}
		})
	}
	// A draft and a missing item answer exactly the same.
	draft := httpapitest.Load(t, "get-news.json")
	draft.PathParameters = map[string]string{"slug": "brouillon-secret"}
	absent := httpapitest.Load(t, "get-news.json")
	absent.PathParameters = map[string]string{"slug": "absent-aussi"}
	if a, b := e.serve(t, draft, nil), e.serve(t, absent, nil); a.Body != b.Body {
		t.Errorf("draft: %s, missing: %s", a.Body, b.Body)
	}
	noPersonalData(t, e)
}

func TestListLinks(t *testing.T) {
	e := setup(t)
	tests := []struct {
		lang, want string
	}{
		{"fr", "eparticipation:ePartcipation:Pétitions,chikaya:Chikaya:"},
		{"ar", "eparticipation:ePartcipation:Pétitions,chikaya:شكاية:"}, // falls back to French
	}
	for _, tt := range tests {
		ev := httpapitest.Load(t, "list-links.json")
		ev.QueryStringParameters = map[string]string{"lang": tt.lang}
		var p struct {
			Items []links.PublicView `json:"items"`
		}
		resp := e.serve(t, ev, &p)
		if resp.StatusCode != 200 {
			t.Fatalf("status = %d: %s", resp.StatusCode, resp.Body)
		}
		if got := e.calls.n.Load(); got != 1 {
			t.Errorf("links made %d DynamoDB calls, want 1", got)
		}
		if strings.Contains(resp.Body, "nextCursor") {
			t.Errorf("links carry a cursor: %s", resp.Body)
		}
		var got []string
		for _, l := range p.Items {
			got = append(got, l.ID+":"+l.Title+":"+l.Description)
		}
		if strings.Join(got, ",") != tt.want {
			t.Errorf("links(%s) = %q, want %q", tt.lang, strings.Join(got, ","), tt.want)
		}
	}
	ev := httpapitest.Load(t, "list-links.json")
	ev.QueryStringParameters = map[string]string{"lang": "de"}
	if resp := e.serve(t, ev, nil); resp.StatusCode != 400 {
		t.Fatalf("lang=de status = %d, want 400", resp.StatusCode)
	}
	noPersonalData(t, e)
}

func TestNotice(t *testing.T) {
	e := setup(t)
	for _, lang := range []i18n.Lang{i18n.FR, i18n.AR} {
		ev := httpapitest.Load(t, "get-notice.json")
		ev.QueryStringParameters = map[string]string{"lang": string(lang)}
		var n map[string]string
		resp := e.serve(t, ev, &n)
		if resp.StatusCode != 200 {
			t.Fatalf("status = %d: %s", resp.StatusCode, resp.Body)
		}
		if got := e.calls.n.Load(); got != 0 {
			t.Errorf("the notice made %d DynamoDB calls, want 0", got)
		}
		if n["lang"] != string(lang) || n["version"] != "2026-11-01" || n["cndpNumber"] != "D-W-123/2026" ||
			!strings.Contains(n["text"], "D-W-123/2026") || n["controller"] == "" {
			t.Fatalf("notice(%s) = %v", lang, n)
		}
	}
}

func TestDynamoDBDown(t *testing.T) {
	e := setup(t)
	minidyn.EmulateFailure(e.db, minidyn.FailureConditionInternalServerError)
	defer minidyn.EmulateFailure(e.db, minidyn.FailureConditionNone)
	for _, name := range []string{"list-news.json", "get-news.json", "list-links.json"} {
		ev := httpapitest.Load(t, name)
		if ev.PathParameters["slug"] != "" {
			ev.PathParameters["slug"] = "resultats-selection-copil-2024"
		}
		var p httpapi.Problem
		resp := e.serve(t, ev, &p)
		if resp.StatusCode != 503 || p.Type != httpapi.ProblemTypeBase+"unavailable" || resp.Headers["Retry-After"] == "" {
			t.Errorf("%s while DynamoDB is down: %d %s", name, resp.StatusCode, resp.Body)
		}
	}
	noPersonalData(t, e)
}
