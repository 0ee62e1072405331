// Command reference is the yardstick of `make bench` (BenchmarkFunctions):
// the least a function of this project links and does at a cold start. It
// loads the AWS configuration with config.LoadDefaultConfig, builds the
// DynamoDB, S3 and SES v2 clients and starts a trivial handler. Every
// function's binary size and cold start are compared with it (≤ 1.25×).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
)

func main() {
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, "reference:", err)
		os.Exit(1)
	}
	db, files, mail := dynamodb.NewFromConfig(cfg), s3.NewFromConfig(cfg), sesv2.NewFromConfig(cfg)
	lambda.Start(func(context.Context) (string, error) {
		return fmt.Sprintf("%T %T %T", db, files, mail), nil
	})
}
