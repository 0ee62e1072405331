// Command outboxsweeper is OutboxSweeperFunction: on a schedule, it sends the
// outbox's emails whose first delivery failed.
package main

import (
	"context"

	"espaceosc/shared/awsenv"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/outbox"
	"espaceosc/shared/sesmail"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
)

func main() {
	env := awsenv.Require("TABLE_NAME", "SENDER_EMAIL")
	cfg := awsenv.Load(context.Background())
	log := httpapi.NewLogger(nil)
	store := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	ob := outbox.New(store.Outbox(), sesmail.New(sesv2.NewFromConfig(cfg), env["SENDER_EMAIL"]), log)
	lambda.Start(newHandler(ob, log))
}
