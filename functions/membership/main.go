// Command membership is MembershipFunction: organisations ask to join the
// civil-society space (POST /api/memberships), confirm, update, ask to join
// a working group or leave through their private link
// (/api/memberships/{id}...), and anyone reads the directory of member
// organisations and the working groups (/api/directory,
// /api/working-groups...).
package main

import (
	"context"
	"fmt"
	"os"

	"espaceosc/functions/membership/handler"
	"espaceosc/shared/awsenv"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/membershipdb"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/membership"
	"espaceosc/shared/outbox"
	"espaceosc/shared/sesmail"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
)

func main() {
	env := awsenv.Require("TABLE_NAME", "SENDER_EMAIL", "PORTAL_ORIGIN", "NOTICE_VERSION")
	themes, err := membership.ParseThemes(os.Getenv(membership.ThemesEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cfg := awsenv.Load(context.Background())
	log := httpapi.NewLogger(nil)
	table := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	mailer := outbox.New(table.Outbox(), sesmail.New(sesv2.NewFromConfig(cfg, sesmail.FailFast), env["SENDER_EMAIL"]), membership.Emails, log)
	svc := membership.NewService(membership.Config{
		Store: membershipdb.New(table), Mailer: mailer, Log: log, Themes: themes,
		PortalOrigin: env["PORTAL_ORIGIN"], NoticeVersion: env["NOTICE_VERSION"],
	})
	lambda.Start(handler.New(svc, log).Serve)
}
