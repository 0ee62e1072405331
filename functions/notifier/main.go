// Command notifier is NotifierFunction: it runs the bulk jobs that tell many
// people of one fact (an event cancelled, its reminders), started
// asynchronously by the function that recorded the fact, and every five
// minutes resumes any job left behind.
package main

import (
	"context"

	"espaceosc/functions/notifier/handler"
	"espaceosc/shared/asyncinvoke"
	"espaceosc/shared/awsenv"
	"espaceosc/shared/bulk"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/eventsdb"
	"espaceosc/shared/events"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/outbox"
	"espaceosc/shared/sesmail"

	awslambda "github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
)

func main() {
	env := awsenv.Require("TABLE_NAME", "SENDER_EMAIL", "PORTAL_ORIGIN", "NOTICE_VERSION", "AWS_LAMBDA_FUNCTION_NAME")
	cfg := awsenv.Load(context.Background())
	log := httpapi.NewLogger(nil)
	table := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	ses := sesv2.NewFromConfig(cfg, sesmail.FailFast)
	mailer := outbox.New(table.Outbox(), sesmail.New(ses, env["SENDER_EMAIL"]), handler.Templates, log)
	self := asyncinvoke.New(lambda.NewFromConfig(cfg), env["AWS_LAMBDA_FUNCTION_NAME"])
	eventsSvc := events.NewService(events.Config{
		Store: eventsdb.New(table), Mailer: mailer, Log: log,
		PortalOrigin: env["PORTAL_ORIGIN"], NoticeVersion: env["NOTICE_VERSION"], Organizer: env["SENDER_EMAIL"],
	})
	runner := &bulk.Runner{
		Store: table.Jobs(), Sources: handler.Sources(eventsSvc.Sources()), Mailer: mailer,
		Pace: sesmail.NewAccount(ses), Starter: self, Log: log,
	}
	awslambda.Start(handler.New(runner, log))
}
