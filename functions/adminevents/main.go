// Command adminevents is AdminEventsFunction: administrators create, edit,
// publish and cancel events, list registrations, check people in and export
// registrations as CSV (/api/admin/events...).
package main

import (
	"context"

	"espaceosc/functions/adminevents/handler"
	"espaceosc/shared/asyncinvoke"
	"espaceosc/shared/awsenv"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/eventsdb"
	"espaceosc/shared/events"
	"espaceosc/shared/filestore"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/outbox"
	"espaceosc/shared/sesmail"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
)

func main() {
	env := awsenv.Require("TABLE_NAME", "SENDER_EMAIL", "PORTAL_ORIGIN", "NOTICE_VERSION", "NOTIFIER_FUNCTION", "DOSSIER_BUCKET")
	cfg := awsenv.Load(context.Background())
	log := httpapi.NewLogger(nil)
	table := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	mailer := outbox.New(table.Outbox(), sesmail.New(sesv2.NewFromConfig(cfg, sesmail.FailFast), env["SENDER_EMAIL"]), events.Emails, log)
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = awsenv.S3PathStyle() })
	svc := events.NewService(events.Config{
		Store: eventsdb.New(table), Mailer: mailer, Files: filestore.New(s3c, s3.NewPresignClient(s3c), env["DOSSIER_BUCKET"]), Log: log,
		PortalOrigin: env["PORTAL_ORIGIN"], NoticeVersion: env["NOTICE_VERSION"], Organizer: env["SENDER_EMAIL"],
		Jobs: table.Jobs(), Starter: asyncinvoke.New(awslambda.NewFromConfig(cfg), env["NOTIFIER_FUNCTION"]),
	})
	lambda.Start(handler.New(svc, log).Serve)
}
