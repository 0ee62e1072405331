package handler

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"

	"espaceosc/infra/template"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/i18n"
	"espaceosc/shared/links"
	"espaceosc/shared/news"

	"github.com/aws/aws-lambda-go/events"
)

var clock = func() time.Time { return time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC) }

type fixture struct {
	router *httpapi.Router
	news   *news.Service
	links  *links.Service
}

func setup(t *testing.T) fixture {
	t.Helper()
	c, table := ddbtest.Minidyn(t)
	store := ddbstore.New(c, table)
	f := fixture{news: news.NewService(store.News(), clock), links: links.NewService(store.Links(), clock)}
	f.router = New(httpapi.NewLogger(io.Discard), f.news, f.links, Config{CNDPNumber: "D-W-123/2026", NoticeVersion: "2026-11-01"})
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
		if _, err := f.news.Create(ctx, news.Draft{Slug: n.slug, Lang: n.lang, Title: "Titre <b>" + n.slug + "</b>", Body: "Texte."}); err != nil {
			t.Fatal(err)
		}
		if n.publish {
			if _, err := f.news.Publish(ctx, n.slug, news.PublishInput{PublishedAt: n.date}); err != nil {
				t.Fatal(err)
			}
		}
	}
	one := 10
	two := 20
	for _, l := range []links.NewLink{
		{ID: "chikaya", URL: "https://www.chikaya.ma", Title: links.Text{FR: "Chikaya", AR: "شكاية"}, Order: &two},
		{ID: "eparticipation", URL: "https://www.eparticipation.ma", Title: links.Text{FR: "ePartcipation"}, Description: links.Text{FR: "Pétitions"}, Order: &one},
	} {
		if _, err := f.links.Create(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func serve(t *testing.T, rt *httpapi.Router, ev events.APIGatewayV2HTTPRequest, out any) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, err := rt.Serve(context.Background(), ev)
	if err != nil {
		t.Fatalf("Serve returned an error: %v", err)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(resp.Body), out); err != nil {
			t.Fatalf("body %q: %v", resp.Body, err)
		}
	}
	return resp
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
	rt := New(httpapi.NewLogger(io.Discard), nil, nil, Config{})
	template.CheckRoutes(t, "", "PublicContentFunction", rt.Routes())
}

func TestListNews(t *testing.T) {
	f := setup(t)
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
				resp := serve(t, f.router, ev, &p)
				if resp.StatusCode != tt.status {
					t.Fatalf("status = %d, want %d: %s", resp.StatusCode, tt.status, resp.Body)
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
					break
				}
				cursor = p.Next
			}
			if got := strings.Join(pages, "|"); got != tt.want {
				t.Fatalf("pages = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestListNewsBadInput(t *testing.T) {
	f := setup(t)
	tests := []struct {
		name  string
		query map[string]string
		field string
	}{
		{"unknown lang", map[string]string{"lang": "de"}, "lang"},
		{"limit 0", map[string]string{"limit": "0"}, "limit"},
		{"limit 51", map[string]string{"limit": "51"}, "limit"},
		{"bad cursor", map[string]string{"cursor": "garbage"}, "cursor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := httpapitest.Load(t, "list-news.json")
			ev.QueryStringParameters = tt.query
			var p httpapi.Problem
			resp := serve(t, f.router, ev, &p)
			if resp.StatusCode != 400 || !strings.HasPrefix(resp.Headers["Content-Type"], "application/problem+json") {
				t.Fatalf("status %d, content type %q, want 400 problem+json", resp.StatusCode, resp.Headers["Content-Type"])
			}
			if len(p.Errors) != 1 || p.Errors[0].Field != tt.field {
				t.Fatalf("errors = %+v, want field %q", p.Errors, tt.field)
			}
		})
	}
}

func TestGetNews(t *testing.T) {
	f := setup(t)
	tests := []struct {
		slug   string
		status int
	}{
		{"resultats-selection-copil-2024", 200},
		{"nataij-intiqa-copil-2024", 200},
		{"brouillon-secret", 404}, // drafts are not public
		{"absent", 404},
		{"Not A Slug", 404},
	}
	for _, tt := range tests {
		t.Run(tt.slug, func(t *testing.T) {
			ev := httpapitest.Load(t, "get-news.json")
			ev.PathParameters = map[string]string{"slug": tt.slug}
			var body map[string]any
			resp := serve(t, f.router, ev, &body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d: %s", resp.StatusCode, tt.status, resp.Body)
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
}

func TestListLinks(t *testing.T) {
	f := setup(t)
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
		resp := serve(t, f.router, ev, &p)
		if resp.StatusCode != 200 {
			t.Fatalf("status = %d: %s", resp.StatusCode, resp.Body)
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
	if resp := serve(t, f.router, ev, nil); resp.StatusCode != 400 {
		t.Fatalf("lang=de status = %d, want 400", resp.StatusCode)
	}
}

func TestNotice(t *testing.T) {
	f := setup(t)
	for _, lang := range []i18n.Lang{i18n.FR, i18n.AR} {
		ev := httpapitest.Load(t, "get-notice.json")
		ev.QueryStringParameters = map[string]string{"lang": string(lang)}
		var n map[string]string
		resp := serve(t, f.router, ev, &n)
		if resp.StatusCode != 200 {
			t.Fatalf("status = %d: %s", resp.StatusCode, resp.Body)
		}
		if n["lang"] != string(lang) || n["version"] != "2026-11-01" || n["cndpNumber"] != "D-W-123/2026" ||
			!strings.Contains(n["text"], "D-W-123/2026") || n["controller"] == "" {
			t.Fatalf("notice(%s) = %v", lang, n)
		}
	}
}
