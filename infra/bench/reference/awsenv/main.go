// Command awsenv is the second reference of `make bench`
// (BenchmarkFunctions): the first one (infra/bench/reference) with the AWS
// configuration loaded the way the functions load it, shared/awsenv.Load
// (config.EnvConfig, without the credential providers Lambda never uses).
// Set beside the first, it shows how much of a function's size and cold
// start is the configuration and how much is its own code.
package main

import (
	"context"
	"fmt"

	"espaceosc/shared/awsenv"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
)

func main() {
	cfg := awsenv.Load(context.Background())
	db, files, mail := dynamodb.NewFromConfig(cfg), s3.NewFromConfig(cfg), sesv2.NewFromConfig(cfg)
	lambda.Start(func(context.Context) (string, error) {
		return fmt.Sprintf("%T %T %T", db, files, mail), nil
	})
}
