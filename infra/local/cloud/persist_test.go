package cloud

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestRestartKeepsData(t *testing.T) {
	dir := t.TempDir()
	key := map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "P#1"}, "SK": &types.AttributeValueMemberS{Value: "S"}}
	seeded := 0
	start := func(reset bool) *Cloud {
		t.Helper()
		cfg := testConfig(dir)
		cfg.Reset = reset
		cfg.Seed = func(ctx context.Context, baseURL, adminToken string) error {
			seeded++
			return nil
		}
		c, err := Start(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := start(false)
	item := map[string]types.AttributeValue{"PK": key["PK"], "SK": key["SK"], "GSI1PK": &types.AttributeValueMemberS{Value: "G"}, "n": &types.AttributeValueMemberN{Value: "42"}}
	if _, err := ddbClient(c).PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(c.names["Table"]), Item: item}); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	c = start(false)
	out, err := ddbClient(c).GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(c.names["Table"]), Key: key})
	if err != nil {
		t.Fatal(err)
	}
	if out.Item == nil || out.Item["n"].(*types.AttributeValueMemberN).Value != "42" {
		t.Fatalf("after restart: got %v", out.Item)
	}
	q, err := ddbClient(c).Query(context.Background(), &dynamodb.QueryInput{TableName: aws.String(c.names["Table"]), IndexName: aws.String("GSI1"),
		KeyConditionExpression: aws.String("GSI1PK = :g"), ExpressionAttributeValues: map[string]types.AttributeValue{":g": &types.AttributeValueMemberS{Value: "G"}}})
	if err != nil || len(q.Items) != 1 {
		t.Fatalf("GSI after restart: %v %v", q, err)
	}
	_ = c.Close()

	c = start(true)
	out, err = ddbClient(c).GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(c.names["Table"]), Key: key})
	if err != nil {
		t.Fatal(err)
	}
	if out.Item != nil {
		t.Errorf("after reset: item still there")
	}
	_ = c.Close()
	if got, want := seeded, 2; got != want {
		t.Errorf("seed runs: got %d, want %d (new dir, then after reset)", got, want)
	}
}
