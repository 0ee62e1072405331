// Command events is EventsFunction: anyone lists events, registers without an
// account (POST /api/events/{id}/registrations) and manages their
// registration with their private link (GET/DELETE /api/registrations/{id}).
package main

import (
	"context"
	"os"

	"espaceosc/functions/events/handler"
	"espaceosc/shared/awsenv"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/eventsdb"
	"espaceosc/shared/events"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/outbox"
	"espaceosc/shared/sesmail"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
)

func main() {
	env := awsenv.Require("TABLE_NAME", "SENDER_EMAIL", "PORTAL_ORIGIN", "NOTICE_VERSION")
	cfg := awsenv.Load(context.Background())
	log := httpapi.NewLogger(nil)
	table := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	mailer := outbox.New(table.Outbox(), sesmail.New(sesv2.NewFromConfig(cfg, sesmail.FailFast), env["SENDER_EMAIL"]), events.Emails, log)
	svc := events.NewService(events.Config{
		Store: eventsdb.New(table), Mailer: mailer, Log: log,
		PortalOrigin: env["PORTAL_ORIGIN"], NoticeVersion: env["NOTICE_VERSION"], Organizer: env["SENDER_EMAIL"],
		// EVENTS_REGISTER_RETRY (unset in the template) selects the former
		// retry policy, "linear", for the surge benchmark's comparison.
		RetryPolicy: events.RetryPolicy(os.Getenv("EVENTS_REGISTER_RETRY")),
	})
	lambda.Start(handler.New(svc, log).Serve)
}
