// Command candidacies is CandidaciesFunction: associations apply to a call
// (POST /api/calls/{id}/candidacies) and, with their candidacy's private
// token, read and edit the draft, get presigned uploads for its documents,
// submit it and withdraw it (/api/candidacies/{id}...).
package main

import (
	"context"

	"espaceosc/functions/candidacies/handler"
	"espaceosc/shared/awsenv"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/callsdb"
	"espaceosc/shared/filestore"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/outbox"
	"espaceosc/shared/sesmail"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
)

func main() {
	env := awsenv.Require("TABLE_NAME", "DOSSIER_BUCKET", "SENDER_EMAIL", "PORTAL_ORIGIN", "NOTICE_VERSION")
	cfg := awsenv.Load(context.Background())
	log := httpapi.NewLogger(nil)
	table := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = awsenv.S3PathStyle() })
	mailer := outbox.New(table.Outbox(), sesmail.New(sesv2.NewFromConfig(cfg, sesmail.FailFast), env["SENDER_EMAIL"]), calls.Emails, log)
	svc := calls.NewService(calls.Config{
		Store: callsdb.New(table), Mailer: mailer, Uploads: filestore.New(s3c, s3.NewPresignClient(s3c), env["DOSSIER_BUCKET"]),
		PortalOrigin: env["PORTAL_ORIGIN"], NoticeVersion: env["NOTICE_VERSION"], Log: log,
	})
	lambda.Start(handler.New(svc, log).Serve)
}
