package ddbstore

import (
	"context"
	"fmt"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/links"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Useful links: one partition, PK LINKS, SK LINK#<id>; a list is one Query
// (the list is short: one page in practice).

// Links is the links.Store of the table.
type Links struct{ s *Store }

var _ links.Store = (*Links)(nil)

// Links returns the links store of the table.
func (s *Store) Links() *Links { return &Links{s: s} }

const (
	linksPK    = "LINKS"
	linksStamp = "2006-01-02T15:04:05.000Z"
)

type linkRecord struct {
	PK            string `dynamodbav:"PK"`
	SK            string `dynamodbav:"SK"`
	ID            string `dynamodbav:"id"`
	URL           string `dynamodbav:"url"`
	TitleFR       string `dynamodbav:"titleFr"`
	TitleAR       string `dynamodbav:"titleAr,omitempty"`
	DescriptionFR string `dynamodbav:"descriptionFr,omitempty"`
	DescriptionAR string `dynamodbav:"descriptionAr,omitempty"`
	Order         int    `dynamodbav:"order"`
	CreatedAt     string `dynamodbav:"createdAt"`
	UpdatedAt     string `dynamodbav:"updatedAt"`
}

func linkSK(id string) string { return joinKey("LINK", id) }

func linkTime(t time.Time) string { return t.UTC().Format(linksStamp) }

func linkParseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func linkKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: linksPK},
		"SK": &types.AttributeValueMemberS{Value: linkSK(id)},
	}
}

func (r linkRecord) link() links.Link {
	return links.Link{
		ID: r.ID, URL: r.URL,
		Title:       links.Text{FR: r.TitleFR, AR: r.TitleAR},
		Description: links.Text{FR: r.DescriptionFR, AR: r.DescriptionAR},
		Order:       r.Order, CreatedAt: linkParseTime(r.CreatedAt), UpdatedAt: linkParseTime(r.UpdatedAt),
	}
}

func linkDecode(av map[string]types.AttributeValue) (links.Link, error) {
	var r linkRecord
	if err := attributevalue.UnmarshalMap(av, &r); err != nil {
		return links.Link{}, fmt.Errorf("decode link: %w", err)
	}
	return r.link(), nil
}

// Create implements links.Store.
func (l *Links) Create(ctx context.Context, link links.Link) error {
	av, err := attributevalue.MarshalMap(linkRecord{
		PK: linksPK, SK: linkSK(link.ID), ID: link.ID, URL: link.URL,
		TitleFR: link.Title.FR, TitleAR: link.Title.AR,
		DescriptionFR: link.Description.FR, DescriptionAR: link.Description.AR,
		Order: link.Order, CreatedAt: linkTime(link.CreatedAt), UpdatedAt: linkTime(link.UpdatedAt),
	})
	if err != nil {
		return fmt.Errorf("encode link: %w", err)
	}
	_, err = l.s.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           aws.String(l.s.Name),
		Item:                av,
		ConditionExpression: aws.String("attribute_not_exists(PK)"),
	})
	if failed, _ := conditionFailed(err); failed {
		return apperr.Wrap(apperr.Conflict, "links.id_taken", err)
	}
	return classify("PutItem link", err)
}

// Update implements links.Store: one UpdateItem that keeps createdAt.
func (l *Links) Update(ctx context.Context, link links.Link) (links.Link, error) {
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	out, err := l.s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(l.s.Name),
		Key:       linkKey(link.ID),
		UpdateExpression: aws.String("SET #url = :url, titleFr = :tfr, titleAr = :tar, descriptionFr = :dfr, " +
			"descriptionAr = :dar, #order = :order, updatedAt = :now"),
		ConditionExpression:      aws.String("attribute_exists(PK)"),
		ExpressionAttributeNames: map[string]string{"#url": "url", "#order": "order"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":url": s(link.URL), ":tfr": s(link.Title.FR), ":tar": s(link.Title.AR),
			":dfr": s(link.Description.FR), ":dar": s(link.Description.AR),
			":order": &types.AttributeValueMemberN{Value: fmt.Sprint(link.Order)},
			":now":   s(linkTime(link.UpdatedAt)),
		},
		ReturnValues: types.ReturnValueAllNew,
	})
	if failed, _ := conditionFailed(err); failed {
		return links.Link{}, apperr.Wrap(apperr.NotFound, "links.not_found", err)
	}
	if err != nil {
		return links.Link{}, classify("UpdateItem link", err)
	}
	return linkDecode(out.Attributes)
}

// Delete implements links.Store.
func (l *Links) Delete(ctx context.Context, id string) error {
	_, err := l.s.DB.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:           aws.String(l.s.Name),
		Key:                 linkKey(id),
		ConditionExpression: aws.String("attribute_exists(PK)"),
	})
	if failed, _ := conditionFailed(err); failed {
		return apperr.Wrap(apperr.NotFound, "links.not_found", err)
	}
	return classify("DeleteItem link", err)
}

// List implements links.Store: Query PK = LINKS, following pages.
func (l *Links) List(ctx context.Context) ([]links.Link, error) {
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(l.s.Name),
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: linksPK}},
	}
	items, err := l.s.queryAll(ctx, "Query links", in)
	if err != nil {
		return nil, err
	}
	var out []links.Link
	for _, av := range items {
		link, err := linkDecode(av)
		if err != nil {
			return nil, err
		}
		out = append(out, link)
	}
	return out, nil
}
