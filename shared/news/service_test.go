package news_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/newsdb"
	"espaceosc/shared/i18n"
	"espaceosc/shared/news"
)

var now = time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)

// racing is a store in which another administrator writes the item between
// the service's read and its write, `races` times.
type racing struct {
	newsdb.Store
	races  int
	change func(news.Item) news.Item // the other administrator's write
}

func (r *racing) UpdateNews(ctx context.Context, it news.Item, prevVersion int) error {
	if r.races > 0 {
		r.races--
		cur, err := r.Store.GetNews(ctx, it.Slug)
		if err != nil {
			return err
		}
		if r.change == nil {
			if err := r.Store.DeleteNews(ctx, it.Slug); err != nil {
				return err
			}
		} else {
			next := r.change(cur)
			next.Version = cur.Version + 1
			if err := r.Store.UpdateNews(ctx, next, cur.Version); err != nil {
				return err
			}
		}
	}
	return r.Store.UpdateNews(ctx, it, prevVersion)
}

func newService(t *testing.T, store news.Store) *news.Service {
	t.Helper()
	return news.NewService(news.Config{Store: store, Now: func() time.Time { return now }, Rand: bytes.NewReader(make([]byte, 64))})
}

func TestLostRaces(t *testing.T) {
	ctx := context.Background()
	c, table := ddbtest.Minidyn(t)
	st := &racing{Store: newsdb.New(ddbstore.New(c, table))}
	svc := newService(t, st)
	if _, err := svc.Create(ctx, news.Draft{Slug: "atelier", Lang: "fr", Title: "Atelier", Body: "Texte."}); err != nil {
		t.Fatal(err)
	}

	// Someone edits the item while it is published: publication applies to
	// what they wrote.
	st.races, st.change = 1, func(it news.Item) news.Item { it.Title = "Atelier (report)"; return it }
	v, err := svc.Publish(ctx, "atelier", news.PublishInput{PublishedAt: "2024-09-27T09:00:00Z"})
	if err != nil {
		t.Fatalf("Publish after a lost race: %v", err)
	}
	if v.Status != news.StatusPublished || v.Title != "Atelier (report)" || v.PublishedAt != "2024-09-27T09:00:00Z" {
		t.Errorf("published = %+v", v)
	}
	if pv, err := svc.GetPublished(ctx, "atelier"); err != nil || pv.Title != "Atelier (report)" {
		t.Errorf("public view = %+v, %v", pv, err)
	}

	// Someone keeps writing: after a few attempts, a conflict people can read.
	st.races, st.change = 10, func(it news.Item) news.Item { it.Summary += "."; return it }
	_, err = svc.Update(ctx, "atelier", news.Changes{Title: "Perdu", Body: "Texte."})
	if e, ok := apperr.As(err); !ok || e.Code != apperr.Conflict || e.Key != "news.changed" {
		t.Errorf("Update under constant races: %v, want conflict news.changed", err)
	}

	// Someone deletes the item meanwhile: not found.
	st.races, st.change = 1, nil
	_, err = svc.Unpublish(ctx, "atelier")
	if e, ok := apperr.As(err); !ok || e.Code != apperr.NotFound || e.Key != "news.not_found" {
		t.Errorf("Unpublish of an item deleted meanwhile: %v, want not_found", err)
	}
}

func TestCreateSlugs(t *testing.T) {
	ctx := context.Background()
	c, table := ddbtest.Minidyn(t)
	svc := newService(t, newsdb.New(ddbstore.New(c, table)))
	tests := []struct {
		draft news.Draft
		want  string
	}{
		{news.Draft{Lang: "fr", Title: "Résultats de la sélection", Body: "x"}, "resultats-de-la-selection"},
		{news.Draft{Lang: "ar", Title: "نتائج الانتقاء", Body: "x"}, "actualite-aaaaaa"}, // the zero reader's suffix
		{news.Draft{Slug: "choisi", Lang: "fr", Title: "Titre", Body: "x"}, "choisi"},
	}
	for _, tt := range tests {
		v, err := svc.Create(ctx, tt.draft)
		if err != nil {
			t.Fatalf("Create(%q): %v", tt.draft.Title, err)
		}
		if v.Slug != tt.want || v.Status != news.StatusDraft || v.CreatedAt != "2026-11-27T08:00:00Z" {
			t.Errorf("Create(%q) = %+v, want slug %q", tt.draft.Title, v, tt.want)
		}
	}
	_, err := svc.Create(ctx, news.Draft{Lang: "fr", Title: "Résultats de la sélection", Body: "y"})
	if e, ok := apperr.As(err); !ok || e.Code != apperr.Conflict || e.Key != "news.slug_taken" {
		t.Errorf("same title again: %v, want conflict news.slug_taken", err)
	}
	items, next, err := svc.List(ctx, "fr", "", 10, "")
	if err != nil || next != "" || len(items) != 2 {
		t.Fatalf("List(fr) = %d items, %q, %v", len(items), next, err)
	}
	_, _, err = svc.List(ctx, "en", "archived", 10, "")
	if e, ok := apperr.As(err); !ok || e.Code != apperr.Invalid || len(e.Fields) != 2 || e.Fields[0].Field != "lang" || e.Fields[1].Field != "status" {
		t.Errorf("bad filters: %v, want invalid lang and status", err)
	}
	if got, _, err := svc.ListPublished(ctx, i18n.FR, 10, ""); err != nil || len(got) != 0 {
		t.Errorf("nothing published, yet %d items (%v)", len(got), err)
	}
}
