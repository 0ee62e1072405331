// Command admincandidacies is AdminCandidaciesFunction: administrators list
// a call's candidacies, read one with every evaluator's scores, assign
// evaluators, rank, decide, export (CSV, dossier ZIP) and publish the
// results (/api/admin/candidacies..., /api/admin/calls/{id}/...).
package main

import (
	"context"

	"espaceosc/shared/awsenv"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/outbox"
	"espaceosc/shared/sesmail"
	"espaceosc/shared/zipexport"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
)

func main() {
	env := awsenv.Require("TABLE_NAME", "SENDER_EMAIL", "DOSSIER_BUCKET")
	cfg := awsenv.Load(context.Background())
	log := httpapi.NewLogger(nil)
	store := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	ob := outbox.New(store.Outbox(), sesmail.New(sesv2.NewFromConfig(cfg, sesmail.FailFast), env["SENDER_EMAIL"]), nil, log)
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = awsenv.S3PathStyle() })
	files := zipexport.New(s3c, s3.NewPresignClient(s3c), env["DOSSIER_BUCKET"])
	svc := calls.NewEvaluations(store.Calls(), store.Evaluations(), files, ob, log)
	lambda.Start(newRouter(svc, log).Serve)
}
