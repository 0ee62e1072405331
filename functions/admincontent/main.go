// AdminContentFunction: administrators manage news and useful links.
package main

import (
	"context"
	"time"

	"espaceosc/functions/admincontent/handler"
	"espaceosc/shared/awsenv"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/links"
	"espaceosc/shared/news"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

func main() {
	env := awsenv.Require("TABLE_NAME")
	cfg := awsenv.Load(context.Background())
	store := ddbstore.New(dynamodb.NewFromConfig(cfg), env["TABLE_NAME"])
	now := func() time.Time { return time.Now().UTC() }
	router := handler.New(httpapi.NewLogger(nil),
		news.NewService(store.News(), now),
		links.NewService(store.Links(), now))
	lambda.Start(router.Serve)
}
