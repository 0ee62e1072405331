package newsdb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/newsdb"
	"espaceosc/shared/i18n"
	"espaceosc/shared/news"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

var t0 = time.Date(2024, 9, 1, 9, 0, 0, 0, time.UTC)

func newsItem(slug string, lang i18n.Lang, created time.Time) news.Item {
	return news.Item{
		Slug: slug, Lang: lang, Title: "Titre " + slug, Summary: "Résumé", Body: "Premier paragraphe.\n\nSecond.",
		Status: news.StatusDraft, CreatedAt: created, UpdatedAt: created, Version: 1,
	}
}

func mustCode(t *testing.T, err error, want apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != want {
		t.Fatalf("error code = %q (%v), want %q", got, err, want)
	}
	if e, ok := apperr.As(err); ok && want != apperr.Invalid && e.Key != "" {
		t.Fatalf("the store chose the message key %q (the domain does)", e.Key)
	}
}

func slugs(items []news.Item) string {
	var s []string
	for _, it := range items {
		s = append(s, it.Slug)
	}
	return strings.Join(s, ",")
}

// write puts next over the stored version of it, as the service does.
func write(t *testing.T, st newsdb.Store, it news.Item, change func(*news.Item)) news.Item {
	t.Helper()
	next := it
	change(&next)
	next.Version = it.Version + 1
	if err := st.UpdateNews(context.Background(), next, it.Version); err != nil {
		t.Fatalf("UpdateNews %s: %v", it.Slug, err)
	}
	return next
}

func publish(at, now time.Time) func(*news.Item) {
	return func(it *news.Item) { it.Status, it.PublishedAt, it.UpdatedAt = news.StatusPublished, at, now }
}

func TestNewsCRUD(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		st := newsdb.New(ddbstore.New(c, table))
		it := newsItem("resultats-copil-2024", i18n.FR, t0)
		it.PublishedAt = t0.Add(time.Hour) // a planned date on a draft
		if err := st.CreateNews(ctx, it); err != nil {
			t.Fatalf("CreateNews: %v", err)
		}
		mustCode(t, st.CreateNews(ctx, it), apperr.Conflict)

		got, err := st.GetNews(ctx, it.Slug)
		if err != nil {
			t.Fatalf("GetNews: %v", err)
		}
		if got.Title != it.Title || got.Body != it.Body || got.Summary != it.Summary || got.Lang != i18n.FR || got.Version != 1 ||
			got.Status != news.StatusDraft || !got.CreatedAt.Equal(t0) || !got.PublishedAt.Equal(it.PublishedAt) {
			t.Fatalf("GetNews = %+v, want %+v", got, it)
		}
		_, err = st.GetNews(ctx, "absent")
		mustCode(t, err, apperr.NotFound)

		updated := write(t, st, got, func(n *news.Item) { n.Title, n.UpdatedAt = "Nouveau titre", t0.Add(time.Minute) })
		// A second writer that read the old version loses.
		stale := got
		stale.Title, stale.UpdatedAt, stale.Version = "Perdu", t0.Add(2*time.Minute), got.Version+1
		mustCode(t, st.UpdateNews(ctx, stale, got.Version), apperr.Conflict)
		// So does one writing an item that is gone.
		missing := newsItem("absent", i18n.FR, t0)
		mustCode(t, st.UpdateNews(ctx, missing, 1), apperr.Conflict)
		if _, err := st.GetNews(ctx, "absent"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("a failed update created the item: %v", err)
		}
		if got, _ := st.GetNews(ctx, it.Slug); got.Title != "Nouveau titre" || got.Version != updated.Version || !got.UpdatedAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("after updates = %+v, want title %q version %d", got, "Nouveau titre", updated.Version)
		}

		if err := st.DeleteNews(ctx, it.Slug); err != nil {
			t.Fatalf("DeleteNews: %v", err)
		}
		mustCode(t, st.DeleteNews(ctx, it.Slug), apperr.NotFound)
		_, err = st.GetNews(ctx, it.Slug)
		mustCode(t, err, apperr.NotFound)
	})
}

// TestNewsStoredBeforeVersions: items written by the former store (no
// version, instants to the millisecond) are read, listed in order with new
// ones, and updated under the same optimistic lock.
func TestNewsStoredBeforeVersions(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		st := newsdb.New(ddbstore.New(c, table))
		s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]types.AttributeValue{
			"PK": s("NEWS#ancienne"), "SK": s("NEWS"),
			"GSI1PK": s("NEWSPUB#fr"), "GSI1SK": s("2024-09-02T09:00:00.000Z#ancienne"),
			"GSI2PK": s("NEWSALL"), "GSI2SK": s("2024-09-01T09:00:00.500Z#ancienne"),
			"slug": s("ancienne"), "lang": s("fr"), "title": s("Ancienne"), "body": s("Texte."), "status": s("published"),
			"publishedAt": s("2024-09-02T09:00:00.000Z"), "createdAt": s("2024-09-01T09:00:00.500Z"), "updatedAt": s("2024-09-01T09:00:00.500Z"),
		}})
		if err != nil {
			t.Fatal(err)
		}
		for i, day := range []int{1, 3} {
			it := newsItem(fmt.Sprintf("nouvelle-%d", i), i18n.FR, t0.Add(time.Duration(i)*time.Second))
			if err := st.CreateNews(ctx, it); err != nil {
				t.Fatal(err)
			}
			write(t, st, it, publish(time.Date(2024, 9, day, 9, 0, 0, 0, time.UTC), t0))
		}
		old, err := st.GetNews(ctx, "ancienne")
		if err != nil {
			t.Fatal(err)
		}
		if old.Version != 0 || !old.CreatedAt.Equal(t0.Add(500*time.Millisecond)) || !old.PublishedAt.Equal(time.Date(2024, 9, 2, 9, 0, 0, 0, time.UTC)) {
			t.Fatalf("former item = %+v", old)
		}
		items, _, err := st.ListPublishedNews(ctx, i18n.FR, 10, "")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := slugs(items), "nouvelle-1,ancienne,nouvelle-0"; got != want {
			t.Fatalf("published = %q, want %q", got, want)
		}
		items, _, err = st.ListNews(ctx, news.Filter{}, 10, "")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := slugs(items), "nouvelle-1,ancienne,nouvelle-0"; got != want {
			t.Fatalf("all = %q, want %q", got, want)
		}

		next := write(t, st, old, func(n *news.Item) { n.Title = "Modifiée" })
		mustCode(t, st.UpdateNews(ctx, old, 0), apperr.Conflict) // another writer that read it without a version
		if got, _ := st.GetNews(ctx, "ancienne"); got.Title != "Modifiée" || got.Version != 1 || next.Version != 1 {
			t.Fatalf("after update = %+v", got)
		}
	})
}

func TestNewsPublishVisibility(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		st := newsdb.New(ddbstore.New(c, table))
		it := newsItem("visite-delegation", i18n.FR, t0)
		if err := st.CreateNews(ctx, it); err != nil {
			t.Fatalf("CreateNews: %v", err)
		}
		list := func(lang i18n.Lang) string {
			t.Helper()
			items, next, err := st.ListPublishedNews(ctx, lang, 10, "")
			if err != nil {
				t.Fatalf("ListPublishedNews: %v", err)
			}
			if next != "" {
				t.Fatalf("one page, yet a cursor %q", next)
			}
			return slugs(items)
		}
		if got := list(i18n.FR); got != "" {
			t.Fatalf("draft listed publicly: %q", got)
		}
		at := time.Date(2024, 9, 26, 9, 0, 0, 0, time.UTC)
		pub := write(t, st, it, publish(at, t0.Add(time.Minute)))
		if got, _ := st.GetNews(ctx, it.Slug); got.Status != news.StatusPublished || !got.PublishedAt.Equal(at) || !got.UpdatedAt.Equal(t0.Add(time.Minute)) {
			t.Fatalf("published = %+v", got)
		}
		if got, want := list(i18n.FR), "visite-delegation"; got != want {
			t.Fatalf("FR listing = %q, want %q", got, want)
		}
		if got := list(i18n.AR); got != "" {
			t.Fatalf("AR listing = %q, want empty", got)
		}

		draft := write(t, st, pub, func(n *news.Item) { n.Status, n.UpdatedAt = news.StatusDraft, t0.Add(2*time.Minute) })
		if got, _ := st.GetNews(ctx, it.Slug); got.Status != news.StatusDraft {
			t.Fatalf("status after taking back to draft = %q", got.Status)
		}
		if got := list(i18n.FR); got != "" {
			t.Fatalf("unpublished item still listed: %q", got)
		}

		// Changing a published item's language moves it to the other listing.
		pub = write(t, st, draft, publish(at, t0.Add(3*time.Minute)))
		write(t, st, pub, func(n *news.Item) { n.Lang, n.UpdatedAt = i18n.AR, t0.Add(4*time.Minute) })
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
		st := newsdb.New(ddbstore.New(c, table))
		// n1..n5 FR published on days 1..5 (created in reverse order), a1 AR, d1 FR draft.
		for i := 1; i <= 5; i++ {
			it := newsItem(fmt.Sprintf("n%d-fr", i), i18n.FR, t0.Add(time.Duration(10-i)*time.Hour))
			if err := st.CreateNews(ctx, it); err != nil {
				t.Fatal(err)
			}
			write(t, st, it, publish(time.Date(2024, 9, i, 9, 0, 0, 0, time.UTC), t0))
		}
		a1 := newsItem("a1-ar", i18n.AR, t0.Add(20*time.Hour))
		if err := st.CreateNews(ctx, a1); err != nil {
			t.Fatal(err)
		}
		write(t, st, a1, publish(t0, t0))
		if err := st.CreateNews(ctx, newsItem("d1-fr", i18n.FR, t0.Add(30*time.Hour))); err != nil {
			t.Fatal(err)
		}

		type lister func(limit int, cursor string) ([]news.Item, string, error)
		pages := func(limit int, list lister) []string {
			t.Helper()
			var got []string
			cursor := ""
			for i := 0; i < 10; i++ {
				items, next, err := list(limit, cursor)
				if err != nil {
					t.Fatalf("page %d: %v", i, err)
				}
				got = append(got, slugs(items))
				if next == "" {
					return got
				}
				cursor = next
			}
			t.Fatal("too many pages")
			return nil
		}
		published := func(lang i18n.Lang) lister {
			return func(l int, c string) ([]news.Item, string, error) { return st.ListPublishedNews(ctx, lang, l, c) }
		}
		all := func(f news.Filter) lister {
			return func(l int, c string) ([]news.Item, string, error) { return st.ListNews(ctx, f, l, c) }
		}
		tests := []struct {
			name  string
			limit int
			list  lister
			want  string
		}{
			{"public fr by 2", 2, published(i18n.FR), "n5-fr,n4-fr|n3-fr,n2-fr|n1-fr"},
			{"public fr by 5 (exact)", 5, published(i18n.FR), "n5-fr,n4-fr,n3-fr,n2-fr,n1-fr"},
			{"public ar", 10, published(i18n.AR), "a1-ar"},
			// By the date the console shows: published on day 5..1, the draft created on day 2 at 15:00.
			{"admin all by 3", 3, all(news.Filter{}), "n5-fr,n4-fr,n3-fr|d1-fr,n2-fr,n1-fr|a1-ar"},
			{"admin fr drafts", 3, all(news.Filter{Lang: i18n.FR, Status: news.StatusDraft}), "d1-fr"},
			{"admin fr published by 2", 2, all(news.Filter{Lang: i18n.FR, Status: news.StatusPublished}), "n5-fr,n4-fr|n3-fr,n2-fr|n1-fr"},
			{"admin ar", 2, all(news.Filter{Lang: i18n.AR}), "a1-ar"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := strings.Join(pages(tt.limit, tt.list), "|"); got != tt.want {
					t.Fatalf("pages = %q, want %q", got, tt.want)
				}
			})
		}

		// Cursors are checked: garbage, and a FR cursor replayed on AR.
		_, next, err := st.ListPublishedNews(ctx, i18n.FR, 2, "")
		if err != nil || next == "" {
			t.Fatalf("first page: %v, cursor %q", err, next)
		}
		for _, cur := range []string{"not-a-cursor", "e30", next + "x"} {
			_, _, err := st.ListPublishedNews(ctx, i18n.FR, 2, cur)
			mustCode(t, err, apperr.Invalid)
		}
		_, _, err = st.ListPublishedNews(ctx, i18n.AR, 2, next)
		mustCode(t, err, apperr.Invalid)
		_, _, err = st.ListNews(ctx, news.Filter{}, 2, next)
		mustCode(t, err, apperr.Invalid)
	})
}
