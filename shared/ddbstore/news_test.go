package ddbstore_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/i18n"
	"espaceosc/shared/news"
)

var newsT0 = time.Date(2024, 9, 1, 9, 0, 0, 0, time.UTC)

func newsItem(slug string, lang i18n.Lang, created time.Time) news.Item {
	return news.Item{
		Slug: slug, Lang: lang, Title: "Titre " + slug, Summary: "Résumé", Body: "Premier paragraphe.\n\nSecond.",
		Status: news.StatusDraft, CreatedAt: created, UpdatedAt: created,
	}
}

func newsMustCode(t *testing.T, err error, want apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != want {
		t.Fatalf("error code = %q (%v), want %q", got, err, want)
	}
}

func newsSlugs(items []news.Item) string {
	var s []string
	for _, it := range items {
		s = append(s, it.Slug)
	}
	return strings.Join(s, ",")
}

func TestNewsCRUD(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		st := ddbstore.New(c, table).News()
		it := newsItem("resultats-copil-2024", i18n.FR, newsT0)
		it.PublishedAt = newsT0.Add(time.Hour) // a planned date on a draft
		if err := st.Create(ctx, it); err != nil {
			t.Fatalf("Create: %v", err)
		}
		newsMustCode(t, st.Create(ctx, it), apperr.Conflict)

		got, err := st.Get(ctx, it.Slug)
		if err != nil {
			t.Fatalf("Get: %v", err)
		}
		if got.Title != it.Title || got.Body != it.Body || got.Summary != it.Summary || got.Lang != i18n.FR ||
			got.Status != news.StatusDraft || !got.CreatedAt.Equal(newsT0) || !got.PublishedAt.Equal(it.PublishedAt) {
			t.Fatalf("Get = %+v, want %+v", got, it)
		}
		_, err = st.Get(ctx, "absent")
		newsMustCode(t, err, apperr.NotFound)

		upd := got
		upd.Title, upd.UpdatedAt = "Nouveau titre", newsT0.Add(time.Minute)
		if err := st.Update(ctx, upd, got.UpdatedAt); err != nil {
			t.Fatalf("Update: %v", err)
		}
		// A second writer that read the old version loses.
		stale := got
		stale.Title, stale.UpdatedAt = "Perdu", newsT0.Add(2*time.Minute)
		newsMustCode(t, st.Update(ctx, stale, got.UpdatedAt), apperr.Conflict)
		missing := newsItem("absent", i18n.FR, newsT0)
		newsMustCode(t, st.Update(ctx, missing, newsT0), apperr.NotFound)
		if got, _ := st.Get(ctx, it.Slug); got.Title != "Nouveau titre" {
			t.Fatalf("title after updates = %q, want %q", got.Title, "Nouveau titre")
		}

		if err := st.Delete(ctx, it.Slug); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		newsMustCode(t, st.Delete(ctx, it.Slug), apperr.NotFound)
		_, err = st.Get(ctx, it.Slug)
		newsMustCode(t, err, apperr.NotFound)
	})
}

func TestNewsPublishVisibility(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		st := ddbstore.New(c, table).News()
		if err := st.Create(ctx, newsItem("visite-delegation", i18n.FR, newsT0)); err != nil {
			t.Fatalf("Create: %v", err)
		}
		list := func(lang i18n.Lang) string {
			t.Helper()
			p, err := st.ListPublished(ctx, lang, 10, "")
			if err != nil {
				t.Fatalf("ListPublished: %v", err)
			}
			return newsSlugs(p.Items)
		}
		if got := list(i18n.FR); got != "" {
			t.Fatalf("draft listed publicly: %q", got)
		}
		at := time.Date(2024, 9, 26, 9, 0, 0, 0, time.UTC)
		_, err := st.Publish(ctx, "visite-delegation", i18n.AR, at, newsT0)
		newsMustCode(t, err, apperr.Conflict) // the caller read another language
		_, err = st.Publish(ctx, "absent", i18n.FR, at, newsT0)
		newsMustCode(t, err, apperr.NotFound)

		pub, err := st.Publish(ctx, "visite-delegation", i18n.FR, at, newsT0.Add(time.Minute))
		if err != nil {
			t.Fatalf("Publish: %v", err)
		}
		if pub.Status != news.StatusPublished || !pub.PublishedAt.Equal(at) || !pub.UpdatedAt.Equal(newsT0.Add(time.Minute)) {
			t.Fatalf("Publish = %+v", pub)
		}
		if got, want := list(i18n.FR), "visite-delegation"; got != want {
			t.Fatalf("FR listing = %q, want %q", got, want)
		}
		if got := list(i18n.AR); got != "" {
			t.Fatalf("AR listing = %q, want empty", got)
		}

		draft, err := st.Unpublish(ctx, "visite-delegation", newsT0.Add(2*time.Minute))
		if err != nil {
			t.Fatalf("Unpublish: %v", err)
		}
		if draft.Status != news.StatusDraft {
			t.Fatalf("status after Unpublish = %q", draft.Status)
		}
		if got := list(i18n.FR); got != "" {
			t.Fatalf("unpublished item still listed: %q", got)
		}
		_, err = st.Unpublish(ctx, "absent", newsT0)
		newsMustCode(t, err, apperr.NotFound)

		// Updating a published item keeps it in the index, at its new date.
		if _, err := st.Publish(ctx, "visite-delegation", i18n.FR, at, newsT0.Add(3*time.Minute)); err != nil {
			t.Fatalf("Publish again: %v", err)
		}
		it, _ := st.Get(ctx, "visite-delegation")
		prev := it.UpdatedAt
		it.Lang, it.UpdatedAt = i18n.AR, newsT0.Add(4*time.Minute)
		if err := st.Update(ctx, it, prev); err != nil {
			t.Fatalf("Update: %v", err)
		}
		if got, want := list(i18n.AR), "visite-delegation"; got != want {
			t.Fatalf("AR listing after language change = %q, want %q", got, want)
		}
		if got := list(i18n.FR); got != "" {
			t.Fatalf("FR listing after language change = %q, want empty", got)
		}
	})
}

func TestNewsListingPages(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		st := ddbstore.New(c, table).News()
		// n1..n5 FR published on days 1..5 (created in reverse order), a1 AR, d1 FR draft.
		for i := 1; i <= 5; i++ {
			slug := fmt.Sprintf("n%d-fr", i)
			if err := st.Create(ctx, newsItem(slug, i18n.FR, newsT0.Add(time.Duration(10-i)*time.Hour))); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Publish(ctx, slug, i18n.FR, time.Date(2024, 9, i, 9, 0, 0, 0, time.UTC), newsT0); err != nil {
				t.Fatal(err)
			}
		}
		if err := st.Create(ctx, newsItem("a1-ar", i18n.AR, newsT0.Add(20*time.Hour))); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Publish(ctx, "a1-ar", i18n.AR, newsT0, newsT0); err != nil {
			t.Fatal(err)
		}
		if err := st.Create(ctx, newsItem("d1-fr", i18n.FR, newsT0.Add(30*time.Hour))); err != nil {
			t.Fatal(err)
		}

		pages := func(limit int, next func(cursor string) (news.Page, error)) []string {
			t.Helper()
			var got []string
			cursor := ""
			for i := 0; i < 10; i++ {
				p, err := next(cursor)
				if err != nil {
					t.Fatalf("page %d: %v", i, err)
				}
				got = append(got, newsSlugs(p.Items))
				if p.NextCursor == "" {
					return got
				}
				cursor = p.NextCursor
			}
			t.Fatal("too many pages")
			return nil
		}
		tests := []struct {
			name  string
			limit int
			list  func(limit int, cursor string) (news.Page, error)
			want  string
		}{
			{"public fr by 2", 2, func(l int, c string) (news.Page, error) { return st.ListPublished(ctx, i18n.FR, l, c) }, "n5-fr,n4-fr|n3-fr,n2-fr|n1-fr"},
			{"public fr by 5 (exact)", 5, func(l int, c string) (news.Page, error) { return st.ListPublished(ctx, i18n.FR, l, c) }, "n5-fr,n4-fr,n3-fr,n2-fr,n1-fr"},
			{"public ar", 10, func(l int, c string) (news.Page, error) { return st.ListPublished(ctx, i18n.AR, l, c) }, "a1-ar"},
			{"admin all by 3", 3, func(l int, c string) (news.Page, error) { return st.ListAll(ctx, news.Filter{}, l, c) }, "d1-fr,a1-ar,n1-fr|n2-fr,n3-fr,n4-fr|n5-fr"},
			{"admin fr drafts", 3, func(l int, c string) (news.Page, error) {
				return st.ListAll(ctx, news.Filter{Lang: i18n.FR, Status: news.StatusDraft}, l, c)
			}, "d1-fr"},
			{"admin fr published by 2", 2, func(l int, c string) (news.Page, error) {
				return st.ListAll(ctx, news.Filter{Lang: i18n.FR, Status: news.StatusPublished}, l, c)
			}, "n1-fr,n2-fr|n3-fr,n4-fr|n5-fr"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := strings.Join(pages(tt.limit, func(c string) (news.Page, error) { return tt.list(tt.limit, c) }), "|")
				if got != tt.want {
					t.Fatalf("pages = %q, want %q", got, tt.want)
				}
			})
		}

		// Cursors are checked: garbage, and a FR cursor replayed on AR.
		p, err := st.ListPublished(ctx, i18n.FR, 2, "")
		if err != nil || p.NextCursor == "" {
			t.Fatalf("first page: %v, cursor %q", err, p.NextCursor)
		}
		for _, cur := range []string{"not-a-cursor", "e30", p.NextCursor + "x"} {
			_, err := st.ListPublished(ctx, i18n.FR, 2, cur)
			newsMustCode(t, err, apperr.Invalid)
		}
		_, err = st.ListPublished(ctx, i18n.AR, 2, p.NextCursor)
		newsMustCode(t, err, apperr.Invalid)
		_, err = st.ListAll(ctx, news.Filter{}, 2, p.NextCursor)
		newsMustCode(t, err, apperr.Invalid)
	})
}
