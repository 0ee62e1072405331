// Command upload records every S3 event it receives in DynamoDB.
package main

import (
	"context"
	"os"
	"strconv"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func main() {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		panic(err)
	}
	ddb := dynamodb.NewFromConfig(cfg)
	table := os.Getenv("TABLE_NAME")
	lambda.Start(func(ctx context.Context, ev events.S3Event) error {
		for _, r := range ev.Records {
			_, err := ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: map[string]types.AttributeValue{
				"PK":     &types.AttributeValueMemberS{Value: "UPLOAD#" + r.S3.Object.URLDecodedKey},
				"SK":     &types.AttributeValueMemberS{Value: r.EventName},
				"bucket": &types.AttributeValueMemberS{Value: r.S3.Bucket.Name},
				"size":   &types.AttributeValueMemberN{Value: strconv.FormatInt(r.S3.Object.Size, 10)},
			}})
			if err != nil {
				return err
			}
		}
		return nil
	})
}
