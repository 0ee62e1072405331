// Package linksdb is the links.Store of the table.
//
// Keys: one partition, PK LINKS, SK LINK#<id>; the list is one Query (the
// list is short: one page in practice), ordered by the domain. See
// docs/data.md.
package linksdb

import (
	"context"
	"fmt"

	"espaceosc/shared/apperr"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/i18n"
	"espaceosc/shared/links"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Store is the links.Store of a table.
type Store struct {
	*ddbstore.Table
}

var _ links.Store = Store{}

// New returns the links store of t.
func New(t *ddbstore.Table) Store { return Store{t} }

const pk = "LINKS"

type item struct {
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

func sk(id string) string { return ddbstore.JoinKey("LINK", id) }

func toItem(l links.Link) item {
	return item{
		PK: pk, SK: sk(l.ID), ID: l.ID, URL: l.URL,
		TitleFR: l.Title.FR, TitleAR: l.Title.AR,
		DescriptionFR: l.Description.FR, DescriptionAR: l.Description.AR,
		Order: l.Order, CreatedAt: ddbstore.Time(l.CreatedAt), UpdatedAt: ddbstore.Time(l.UpdatedAt),
	}
}

func (r item) link() links.Link {
	return links.Link{
		ID: r.ID, URL: r.URL,
		Title:       i18n.Text{FR: r.TitleFR, AR: r.TitleAR},
		Description: i18n.Text{FR: r.DescriptionFR, AR: r.DescriptionAR},
		Order:       r.Order, CreatedAt: ddbstore.ParseTime(r.CreatedAt), UpdatedAt: ddbstore.ParseTime(r.UpdatedAt),
	}
}

// CreateLink implements links.Store.
func (s Store) CreateLink(ctx context.Context, l links.Link) error {
	return s.Put(ctx, "link "+l.ID, toItem(l), ddbstore.NotExists)
}

// UpdateLink implements links.Store: one UpdateItem that keeps createdAt and
// returns the item as written (ddbstore.Table.Update returns nothing, and a
// read before the write would double the calls).
func (s Store) UpdateLink(ctx context.Context, l links.Link) (links.Link, error) {
	r := toItem(l)
	out, err := s.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(s.Name),
		Key:       ddbstore.Key(pk, sk(l.ID)),
		UpdateExpression: aws.String("SET #url = :url, titleFr = :tfr, titleAr = :tar, descriptionFr = :dfr, " +
			"descriptionAr = :dar, #order = :order, updatedAt = :now"),
		ConditionExpression:      aws.String(ddbstore.Exists.Expr),
		ExpressionAttributeNames: map[string]string{"#url": "url", "#order": "order"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":url": ddbstore.S(r.URL), ":tfr": ddbstore.S(r.TitleFR), ":tar": ddbstore.S(r.TitleAR),
			":dfr": ddbstore.S(r.DescriptionFR), ":dar": ddbstore.S(r.DescriptionAR),
			":order": ddbstore.N(int64(r.Order)), ":now": ddbstore.S(r.UpdatedAt),
		},
		ReturnValues: types.ReturnValueAllNew,
	})
	if ddbstore.ConditionFailed(err) {
		return links.Link{}, apperr.Wrap(apperr.NotFound, "", fmt.Errorf("update link %s: none: %w", l.ID, err))
	}
	if err != nil {
		return links.Link{}, ddbstore.Classify("update link "+l.ID, err)
	}
	var stored item
	if err := attributevalue.UnmarshalMap(out.Attributes, &stored); err != nil {
		return links.Link{}, fmt.Errorf("unmarshal link %s: %w", l.ID, err)
	}
	return stored.link(), nil
}

// DeleteLink implements links.Store.
func (s Store) DeleteLink(ctx context.Context, id string) error {
	err := s.Delete(ctx, "link "+id, ddbstore.Key(pk, sk(id)), ddbstore.Exists)
	if apperr.Is(err, apperr.Conflict) {
		return apperr.Wrap(apperr.NotFound, "", fmt.Errorf("delete link %s: none: %w", id, err))
	}
	return err
}

// ListLinks implements links.Store: the partition LINKS, every page.
func (s Store) ListLinks(ctx context.Context) ([]links.Link, error) {
	items, err := s.All(ctx, "list links", ddbstore.Query{PK: pk, Prefix: "LINK#", Forward: true})
	if err != nil {
		return nil, err
	}
	return ddbstore.DecodeAll(items, "link", item.link)
}
