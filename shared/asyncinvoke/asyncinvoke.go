// Package asyncinvoke starts a Lambda function asynchronously (Invoke with
// InvocationType Event): how a request hands a bulk job to the notifier
// function, and how the notifier hands a long job over to a new invocation
// of itself. It implements bulk.Starter.
package asyncinvoke

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"espaceosc/shared/apperr"
	"espaceosc/shared/bulk"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/smithy-go"
)

// Client is the part of the Lambda API the starter uses.
type Client interface {
	Invoke(ctx context.Context, in *lambda.InvokeInput, opts ...func(*lambda.Options)) (*lambda.InvokeOutput, error)
}

// Starter starts the function named name.
type Starter struct {
	client Client
	name   string
}

var _ bulk.Starter = (*Starter)(nil)

// New returns a starter of the function name (its name or ARN).
func New(client Client, name string) *Starter { return &Starter{client: client, name: name} }

// Payload is what the notifier receives for a job.
type Payload struct {
	JobID string `json:"jobId"`
}

// Start implements bulk.Starter: Lambda queues the invocation and answers
// at once.
func (s *Starter) Start(ctx context.Context, jobID string) error {
	b, _ := json.Marshal(Payload{JobID: jobID})
	_, err := s.client.Invoke(ctx, &lambda.InvokeInput{
		FunctionName: aws.String(s.name), InvocationType: types.InvocationTypeEvent, Payload: b,
	})
	if err == nil {
		return nil
	}
	wrapped := fmt.Errorf("start job %s: %w", jobID, err)
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "TooManyRequestsException", "ServiceException", "EC2ThrottledException":
			return apperr.Wrap(apperr.Unavailable, "", wrapped)
		}
		if apiErr.ErrorFault() == smithy.FaultServer {
			return apperr.Wrap(apperr.Unavailable, "", wrapped)
		}
	}
	return wrapped
}
