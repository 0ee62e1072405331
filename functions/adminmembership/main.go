// Command adminmembership is AdminMembershipFunction: administrators decide
// the requests to join the space (/api/admin/memberships...), manage the
// working groups and their members, and decide the requests to join them
// (/api/admin/working-groups..., /api/admin/group-requests).
package main

import (
	"context"
	"fmt"
	"os"

	"espaceosc/functions/adminmembership/handler"
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
