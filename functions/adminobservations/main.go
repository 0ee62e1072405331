// Command adminobservations is AdminObservationsFunction: administrators list,
// read and answer observations (/api/admin/observations...).
package main

import (
	"context"

	"espaceosc/shared/awsenv"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/observations"
	"espaceosc/shared/outbox"
	"espaceosc/shared/sesmail"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
)

func main() {
	env := awsenv.Require("TABLE_NAME", "SENDER_EMAIL", "PORTAL_ORIGIN", "NOTICE_VERSION")
	cfg := awsenv.Load(context.Background())
	log := httpapi.NewLogger(nil)
	store := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	ob := outbox.New(store.Outbox(), sesmail.New(sesv2.NewFromConfig(cfg, sesmail.FailFast), env["SENDER_EMAIL"]), log)
	svc := observations.NewService(store.Observations(), ob, env["PORTAL_ORIGIN"], env["NOTICE_VERSION"], log)
	lambda.Start(newRouter(svc, log).Serve)
}
