package ddbstore

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// pagedClient answers Query with the pages it holds, in order, recording the
// ExclusiveStartKey and Limit of each call.
type pagedClient struct {
	Client
	pages  []*dynamodb.QueryOutput
	starts []map[string]types.AttributeValue
	limits []int32
}

func (c *pagedClient) Query(_ context.Context, in *dynamodb.QueryInput, _ ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.starts = append(c.starts, in.ExclusiveStartKey)
	c.limits = append(c.limits, aws.ToInt32(in.Limit))
	p := c.pages[0]
	c.pages = c.pages[1:]
	return p, nil
}

func key(pk, sk, gpk, gsk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: pk}, "SK": &types.AttributeValueMemberS{Value: sk},
		"GSI1PK": &types.AttributeValueMemberS{Value: gpk}, "GSI1SK": &types.AttributeValueMemberS{Value: gsk},
	}
}

func TestPageFollowsKeysOutsideThePartition(t *testing.T) {
	attrs := []string{"PK", "SK", "GSI1PK", "GSI1SK"}
	a, b, c := key("R#a", "R", "P", "1"), key("R#b", "R", "P", "2"), key("R#c", "R", "P", "3")
	stray := map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "OUTBOX#x"}, "SK": &types.AttributeValueMemberS{Value: "OUTBOX"}}

	tests := []struct {
		name       string
		limit      int32
		pages      []*dynamodb.QueryOutput
		wantItems  int
		wantCursor map[string]types.AttributeValue // nil: last page
		wantCalls  int
	}{
		{"one item more than the page: cursor after the page", 2, []*dynamodb.QueryOutput{{Items: []map[string]types.AttributeValue{a, b, c}, LastEvaluatedKey: c}}, 2, b, 1},
		{"exactly a page and the end: no cursor", 2, []*dynamodb.QueryOutput{{Items: []map[string]types.AttributeValue{a, b}}}, 2, nil, 1},
		{"no key is the end", 5, []*dynamodb.QueryOutput{{Items: []map[string]types.AttributeValue{a}}}, 1, nil, 1},
		{"stray key before the page is full is followed", 3, []*dynamodb.QueryOutput{
			{Items: []map[string]types.AttributeValue{a}, LastEvaluatedKey: stray},
			{Items: []map[string]types.AttributeValue{b, c}},
		}, 3, nil, 2},
		{"stray key on an empty page is followed", 3, []*dynamodb.QueryOutput{
			{LastEvaluatedKey: stray},
			{Items: []map[string]types.AttributeValue{a}},
		}, 1, nil, 2},
		{"stray key on a full page: cursor from the last item", 2, []*dynamodb.QueryOutput{
			{Items: []map[string]types.AttributeValue{a, b, c}, LastEvaluatedKey: stray},
		}, 2, b, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := &pagedClient{pages: tt.pages}
			s := New(db, "t")
			items, cursor, err := s.Page(context.Background(), "test", Query{Index: IndexGSI1, PK: "P"}, int(tt.limit), "")
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(items), tt.wantItems; got != want {
				t.Errorf("items = %d, want %d", got, want)
			}
			want := ""
			if tt.wantCursor != nil {
				want = encodeCursor(tt.wantCursor, attrs)
			}
			if got := cursor; got != want {
				t.Errorf("cursor = %q, want %q", got, want)
			}
			if got, want := len(db.starts), tt.wantCalls; got != want {
				t.Fatalf("queries = %d, want %d", got, want)
			}
			if tt.wantCalls == 2 {
				if db.starts[1]["PK"].(*types.AttributeValueMemberS).Value != "OUTBOX#x" {
					t.Errorf("second query did not start after the stray key: %v", db.starts[1])
				}
				if got, want := db.limits[1], tt.limit+1-int32(len(tt.pages[0].Items)); got != want {
					t.Errorf("second query limit = %d, want %d", got, want)
				}
			}
		})
	}
}
