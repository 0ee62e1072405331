// Package ddbstore implements the domain stores on the single DynamoDB table
// (see docs/data.md for the access patterns). It takes a narrow client
// interface, never loads configuration itself, never scans, and maps
// DynamoDB's failures onto the apperr vocabulary: throttling and service
// errors become Unavailable (503, retry later), a failed condition is the
// domain's Conflict or NotFound.
package ddbstore

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"espaceosc/shared/apperr"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Client is the part of the DynamoDB API the store uses.
type Client interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// Index names of the table (template.yaml).
const (
	IndexGSI1    = "GSI1"
	IndexGSI2    = "GSI2"
	IndexByEmail = "ByEmail"
)

// Store is the table. Its methods are spread over one file per entity.
type Store struct {
	db    Client
	table string
	now   func() time.Time
}

// New returns a store on table.
func New(db Client, table string) *Store {
	return &Store{db: db, table: table, now: func() time.Time { return time.Now().UTC() }}
}

// WithClock replaces the clock (tests).
func (s *Store) WithClock(now func() time.Time) *Store {
	c := *s
	c.now = now
	return &c
}

// classify maps an SDK error to the apperr vocabulary, keeping it as cause.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := apperr.As(err); ok {
		return err
	}
	wrapped := fmt.Errorf("dynamodb %s: %w", op, err)
	if unavailable(err) {
		return apperr.Wrap(apperr.Unavailable, "", wrapped)
	}
	return wrapped
}

func unavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
			"InternalServerError", "InternalFailure", "ServiceUnavailable", "TransactionInProgressException":
			return true
		}
		if apiErr.ErrorFault() == smithy.FaultServer {
			return true
		}
	}
	var respErr *smithyhttp.ResponseError
	if errors.As(err, &respErr) && respErr.HTTPStatusCode() >= 500 {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var opErr *net.OpError
	return errors.As(err, &opErr)
}

// conditionFailed reports whether err is a failed condition: a
// ConditionalCheckFailedException, or a transaction cancelled for one.
// It returns, for a transaction, the indexes of the items whose condition failed.
func conditionFailed(err error) (bool, []int) {
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return true, nil
	}
	var tce *types.TransactionCanceledException
	if errors.As(err, &tce) {
		var idx []int
		for i, r := range tce.CancellationReasons {
			if r.Code != nil && *r.Code == "ConditionalCheckFailed" {
				idx = append(idx, i)
			}
		}
		return len(idx) > 0, idx
	}
	return false, nil
}

// transactionConflict reports whether a transaction was cancelled only
// because another one touched the same items (safe to retry).
func transactionConflict(err error) bool {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		var tc *types.TransactionConflictException
		return errors.As(err, &tc)
	}
	for _, r := range tce.CancellationReasons {
		if r.Code != nil && *r.Code == "TransactionConflict" {
			return true
		}
	}
	return false
}

// encodeCursor turns a LastEvaluatedKey (string attributes only, as all our
// keys are) into an opaque page cursor.
func encodeCursor(key map[string]types.AttributeValue) string {
	if len(key) == 0 {
		return ""
	}
	m := make(map[string]string, len(key))
	for k, v := range key {
		if s, ok := v.(*types.AttributeValueMemberS); ok {
			m[k] = s.Value
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
		key[a] = &types.AttributeValueMemberS{Value: v}
	}
	if partitionAttr != "" && m[partitionAttr] != wantPartition {
		return nil, bad()
	}
	return key, nil
}

// joinKey builds a key from parts: joinKey("NEWS", slug) = "NEWS#slug".
func joinKey(parts ...string) string { return strings.Join(parts, "#") }

// queryAll runs in and follows its pages to the end, returning every item.
func (s *Store) queryAll(ctx context.Context, op string, in *dynamodb.QueryInput) ([]map[string]types.AttributeValue, error) {
	var all []map[string]types.AttributeValue
	for {
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, classify(op, err)
		}
		all = append(all, out.Items...)
		if len(out.LastEvaluatedKey) == 0 {
			return all, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// getItem reads one item into it (a pointer to the item's struct): NotFound
// when there is none. what names it in errors ("call <id>").
func (s *Store) getItem(ctx context.Context, in *dynamodb.GetItemInput, what string, it any) error {
	out, err := s.db.GetItem(ctx, in)
	if err != nil {
		return classify("get "+what, err)
	}
	if len(out.Item) == 0 {
		return apperr.Wrap(apperr.NotFound, "", fmt.Errorf("%s: not found", what))
	}
	if err := attributevalue.UnmarshalMap(out.Item, it); err != nil {
		return fmt.Errorf("unmarshal %s: %w", what, err)
	}
	return nil
}

// indexPage returns a page of the partition pk of an index whose key is
// (pkAttr, skAttr): descending sort keys unless forward, at most limit items,
// from cursor (the index's key attributes and the table's).
func (s *Store) indexPage(ctx context.Context, op, index, pkAttr, skAttr, pk string, forward bool, limit int, cursor string) ([]map[string]types.AttributeValue, string, error) {
	attrs := []string{"PK", "SK", pkAttr, skAttr}
	start, err := decodeCursor(cursor, attrs, pkAttr, pk)
	if err != nil {
		return nil, "", err
	}
	return s.queryPage(ctx, op, &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(index),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
		ScanIndexForward:          aws.Bool(forward),
		Limit:                     aws.Int32(int32(limit)),
		ExclusiveStartKey:         start,
	}, attrs, pkAttr, pk)
}

// queryPage runs a query of one partition (pkAttr = pk, on the table or an
// index) and returns its items and the cursor of the next page ("" on the
// last). cursorAttrs are the key attributes a cursor of this listing holds.
//
// DynamoDB's LastEvaluatedKey always lies in the queried partition. minidyn
// (the DynamoDB of tests and of the local cloud) can return one outside it
// when a filter is used, after counting other partitions' entries against
// Limit; such a key is followed here, never handed out or taken for the end,
// so that no item of the partition is skipped.
func (s *Store) queryPage(ctx context.Context, op string, in *dynamodb.QueryInput, cursorAttrs []string, pkAttr, pk string) ([]map[string]types.AttributeValue, string, error) {
	limit := 0
	if in.Limit != nil {
		limit = int(*in.Limit)
	}
	var items []map[string]types.AttributeValue
	for range 1000 {
		out, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, "", classify(op, err)
		}
		items = append(items, out.Items...)
		lek := out.LastEvaluatedKey
		if len(lek) == 0 {
			return items, "", nil
		}
		if k, ok := lek[pkAttr].(*types.AttributeValueMemberS); ok && k.Value == pk {
			return items, encodeCursor(lek), nil
		}
		if limit > 0 && len(items) >= limit {
			// The page is full: the next one starts after its last item.
			last := items[len(items)-1]
			key := make(map[string]types.AttributeValue, len(cursorAttrs))
			for _, a := range cursorAttrs {
				key[a] = last[a]
			}
			return items, encodeCursor(key), nil
		}
		in.ExclusiveStartKey = lek
		if limit > 0 {
			in.Limit = aws.Int32(int32(limit - len(items)))
		}
	}
	return nil, "", fmt.Errorf("dynamodb %s: no end after 1000 pages", op)
}

// decodeAll unmarshals each item into the stored form I and converts it to
// the domain value T; what names the entity in errors.
func decodeAll[I, T any](items []map[string]types.AttributeValue, what string, conv func(I) T) ([]T, error) {
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
