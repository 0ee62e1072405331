// Command calls is CallsFunction: the public list of calls for
// applications (GET /api/calls?status=&lang=), one call (GET /api/calls/{id})
// and its published results (GET /api/calls/{id}/results).
package main

import (
	"context"

	"espaceosc/functions/calls/handler"
	"espaceosc/shared/awsenv"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/callsdb"
	"espaceosc/shared/httpapi"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

func main() {
	env := awsenv.Require("TABLE_NAME")
	cfg := awsenv.Load(context.Background())
	log := httpapi.NewLogger(nil)
	table := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	svc := calls.NewService(calls.Config{Store: callsdb.New(table), Log: log})
	lambda.Start(handler.New(svc, log).Serve)
}
