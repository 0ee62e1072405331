// Command outboxsweeper is OutboxSweeperFunction: on a schedule, it sends the
// outbox's emails whose first delivery failed.
package main

import (
	"context"

	"espaceosc/functions/outboxsweeper/handler"
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
	table := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	ob := outbox.New(table.Outbox(), sesmail.New(sesv2.NewFromConfig(cfg), env["SENDER_EMAIL"]), handler.Templates, log)
	lambda.Start(handler.New(ob, log))
}
