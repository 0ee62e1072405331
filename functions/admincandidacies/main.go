// Command admincandidacies is AdminCandidaciesFunction: administrators list
// a call's candidacies, read one with every evaluator's scores, assign
// members of the evaluators group (read from the Cognito user pool), rank,
// decide, export (CSV, dossier ZIP) and publish the results
// (/api/admin/candidacies..., /api/admin/calls/{id}/..., /api/admin/evaluators).
package main

import (
	"context"

	"espaceosc/functions/admincandidacies/handler"
	"espaceosc/shared/awsenv"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/callsdb"
	"espaceosc/shared/filestore"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/outbox"
	"espaceosc/shared/sesmail"
	"espaceosc/shared/userdir"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
)

func main() {
	env := awsenv.Require("TABLE_NAME", "SENDER_EMAIL", "DOSSIER_BUCKET", "USER_POOL_ID")
	cfg := awsenv.Load(context.Background())
	log := httpapi.NewLogger(nil)
	table := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = awsenv.S3PathStyle() })
	mailer := outbox.New(table.Outbox(), sesmail.New(sesv2.NewFromConfig(cfg, sesmail.FailFast), env["SENDER_EMAIL"]), calls.Emails, log)
	files := filestore.New(s3c, s3.NewPresignClient(s3c), env["DOSSIER_BUCKET"])
	directory := userdir.New(cognitoidentityprovider.NewFromConfig(cfg), env["USER_POOL_ID"])
	svc := calls.NewService(calls.Config{Store: callsdb.New(table), Mailer: mailer, Files: files, Directory: directory, Log: log})
	lambda.Start(handler.New(svc, log).Serve)
}
