// Package userdir reads the portal's staff directory: the members of the
// Cognito user pool's evaluators group (cognito-idp:ListUsersInGroup), so
// that administrators assign evaluators by name and email rather than by
// their sub. It implements calls.Directory. On the local cloud the same API
// is answered by its own user directory (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER).
package userdir

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
)

// EvaluatorsGroup is the user pool group of the selection committee
// (template.yaml, EvaluatorsGroup).
const EvaluatorsGroup = "evaluators"

// Client is the part of the Cognito user pools API the directory uses.
type Client interface {
	ListUsersInGroup(ctx context.Context, in *cip.ListUsersInGroupInput, opts ...func(*cip.Options)) (*cip.ListUsersInGroupOutput, error)
}

// Directory reads the groups of one user pool.
type Directory struct {
	client Client
	pool   string
}

var _ calls.Directory = Directory{}

// New returns the directory of the user pool poolID.
func New(client Client, poolID string) Directory { return Directory{client: client, pool: poolID} }

// maxPages bounds the pages read (60 users each): a committee is a few
// people; a runaway NextToken must not keep a request going.
const maxPages = 20

// Evaluators implements calls.Directory: every enabled member of the
// evaluators group, by name, with its sub and email.
func (d Directory) Evaluators(ctx context.Context) ([]calls.Evaluator, error) {
	var out []calls.Evaluator
	var next *string
	for range maxPages {
		res, err := d.client.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{
			UserPoolId: aws.String(d.pool), GroupName: aws.String(EvaluatorsGroup), Limit: aws.Int32(60), NextToken: next,
		})
		if err != nil {
			return nil, classify(fmt.Errorf("list the %s group: %w", EvaluatorsGroup, err))
		}
		for _, u := range res.Users {
			if !u.Enabled {
				continue
			}
			if e, ok := evaluator(u); ok {
				out = append(out, e)
			}
		}
		if res.NextToken == nil || *res.NextToken == "" {
			sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
			return out, nil
		}
		next = res.NextToken
	}
	return nil, fmt.Errorf("list the %s group: more than %d pages", EvaluatorsGroup, maxPages)
}

// evaluator reads a user's sub, email and name (the name attribute, else
// given and family names, else the email).
func evaluator(u types.UserType) (calls.Evaluator, bool) {
	attrs := map[string]string{}
	for _, a := range u.Attributes {
		attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	e := calls.Evaluator{Sub: attrs["sub"], Email: attrs["email"], Name: strings.TrimSpace(attrs["name"])}
	if e.Sub == "" {
		return e, false
	}
	if e.Name == "" {
		e.Name = strings.TrimSpace(attrs["given_name"] + " " + attrs["family_name"])
	}
	if e.Name == "" {
		e.Name = e.Email
	}
	return e, true
}

// classify makes throttling and the service's own failures Unavailable
// (try again later); anything else (access denied, a wrong pool) stays an
// internal error.
func classify(err error) error {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		if apiErr.ErrorFault() == smithy.FaultServer {
			return apperr.Wrap(apperr.Unavailable, "", err)
		}
		switch apiErr.ErrorCode() {
		case "TooManyRequestsException", "LimitExceededException", "InternalErrorException":
			return apperr.Wrap(apperr.Unavailable, "", err)
		}
	}
	return err
}
