// Command admincalls is AdminCallsFunction: administrators create, edit and
// open or close calls for applications (/api/admin/calls...).
package main

import (
	"context"

	"espaceosc/functions/admincalls/handler"
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
