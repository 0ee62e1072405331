// Command evaluator is EvaluatorFunction: members of the independent
// selection committee (group "evaluators") list what is assigned to them,
// open an assigned candidacy with short-lived links to its documents,
// score it against the call's grid or declare a conflict of interest
// (/api/evaluator/candidacies...).
package main

import (
	"context"

	"espaceosc/shared/awsenv"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/zipexport"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func main() {
	env := awsenv.Require("TABLE_NAME", "DOSSIER_BUCKET")
	cfg := awsenv.Load(context.Background())
	log := httpapi.NewLogger(nil)
	store := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = awsenv.S3PathStyle() })
	files := zipexport.New(s3c, s3.NewPresignClient(s3c), env["DOSSIER_BUCKET"])
	svc := calls.NewEvaluations(store.Calls(), store.Evaluations(), files, nil, log)
	lambda.Start(newRouter(svc, log).Serve)
}
