// Command documentcheck is DocumentCheckFunction: S3 calls it for every
// object created under candidacies/ in the dossier bucket; it checks the
// upload (size, PDF magic bytes, SHA-256) and records the document as
// verified or rejected (and deletes a rejected or replaced object).
package main

import (
	"context"

	"espaceosc/functions/documentcheck/handler"
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
	svc := calls.NewService(calls.Config{Store: callsdb.New(table), Uploads: filestore.New(s3c, nil, env["DOSSIER_BUCKET"]), Log: log})
	lambda.Start(handler.New(svc, env["DOSSIER_BUCKET"], log).Handle)
}
