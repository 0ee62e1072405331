package ddbstore

import (
	"context"
	"errors"
	"fmt"
	"net"

	"espaceosc/shared/apperr"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Classify maps an SDK error of op to the apperr vocabulary, keeping it as
// cause: Unavailable for throttling, server faults and network errors, a
// failed condition as Conflict, anything else uncoded (internal). Coded
// errors pass through.
func Classify(op string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := apperr.As(err); ok {
		return err
	}
	wrapped := fmt.Errorf("dynamodb %s: %w", op, err)
	switch {
	case unavailable(err):
		return apperr.Wrap(apperr.Unavailable, "", wrapped)
	case ConditionFailed(err):
		return apperr.Wrap(apperr.Conflict, "", wrapped)
	}
	return wrapped
}

func unavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
			"InternalServerError", "InternalFailure", "ServiceUnavailable", "TransactionInProgressException":
			return true
		}
		if apiErr.ErrorFault() == smithy.FaultServer {
			return true
		}
	}
	var respErr *smithyhttp.ResponseError
	if errors.As(err, &respErr) && respErr.HTTPStatusCode() >= 500 {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var opErr *net.OpError
	return errors.As(err, &opErr)
}

// ConditionFailed reports whether err is a failed condition of a single-item
// write (ConditionalCheckFailedException). A transaction's failed conditions
// are named by its Tx (TxFailed).
func ConditionFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	return errors.As(err, &ccf)
}
