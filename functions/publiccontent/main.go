// Command publiccontent is PublicContentFunction: published news by language
// (GET /api/news, /api/news/{slug}), the useful links (GET /api/links) and
// the loi 09-08 notice (GET /api/notice).
package main

import (
	"context"

	"espaceosc/functions/publiccontent/handler"
	"espaceosc/shared/awsenv"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/linksdb"
	"espaceosc/shared/ddbstore/newsdb"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/links"
	"espaceosc/shared/news"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

func main() {
	env := awsenv.Require("TABLE_NAME", "CNDP_NOTICE", "NOTICE_VERSION")
	cfg := awsenv.Load(context.Background())
	log := httpapi.NewLogger(nil)
	table := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	newsSvc := news.NewService(news.Config{Store: newsdb.New(table), Log: log})
	linksSvc := links.NewService(links.Config{Store: linksdb.New(table), Log: log})
	notice := handler.Config{CNDPNumber: env["CNDP_NOTICE"], NoticeVersion: env["NOTICE_VERSION"]}
	lambda.Start(handler.New(newsSvc, linksSvc, notice, log).Serve)
}
