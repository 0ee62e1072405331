package ddbstore

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"espaceosc/shared/apperr"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Get reads the item key into item (a pointer to its stored struct),
// strongly consistent or not. It returns apperr.NotFound (no message key:
// the service chooses what the user reads) when there is none. what names
// the item in errors ("observation <id>").
func (t *Table) Get(ctx context.Context, what string, key map[string]types.AttributeValue, consistent bool, item any) error {
	out, err := t.DB.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(t.Name), Key: key, ConsistentRead: aws.Bool(consistent),
	})
	if err != nil {
		return Classify("get "+what, err)
	}
	if len(out.Item) == 0 {
		return apperr.Wrap(apperr.NotFound, "", fmt.Errorf("%s: not found", what))
	}
	if err := attributevalue.UnmarshalMap(out.Item, item); err != nil {
		return fmt.Errorf("unmarshal %s: %w", what, err)
	}
	return nil
}

// Query reads one partition of the table or of an index.
type Query struct {
	Index  string // "" for the table, else IndexGSI1, IndexGSI2
	PK     string // the partition
	Prefix string // if set, only sort keys that begin with it
	From   string // if set, only sort keys >= From (ascending) or <= From (descending)
	// Forward is ascending sort-key order; descending otherwise.
	Forward bool
	// Filter, with Names and Values, drops items after they are read (they
	// still cost their read).
	Filter     string
	Names      map[string]string
	Values     map[string]types.AttributeValue
	Consistent bool // table only
}

// keyAttrs returns the partition and sort key attributes of q's index.
func (q Query) keyAttrs() (pk, sk string) {
	switch q.Index {
	case IndexGSI1:
		return "GSI1PK", "GSI1SK"
	case IndexGSI2:
		return "GSI2PK", "GSI2SK"
	}
	return "PK", "SK"
}

// cursorAttrs are the attributes of a page cursor: the table's key and,
// on an index, the index's key.
func (q Query) cursorAttrs() []string {
	pk, sk := q.keyAttrs()
	if pk == "PK" {
		return []string{"PK", "SK"}
	}
	return []string{"PK", "SK", pk, sk}
}

func (q Query) input(table string) *dynamodb.QueryInput {
	pk, sk := q.keyAttrs()
	names := map[string]string{"#pk": pk}
	values := map[string]types.AttributeValue{":pk": S(q.PK)}
	cond := "#pk = :pk"
	switch {
	case q.Prefix != "":
		names["#sk"], values[":prefix"] = sk, S(q.Prefix)
		cond += " AND begins_with(#sk, :prefix)"
	case q.From != "" && q.Forward:
		names["#sk"], values[":from"] = sk, S(q.From)
		cond += " AND #sk >= :from"
	case q.From != "":
		names["#sk"], values[":from"] = sk, S(q.From)
		cond += " AND #sk <= :from"
	}
	for k, v := range q.Names {
		names[k] = v
	}
	for k, v := range q.Values {
		values[k] = v
	}
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		KeyConditionExpression:    aws.String(cond),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: values,
		ScanIndexForward:          aws.Bool(q.Forward),
	}
	if q.Index != "" {
		in.IndexName = aws.String(q.Index)
	} else if q.Consistent {
		in.ConsistentRead = aws.Bool(true)
	}
	if q.Filter != "" {
		in.FilterExpression = aws.String(q.Filter)
	}
	return in
}

// pageRounds bounds the queries of one page when a filter drops items: the
// page then comes back short, with a cursor.
const pageRounds = 10

// Page returns up to limit items of q from cursor and the cursor of the next
// page, "" on the last one (it reads one item more to know). A cursor that
// this query did not hand out is apperr.Invalid (field "cursor").
//
// DynamoDB's LastEvaluatedKey always lies in the queried partition. minidyn
// (the DynamoDB of tests and of the local cloud) can return one outside it
// when a filter is used; such a key is followed here, never handed out, so
// that no item of the partition is skipped.
func (t *Table) Page(ctx context.Context, op string, q Query, limit int, cursor string) ([]map[string]types.AttributeValue, string, error) {
	attrs := q.cursorAttrs()
	pkAttr, _ := q.keyAttrs()
	start, err := decodeCursor(cursor, attrs, pkAttr, q.PK)
	if err != nil {
		return nil, "", err
	}
	in := q.input(t.Name)
	in.ExclusiveStartKey = start
	var items []map[string]types.AttributeValue
	for range pageRounds {
		in.Limit = aws.Int32(int32(limit + 1 - len(items)))
		out, err := t.DB.Query(ctx, in)
		if err != nil {
			return nil, "", Classify(op, err)
		}
		items = append(items, out.Items...)
		if len(items) > limit {
			items = items[:limit]
			return items, cursorAfter(items[limit-1], attrs), nil
		}
		if len(out.LastEvaluatedKey) == 0 {
			return items, "", nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	// A filter dropped most of what was read: a short page, then more.
	if k, ok := in.ExclusiveStartKey[pkAttr].(*types.AttributeValueMemberS); ok && k.Value == q.PK {
		return items, encodeCursor(in.ExclusiveStartKey, attrs), nil
	}
	if len(items) > 0 {
		return items, cursorAfter(items[len(items)-1], attrs), nil
	}
	return nil, "", fmt.Errorf("dynamodb %s: no item in %d rounds and no cursor in the partition", op, pageRounds)
}

// All returns every item of q, following its pages to the end.
func (t *Table) All(ctx context.Context, op string, q Query) ([]map[string]types.AttributeValue, error) {
	in := q.input(t.Name)
	var all []map[string]types.AttributeValue
	for {
		out, err := t.DB.Query(ctx, in)
		if err != nil {
			return nil, Classify(op, err)
		}
		all = append(all, out.Items...)
		if len(out.LastEvaluatedKey) == 0 {
			return all, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// First returns the first item of q (apperr.NotFound when the partition is
// empty).
func (t *Table) First(ctx context.Context, op string, q Query) (map[string]types.AttributeValue, error) {
	items, _, err := t.Page(ctx, op, q, 1, "")
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, apperr.Wrap(apperr.NotFound, "", fmt.Errorf("dynamodb %s: none", op))
	}
	return items[0], nil
}

// DecodeAll unmarshals each item into its stored form I and converts it to
// the domain value T; what names the entity in errors.
func DecodeAll[I, T any](items []map[string]types.AttributeValue, what string, conv func(I) T) ([]T, error) {
	out := make([]T, 0, len(items))
	for _, av := range items {
		var it I
		if err := attributevalue.UnmarshalMap(av, &it); err != nil {
			return nil, fmt.Errorf("unmarshal %s: %w", what, err)
		}
		out = append(out, conv(it))
	}
	return out, nil
}

func cursorAfter(item map[string]types.AttributeValue, attrs []string) string {
	key := make(map[string]types.AttributeValue, len(attrs))
	for _, a := range attrs {
		key[a] = item[a]
	}
	return encodeCursor(key, attrs)
}

// encodeCursor turns a key (string attributes only, as all our keys are)
// into an opaque page cursor.
func encodeCursor(key map[string]types.AttributeValue, attrs []string) string {
	m := make(map[string]string, len(attrs))
	for _, a := range attrs {
		if s, ok := key[a].(*types.AttributeValueMemberS); ok {
			m[a] = s.Value
		}
	}
	b, _ := json.Marshal(m)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reverses encodeCursor, accepting only the key attributes of
// the listing (so a crafted cursor cannot reach other partitions) and
// checking that the partition attribute equals wantPartition.
func decodeCursor(cursor string, allowed []string, partitionAttr, wantPartition string) (map[string]types.AttributeValue, error) {
	if cursor == "" {
		return nil, nil
	}
	bad := func() error {
		var fs apperr.Fields
		fs.Add("cursor", "cursor", nil)
		return fs.Err()
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(b) > 2048 {
		return nil, bad()
	}
	var m map[string]string
	if json.Unmarshal(b, &m) != nil || len(m) != len(allowed) {
		return nil, bad()
	}
	key := make(map[string]types.AttributeValue, len(m))
	for _, a := range allowed {
		v, ok := m[a]
		if !ok || v == "" {
			return nil, bad()
		}
		key[a] = S(v)
	}
	if m[partitionAttr] != wantPartition {
		return nil, bad()
	}
	return key, nil
}
