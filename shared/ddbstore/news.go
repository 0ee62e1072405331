package ddbstore

import (
	"context"
	"fmt"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/news"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// News items: PK NEWS#<slug>, SK NEWS; GSI1 NEWSPUB#<lang> / <publishedAt>#<slug>
// for published items only (a sparse index: unpublishing removes the keys);
// GSI2 NEWSALL / <createdAt>#<slug> for the administrators' listing.

// News is the news.Store of the table.
type News struct{ s *Store }

var _ news.Store = (*News)(nil)

// News returns the news store of the table.
func (s *Store) News() *News { return &News{s: s} }

const (
	newsSK    = "NEWS"
	newsAll   = "NEWSALL"
	newsStamp = "2006-01-02T15:04:05.000Z" // fixed width, so sort keys sort by time
	// newsMaxRounds bounds the queries of one filtered admin page.
	newsMaxRounds = 10
)

type newsRecord struct {
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
}

func newsPK(slug string) string { return joinKey("NEWS", slug) }

func newsPubPK(lang i18n.Lang) string { return joinKey("NEWSPUB", string(lang)) }

func newsTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(newsStamp)
}

func newsParseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func newsToRecord(it news.Item) newsRecord {
	r := newsRecord{
		PK: newsPK(it.Slug), SK: newsSK,
		GSI2PK: newsAll, GSI2SK: joinKey(newsTime(it.CreatedAt), it.Slug),
		Slug: it.Slug, Lang: string(it.Lang), Title: it.Title, Summary: it.Summary, Body: it.Body,
		Status: string(it.Status), PublishedAt: newsTime(it.PublishedAt),
		CreatedAt: newsTime(it.CreatedAt), UpdatedAt: newsTime(it.UpdatedAt),
	}
	if it.Published() {
		r.GSI1PK = newsPubPK(it.Lang)
		r.GSI1SK = joinKey(newsTime(it.PublishedAt), it.Slug)
	}
	return r
}

func (r newsRecord) item() news.Item {
	return news.Item{
		Slug: r.Slug, Lang: i18n.Lang(r.Lang), Title: r.Title, Summary: r.Summary, Body: r.Body,
		Status: news.Status(r.Status), PublishedAt: newsParseTime(r.PublishedAt),
		CreatedAt: newsParseTime(r.CreatedAt), UpdatedAt: newsParseTime(r.UpdatedAt),
	}
}

func newsKey(slug string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: newsPK(slug)},
		"SK": &types.AttributeValueMemberS{Value: newsSK},
	}
}

func newsNotFound() error { return apperr.New(apperr.NotFound, "news.not_found") }

func newsDecode(av map[string]types.AttributeValue) (news.Item, error) {
	var r newsRecord
	if err := attributevalue.UnmarshalMap(av, &r); err != nil {
		return news.Item{}, fmt.Errorf("decode news item: %w", err)
	}
	return r.item(), nil
}

// Create implements news.Store.
func (n *News) Create(ctx context.Context, it news.Item) error {
	av, err := attributevalue.MarshalMap(newsToRecord(it))
	if err != nil {
		return fmt.Errorf("encode news item: %w", err)
	}
	_, err = n.s.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           aws.String(n.s.Name),
		Item:                av,
		ConditionExpression: aws.String("attribute_not_exists(PK)"),
	})
	if failed, _ := conditionFailed(err); failed {
		return apperr.Wrap(apperr.Conflict, "news.slug_taken", err)
	}
	return classify("PutItem news", err)
}

// Get implements news.Store.
func (n *News) Get(ctx context.Context, slug string) (news.Item, error) {
	out, err := n.s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(n.s.Name), Key: newsKey(slug)})
	if err != nil {
		return news.Item{}, classify("GetItem news", err)
	}
	if len(out.Item) == 0 {
		return news.Item{}, newsNotFound()
	}
	return newsDecode(out.Item)
}

// Update implements news.Store.
func (n *News) Update(ctx context.Context, it news.Item, prevUpdatedAt time.Time) error {
	av, err := attributevalue.MarshalMap(newsToRecord(it))
	if err != nil {
		return fmt.Errorf("encode news item: %w", err)
	}
	_, err = n.s.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                 aws.String(n.s.Name),
		Item:                      av,
		ConditionExpression:       aws.String("attribute_exists(PK) AND updatedAt = :prev"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":prev": &types.AttributeValueMemberS{Value: newsTime(prevUpdatedAt)}},
	})
	if failed, _ := conditionFailed(err); failed {
		return n.newsWhyFailed(ctx, it.Slug, err)
	}
	return classify("PutItem news", err)
}

// newsWhyFailed tells a missing item (NotFound) from a concurrent change (Conflict).
func (n *News) newsWhyFailed(ctx context.Context, slug string, cause error) error {
	if _, err := n.Get(ctx, slug); err != nil {
		return err
	}
	return apperr.Wrap(apperr.Conflict, "news.changed", cause)
}

// Publish implements news.Store. It reads the item and writes it back whole
// under an optimistic lock rather than with an UpdateItem that adds the
// index keys: minidyn (the local cloud's DynamoDB) does not maintain a
// sparse index correctly when UpdateItem adds or removes its keys.
func (n *News) Publish(ctx context.Context, slug string, lang i18n.Lang, at, now time.Time) (news.Item, error) {
	it, err := n.Get(ctx, slug)
	if err != nil {
		return news.Item{}, err
	}
	if it.Lang != lang {
		return news.Item{}, apperr.New(apperr.Conflict, "news.changed")
	}
	prev := it.UpdatedAt
	it.Status, it.PublishedAt, it.UpdatedAt = news.StatusPublished, at, now
	if err := n.Update(ctx, it, prev); err != nil {
		return news.Item{}, err
	}
	return it, nil
}

// Unpublish implements news.Store: the item is written back without its
// GSI1 keys, so it leaves the public listing (see Publish).
func (n *News) Unpublish(ctx context.Context, slug string, now time.Time) (news.Item, error) {
	it, err := n.Get(ctx, slug)
	if err != nil {
		return news.Item{}, err
	}
	prev := it.UpdatedAt
	it.Status, it.UpdatedAt = news.StatusDraft, now
	if err := n.Update(ctx, it, prev); err != nil {
		return news.Item{}, err
	}
	return it, nil
}

// Delete implements news.Store.
func (n *News) Delete(ctx context.Context, slug string) error {
	_, err := n.s.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:           aws.String(n.s.Name),
		Key:                 newsKey(slug),
		ConditionExpression: aws.String("attribute_exists(PK)"),
	})
	if failed, _ := conditionFailed(err); failed {
		return apperr.Wrap(apperr.NotFound, "news.not_found", err)
	}
	return classify("DeleteItem news", err)
}

// ListPublished implements news.Store: one Query on GSI1.
func (n *News) ListPublished(ctx context.Context, lang i18n.Lang, limit int, cursor string) (news.Page, error) {
	pk := newsPubPK(lang)
	start, err := decodeCursor(cursor, []string{"PK", "SK", "GSI1PK", "GSI1SK"}, "GSI1PK", pk)
	if err != nil {
		return news.Page{}, err
	}
	return n.newsQuery(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(n.s.Name),
		IndexName:                 aws.String(IndexGSI1),
		KeyConditionExpression:    aws.String("GSI1PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
		ScanIndexForward:          aws.Bool(false),
		ExclusiveStartKey:         start,
	}, limit, "GSI1PK", "GSI1SK")
}

// ListAll implements news.Store: Query on GSI2, filtered by language and status.
func (n *News) ListAll(ctx context.Context, f news.Filter, limit int, cursor string) (news.Page, error) {
	start, err := decodeCursor(cursor, []string{"PK", "SK", "GSI2PK", "GSI2SK"}, "GSI2PK", newsAll)
	if err != nil {
		return news.Page{}, err
	}
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(n.s.Name),
		IndexName:                 aws.String(IndexGSI2),
		KeyConditionExpression:    aws.String("GSI2PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: newsAll}},
		ScanIndexForward:          aws.Bool(false),
		ExclusiveStartKey:         start,
	}
	var conds []string
	if f.Lang != "" {
		conds = append(conds, "#lang = :lang")
		in.ExpressionAttributeValues[":lang"] = &types.AttributeValueMemberS{Value: string(f.Lang)}
	}
	if f.Status != "" {
		conds = append(conds, "#status = :status")
		in.ExpressionAttributeValues[":status"] = &types.AttributeValueMemberS{Value: string(f.Status)}
	}
	if len(conds) > 0 {
		in.ExpressionAttributeNames = map[string]string{}
		expr := ""
		for i, c := range conds {
			if i > 0 {
				expr += " AND "
			}
			expr += c
		}
		if f.Lang != "" {
			in.ExpressionAttributeNames["#lang"] = "lang"
		}
		if f.Status != "" {
			in.ExpressionAttributeNames["#status"] = "status"
		}
		in.FilterExpression = aws.String(expr)
	}
	return n.newsQuery(ctx, in, limit, "GSI2PK", "GSI2SK")
}

// newsQuery reads up to limit items, asking for one more to know whether a
// next page exists (so the last page carries no cursor). With a filter a
// query may return fewer items than asked: it goes on, at most
// newsMaxRounds times, and then returns a short page with a cursor.
func (n *News) newsQuery(ctx context.Context, in *dynamodb.QueryInput, limit int, pkAttr, skAttr string) (news.Page, error) {
	var raw []map[string]types.AttributeValue
	var last map[string]types.AttributeValue
	for round := 0; round < newsMaxRounds; round++ {
		in.Limit = aws.Int32(int32(limit + 1 - len(raw)))
		out, err := n.s.DB.Query(ctx, in)
		if err != nil {
			return news.Page{}, classify("Query news", err)
		}
		raw = append(raw, out.Items...)
		last = out.LastEvaluatedKey
		if len(raw) > limit || len(last) == 0 {
			break
		}
		in.ExclusiveStartKey = last
	}
	var p news.Page
	if len(raw) > limit {
		raw = raw[:limit]
		k := raw[limit-1]
		p.NextCursor = encodeCursorLegacy(map[string]types.AttributeValue{
			"PK": k["PK"], "SK": k["SK"], pkAttr: k[pkAttr], skAttr: k[skAttr],
		})
	} else if len(last) > 0 {
		p.NextCursor = encodeCursorLegacy(last)
	}
	p.Items = make([]news.Item, 0, len(raw))
	for _, av := range raw {
		it, err := newsDecode(av)
		if err != nil {
			return news.Page{}, err
		}
		p.Items = append(p.Items, it)
	}
	return p, nil
}
