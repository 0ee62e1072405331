package e2e

import (
	"net/http"
	"strings"
	"testing"
)

type newsItem struct {
	Slug        string `json:"slug"`
	Lang        string `json:"lang"`
	Title       string `json:"title"`
	Summary     string `json:"summary"`
	Body        string `json:"body"`
	Status      string `json:"status"`
	PublishedAt string `json:"publishedAt"`
}

type newsPage struct {
	Items      []newsItem `json:"items"`
	NextCursor string     `json:"nextCursor"`
}

func TestSeededNewsInFrenchAndArabic(t *testing.T) {
	tests := []struct {
		lang      string
		wantSlugs []string
	}{
		{"fr", []string{"resultats-selection-copil-2024", "visite-delegation-cote-divoire", "appel-candidature-copil-2024"}},
		{"ar", []string{"nataij-intiqa-copil-2024", "ziyarat-wafd-cote-divoire", "iilan-tarashuh-copil-2024"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			r := do(t, call{method: "GET", path: "/api/news?lang=" + tt.lang})
			expectStatus(t, r, http.StatusOK)
			var page newsPage
			r.json(t, &page)
			var got []string
			for _, it := range page.Items {
				if it.Lang != tt.lang {
					t.Errorf("item %s has lang %q in the %s listing", it.Slug, it.Lang, tt.lang)
				}
				got = append(got, it.Slug)
			}
			// Newest first; admin tests may add items, so compare the seeded ones in order.
			var seeded []string
			for _, s := range got {
				for _, w := range tt.wantSlugs {
					if s == w {
						seeded = append(seeded, s)
					}
				}
			}
			if strings.Join(seeded, ",") != strings.Join(tt.wantSlugs, ",") {
				t.Fatalf("seeded slugs = %v, want %v (all %v)", seeded, tt.wantSlugs, got)
			}

			// Paging with limit=1 walks the same items.
			var walked []string
			cursor := ""
			for i := 0; i < 10; i++ {
				path := "/api/news?limit=1&lang=" + tt.lang
				if cursor != "" {
					path += "&cursor=" + cursor
				}
				r := do(t, call{method: "GET", path: path})
				expectStatus(t, r, http.StatusOK)
				var p newsPage
				r.json(t, &p)
				for _, it := range p.Items {
					walked = append(walked, it.Slug)
				}
				if p.NextCursor == "" {
					break
				}
				cursor = p.NextCursor
			}
			if strings.Join(walked, ",") != strings.Join(got, ",") {
				t.Fatalf("paged walk = %v, want %v", walked, got)
			}

			r = do(t, call{method: "GET", path: "/api/news/" + tt.wantSlugs[0]})
			expectStatus(t, r, http.StatusOK)
			var item newsItem
			r.json(t, &item)
			if item.Title == "" || item.Body == "" || item.PublishedAt == "" {
				t.Fatalf("item = %+v", item)
			}
			if tt.lang == "ar" && !strings.ContainsRune(item.Title, 'ا') {
				t.Fatalf("Arabic item title %q is not Arabic", item.Title)
			}
		})
	}
	t.Run("unknown lang", func(t *testing.T) {
		expectProblem(t, do(t, call{method: "GET", path: "/api/news?lang=de"}), 400, "lang")
	})
	t.Run("missing item", func(t *testing.T) {
		expectProblem(t, do(t, call{method: "GET", path: "/api/news/nope-nope"}), 404, "")
	})
}

func TestSeededLinks(t *testing.T) {
	var page struct {
		Items []struct {
			ID, URL, Title string
		} `json:"items"`
	}
	r := do(t, call{method: "GET", path: "/api/links?lang=ar"})
	expectStatus(t, r, http.StatusOK)
	r.json(t, &page)
	if len(page.Items) < 7 {
		t.Fatalf("links = %d, want at least 7", len(page.Items))
	}
	if got, want := page.Items[0].ID, "eparticipation"; got != want {
		t.Fatalf("first link = %q, want %q", got, want)
	}
	if !strings.ContainsRune(page.Items[1].Title, 'ا') {
		t.Fatalf("Arabic link title %q is not Arabic", page.Items[1].Title)
	}
}

func TestAdminNewsLifecycle(t *testing.T) {
	admin := token(t, "admin")
	evaluator := token(t, "evaluator")
	draft := map[string]any{
		"slug": "atelier-cocreation-e2e", "lang": "fr", "title": "Atelier de co-création <à Rabat>",
		"summary": "Résumé", "body": "Premier paragraphe.\n\nSecond paragraphe.",
	}

	// The gateway refuses a missing or bad token before the function runs.
	expectStatus(t, do(t, call{method: "POST", path: "/api/admin/news", body: draft}), http.StatusUnauthorized)
	expectStatus(t, do(t, call{method: "POST", path: "/api/admin/news", body: draft, token: admin + "x"}), http.StatusUnauthorized)
	// An evaluator is authenticated but not an administrator.
	expectProblem(t, do(t, call{method: "POST", path: "/api/admin/news", body: draft, token: evaluator}), http.StatusForbidden, "")

	r := do(t, call{method: "POST", path: "/api/admin/news", body: draft, token: admin})
	expectStatus(t, r, http.StatusCreated)
	var created newsItem
	r.json(t, &created)
	if created.Status != "draft" || created.Slug != "atelier-cocreation-e2e" {
		t.Fatalf("created = %+v", created)
	}
	// Same slug again: conflict.
	expectProblem(t, do(t, call{method: "POST", path: "/api/admin/news", body: draft, token: admin}), http.StatusConflict, "")
	// A draft is not public.
	expectProblem(t, do(t, call{method: "GET", path: "/api/news/atelier-cocreation-e2e"}), http.StatusNotFound, "")

	r = do(t, call{method: "POST", path: "/api/admin/news/atelier-cocreation-e2e/publish", body: map[string]any{}, token: admin})
	expectStatus(t, r, http.StatusOK)
	r = do(t, call{method: "GET", path: "/api/news/atelier-cocreation-e2e"})
	expectStatus(t, r, http.StatusOK)
	var public newsItem
	r.json(t, &public)
	if public.Title != draft["title"] {
		t.Fatalf("public title = %q, want the text as written (escaped only when shown)", public.Title)
	}
	r = do(t, call{method: "GET", path: "/api/news?lang=fr"})
	var page newsPage
	r.json(t, &page)
	if len(page.Items) == 0 || page.Items[0].Slug != "atelier-cocreation-e2e" {
		t.Fatalf("newest published item is not the new one: %+v", page.Items)
	}

	expectStatus(t, do(t, call{method: "DELETE", path: "/api/admin/news/atelier-cocreation-e2e", token: evaluator}), http.StatusForbidden)
	expectStatus(t, do(t, call{method: "DELETE", path: "/api/admin/news/atelier-cocreation-e2e", token: admin}), http.StatusNoContent)
	expectProblem(t, do(t, call{method: "GET", path: "/api/news/atelier-cocreation-e2e"}), http.StatusNotFound, "")
	expectProblem(t, do(t, call{method: "DELETE", path: "/api/admin/news/atelier-cocreation-e2e", token: admin}), http.StatusNotFound, "")
}
