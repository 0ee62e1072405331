// Command cocreation is CocreationFunction: the co-creation of national
// action plans for everyone (/api/cocreation/...): plans and their
// timeline, proposals during the proposals phase with a private link,
// supports confirmed by email, reasoned responses, commitments, statistics
// and open data.
package main

import (
	"context"

	"espaceosc/functions/cocreation/handler"
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
