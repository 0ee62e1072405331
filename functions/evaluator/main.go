// Command evaluator is EvaluatorFunction: members of the independent
// selection committee (group "evaluators") list what is assigned to them,
// open an assigned candidacy with short-lived links to its documents,
// score it against the call's grid or declare a conflict of interest
// (/api/evaluator/candidacies...).
package main

import (
	"context"

	"espaceosc/functions/evaluator/handler"
	"espaceosc/shared/awsenv"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/callsdb"
	"espaceosc/shared/filestore"
	"espaceosc/shared/httpapi"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func main() {
	env := awsenv.Require("TABLE_NAME", "DOSSIER_BUCKET")
	cfg := awsenv.Load(context.Background())
	log := httpapi.NewLogger(nil)
	table := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = awsenv.S3PathStyle() })
	files := filestore.New(s3c, s3.NewPresignClient(s3c), env["DOSSIER_BUCKET"])
	svc := calls.NewService(calls.Config{Store: callsdb.New(table), Files: files, Log: log})
	lambda.Start(handler.New(svc, log).Serve)
}
