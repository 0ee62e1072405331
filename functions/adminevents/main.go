// Command adminevents is AdminEventsFunction: administrators create, edit,
// publish and cancel events, list registrations, check people in and export
// registrations as CSV (/api/admin/events...).
package main

import (
	"context"
	"espaceosc/functions/adminevents/handler"

	"espaceosc/shared/awsenv"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/events"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/outbox"
	"espaceosc/shared/s3export"
	"espaceosc/shared/sesmail"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
)

func main() {
	env := awsenv.Require("TABLE_NAME", "SENDER_EMAIL", "PORTAL_ORIGIN", "NOTICE_VERSION", "EXPORT_BUCKET")
	cfg := awsenv.Load(context.Background())
	log := httpapi.NewLogger(nil)
	store := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	ob := outbox.New(store.Outbox(), sesmail.New(sesv2.NewFromConfig(cfg, sesmail.FailFast), env["SENDER_EMAIL"]), nil, log)
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = awsenv.S3PathStyle() })
	svc := events.NewService(store.Events(), ob, s3export.New(s3c, env["EXPORT_BUCKET"]), env["PORTAL_ORIGIN"], env["NOTICE_VERSION"], log)
	lambda.Start(handler.New(svc, log).Serve)
}
