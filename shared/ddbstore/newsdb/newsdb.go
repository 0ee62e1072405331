// Package newsdb is the news.Store of the table.
//
// Keys: PK NEWS#<slug>, SK NEWS; GSI1 NEWSPUB#<lang> / <publishedAt>#<slug>
// for published items only (a sparse index: taking an item back to draft
// removes its keys); GSI2 NEWSALL / <date>#<slug> for the administrators'
// listing, newest first across languages, where the date is the one the
// console shows: the publication date when there is one (planned or past),
// else the creation. See docs/data.md.
//
// Every write that changes an item puts it whole (never an UpdateItem that
// adds or removes index keys: minidyn, the local cloud's DynamoDB, does not
// maintain a sparse index correctly then).
package newsdb

import (
	"context"
	"fmt"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/i18n"
	"espaceosc/shared/news"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Store is the news.Store of a table.
type Store struct {
	*ddbstore.Table
}

var _ news.Store = Store{}

// New returns the news store of t.
func New(t *ddbstore.Table) Store { return Store{t} }

const (
	sk    = "NEWS"
	allPK = "NEWSALL"
)

type item struct {
	PK          string `dynamodbav:"PK"`
	SK          string `dynamodbav:"SK"`
	GSI1PK      string `dynamodbav:"GSI1PK,omitempty"`
	GSI1SK      string `dynamodbav:"GSI1SK,omitempty"`
	GSI2PK      string `dynamodbav:"GSI2PK"`
	GSI2SK      string `dynamodbav:"GSI2SK"`
	Slug        string `dynamodbav:"slug"`
	Lang        string `dynamodbav:"lang"`
	Title       string `dynamodbav:"title"`
	Summary     string `dynamodbav:"summary,omitempty"`
	Body        string `dynamodbav:"body"`
	Status      string `dynamodbav:"status"`
	PublishedAt string `dynamodbav:"publishedAt,omitempty"`
	CreatedAt   string `dynamodbav:"createdAt"`
	UpdatedAt   string `dynamodbav:"updatedAt"`
	Version     int    `dynamodbav:"version,omitempty"`
}

func pk(slug string) string { return ddbstore.JoinKey("NEWS", slug) }

func publishedPK(lang i18n.Lang) string { return ddbstore.JoinKey("NEWSPUB", string(lang)) }

func toItem(it news.Item) item {
	r := item{
		PK: pk(it.Slug), SK: sk,
		GSI2PK: allPK, GSI2SK: ddbstore.JoinKey(ddbstore.Time(listedAt(it)), it.Slug),
		Slug: it.Slug, Lang: string(it.Lang), Title: it.Title, Summary: it.Summary, Body: it.Body,
		Status: string(it.Status), PublishedAt: ddbstore.Time(it.PublishedAt),
		CreatedAt: ddbstore.Time(it.CreatedAt), UpdatedAt: ddbstore.Time(it.UpdatedAt), Version: it.Version,
	}
	if it.Published() {
		r.GSI1PK = publishedPK(it.Lang)
		r.GSI1SK = ddbstore.JoinKey(ddbstore.Time(it.PublishedAt), it.Slug)
	}
	return r
}

// listedAt is the date an item is listed by in the administrators' list.
func listedAt(it news.Item) time.Time {
	if !it.PublishedAt.IsZero() {
		return it.PublishedAt
	}
	return it.CreatedAt
}

func (r item) news() news.Item {
	return news.Item{
		Slug: r.Slug, Lang: i18n.Lang(r.Lang), Title: r.Title, Summary: r.Summary, Body: r.Body,
		Status: news.Status(r.Status), PublishedAt: ddbstore.ParseTime(r.PublishedAt),
		CreatedAt: ddbstore.ParseTime(r.CreatedAt), UpdatedAt: ddbstore.ParseTime(r.UpdatedAt), Version: r.Version,
	}
}

// versionIs is the optimistic lock of UpdateNews. Items written before news
// had a version have none: the first write gives them one, so a concurrent
// writer that read them without one loses as it would on a version.
func versionIs(prev int) ddbstore.Cond {
	if prev == 0 {
		return ddbstore.Cond{
			Expr:  "attribute_exists(PK) AND attribute_not_exists(#version)",
			Names: map[string]string{"#version": "version"},
		}
	}
	return ddbstore.VersionIs(prev)
}

// CreateNews implements news.Store.
func (s Store) CreateNews(ctx context.Context, it news.Item) error {
	return s.Put(ctx, "news "+it.Slug, toItem(it), ddbstore.NotExists)
}

// GetNews implements news.Store.
func (s Store) GetNews(ctx context.Context, slug string) (news.Item, error) {
	var r item
	if err := s.Get(ctx, "news "+slug, ddbstore.Key(pk(slug), sk), false, &r); err != nil {
		return news.Item{}, err
	}
	return r.news(), nil
}

// UpdateNews implements news.Store: the item put whole on its version, so
// that its index keys follow its status, language and date.
func (s Store) UpdateNews(ctx context.Context, it news.Item, prevVersion int) error {
	return s.Put(ctx, "news "+it.Slug, toItem(it), versionIs(prevVersion))
}

// DeleteNews implements news.Store.
func (s Store) DeleteNews(ctx context.Context, slug string) error {
	err := s.Delete(ctx, "news "+slug, ddbstore.Key(pk(slug), sk), ddbstore.Exists)
	if apperr.Is(err, apperr.Conflict) {
		return apperr.Wrap(apperr.NotFound, "", fmt.Errorf("delete news %s: none: %w", slug, err))
	}
	return err
}

// ListPublishedNews implements news.Store: GSI1 NEWSPUB#<lang>, newest
// first.
func (s Store) ListPublishedNews(ctx context.Context, lang i18n.Lang, limit int, cursor string) ([]news.Item, string, error) {
	q := ddbstore.Query{Index: ddbstore.IndexGSI1, PK: publishedPK(lang)}
	return s.page(ctx, "list published news", q, limit, cursor)
}

// ListNews implements news.Store: GSI2 NEWSALL, newest first (by the date
// listedAt gives) across languages, the language and status filtered after
// the read.
func (s Store) ListNews(ctx context.Context, f news.Filter, limit int, cursor string) ([]news.Item, string, error) {
	q := ddbstore.Query{Index: ddbstore.IndexGSI2, PK: allPK}
	var conds []string
	add := func(attr, value string) {
		if q.Names == nil {
			q.Names, q.Values = map[string]string{}, map[string]types.AttributeValue{}
		}
		q.Names["#"+attr], q.Values[":"+attr] = attr, ddbstore.S(value)
		conds = append(conds, "#"+attr+" = :"+attr)
	}
	if f.Lang != "" {
		add("lang", string(f.Lang))
	}
	if f.Status != "" {
		add("status", string(f.Status))
	}
	for i, c := range conds {
		if i > 0 {
			q.Filter += " AND "
		}
		q.Filter += c
	}
	return s.page(ctx, "list news", q, limit, cursor)
}

func (s Store) page(ctx context.Context, op string, q ddbstore.Query, limit int, cursor string) ([]news.Item, string, error) {
	page, next, err := s.Page(ctx, op, q, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	items, err := ddbstore.DecodeAll(page, "news item", item.news)
	if err != nil {
		return nil, "", err
	}
	return items, next, nil
}
