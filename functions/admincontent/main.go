// Command admincontent is AdminContentFunction: administrators write, publish
// and delete news (/api/admin/news...) and manage the useful links
// (/api/admin/links...).
package main

import (
	"context"

	"espaceosc/functions/admincontent/handler"
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
	env := awsenv.Require("TABLE_NAME")
	cfg := awsenv.Load(context.Background())
	log := httpapi.NewLogger(nil)
	table := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	newsSvc := news.NewService(news.Config{Store: newsdb.New(table), Log: log})
	linksSvc := links.NewService(links.Config{Store: linksdb.New(table), Log: log})
	lambda.Start(handler.New(newsSvc, linksSvc, log).Serve)
}
