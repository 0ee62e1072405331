// Command calls is CallsFunction: the public list of calls for
// applications (GET /api/calls?status=&lang=), one call (GET /api/calls/{id})
// and its published results (GET /api/calls/{id}/results).
package main

import (
	"context"

	"espaceosc/shared/awsenv"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/httpapi"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

func main() {
	env := awsenv.Require("TABLE_NAME")
	cfg := awsenv.Load(context.Background())
	log := httpapi.NewLogger(nil)
	store := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	svc := calls.NewService(store.Calls(), nil, nil, calls.Config{}, log)
	ev := calls.NewEvaluations(store.Calls(), store.Evaluations(), nil, nil, log)
	lambda.Start(addResults(newRouter(svc, log), ev).Serve)
}
