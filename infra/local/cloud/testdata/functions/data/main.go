// Command data stores items in DynamoDB and sends mail through SES v2, with the SDK
// configured from the environment only.
package main

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sestypes "github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"os"
)

type app struct {
	ddb *dynamodb.Client
	ses *sesv2.Client
}

func reply(status int, v any) events.APIGatewayV2HTTPResponse {
	b, _ := json.Marshal(v)
	return events.APIGatewayV2HTTPResponse{StatusCode: status, Body: string(b), Headers: map[string]string{"Content-Type": "application/json"}}
}

func (a *app) handle(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	table := os.Getenv("TABLE_NAME")
	switch ev.RouteKey {
	case "PUT /items/{id}":
		_, err := a.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: map[string]types.AttributeValue{
			"PK":   &types.AttributeValueMemberS{Value: "ITEM#" + ev.PathParameters["id"]},
			"SK":   &types.AttributeValueMemberS{Value: "v"},
			"body": &types.AttributeValueMemberS{Value: ev.Body},
		}})
		if err != nil {
			return reply(http.StatusServiceUnavailable, map[string]string{"error": "store"}), nil
		}
		return reply(http.StatusNoContent, nil), nil
	case "GET /items/{id}":
		out, err := a.ddb.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table, Key: map[string]types.AttributeValue{
			"PK": &types.AttributeValueMemberS{Value: "ITEM#" + ev.PathParameters["id"]},
			"SK": &types.AttributeValueMemberS{Value: "v"},
		}})
		if err != nil {
			return reply(http.StatusServiceUnavailable, map[string]string{"error": "store"}), nil
		}
		if out.Item == nil {
			return reply(http.StatusNotFound, map[string]string{"error": "not_found"}), nil
		}
		return reply(http.StatusOK, map[string]string{"body": out.Item["body"].(*types.AttributeValueMemberS).Value}), nil
	case "POST /mail":
		out, err := a.ses.SendEmail(ctx, &sesv2.SendEmailInput{
			FromEmailAddress: aws.String(os.Getenv("SENDER_EMAIL")),
			Destination:      &sestypes.Destination{ToAddresses: []string{ev.Body}},
			Content: &sestypes.EmailContent{Simple: &sestypes.Message{
				Subject: &sestypes.Content{Data: aws.String("Hello")},
				Body:    &sestypes.Body{Text: &sestypes.Content{Data: aws.String("plain text")}},
			}},
		})
		if err != nil {
			return reply(http.StatusServiceUnavailable, map[string]string{"error": "mail"}), nil
		}
		return reply(http.StatusOK, map[string]string{"messageId": aws.ToString(out.MessageId)}), nil
	}
	return reply(http.StatusNotFound, nil), nil
}

func main() {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		panic(err)
	}
	a := &app{ddb: dynamodb.NewFromConfig(cfg), ses: sesv2.NewFromConfig(cfg)}
	lambda.Start(a.handle)
}
