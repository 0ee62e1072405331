// Command eventreminders is EventRemindersFunction: every 15 minutes it
// starts, for each event whose reminder time has come, the notifier's job
// that reminds each confirmed registrant once (even if it runs twice).
package main

import (
	"context"

	"espaceosc/functions/eventreminders/handler"
	"espaceosc/shared/asyncinvoke"
	"espaceosc/shared/awsenv"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/eventsdb"
	"espaceosc/shared/events"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/outbox"
	"espaceosc/shared/sesmail"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
)

func main() {
	env := awsenv.Require("TABLE_NAME", "SENDER_EMAIL", "PORTAL_ORIGIN", "NOTICE_VERSION", "NOTIFIER_FUNCTION")
	cfg := awsenv.Load(context.Background())
	log := httpapi.NewLogger(nil)
	table := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	mailer := outbox.New(table.Outbox(), sesmail.New(sesv2.NewFromConfig(cfg, sesmail.FailFast), env["SENDER_EMAIL"]), events.Emails, log)
	svc := events.NewService(events.Config{
		Store: eventsdb.New(table), Mailer: mailer, Log: log,
		PortalOrigin: env["PORTAL_ORIGIN"], NoticeVersion: env["NOTICE_VERSION"],
		Jobs: table.Jobs(), Starter: asyncinvoke.New(awslambda.NewFromConfig(cfg), env["NOTIFIER_FUNCTION"]),
	})
	lambda.Start(handler.New(svc, log))
}
