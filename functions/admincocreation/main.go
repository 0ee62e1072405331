// Command admincocreation is AdminCocreationFunction: administrators set up
// national action plans (phases, themes), moderate proposals, give them
// their reasoned response (emailed to the proposer), and write the plan's
// commitments with the proposals behind them (/api/admin/cocreation/...).
package main

import (
	"context"

	"espaceosc/functions/admincocreation/handler"
	"espaceosc/shared/awsenv"
	"espaceosc/shared/cocreation"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/cocreationdb"
	"espaceosc/shared/httpapi"
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
	table := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	mailer := outbox.New(table.Outbox(), sesmail.New(sesv2.NewFromConfig(cfg, sesmail.FailFast), env["SENDER_EMAIL"]), cocreation.Emails, log)
	svc := cocreation.NewService(cocreation.Config{
		Store: cocreationdb.New(table), Mailer: mailer, Log: log,
		PortalOrigin: env["PORTAL_ORIGIN"], NoticeVersion: env["NOTICE_VERSION"],
	})
	lambda.Start(handler.New(svc, log).Serve)
}
