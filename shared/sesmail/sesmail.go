// Package sesmail sends the outbox's emails with Amazon SES v2 (SendEmail,
// simple content: subject, text and HTML parts in UTF-8, attachments).
package sesmail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/outbox"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Client is the part of the SES v2 API the sender uses.
type Client interface {
	SendEmail(ctx context.Context, in *sesv2.SendEmailInput, opts ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
}

// Sender is an outbox.Sender on SES.
type Sender struct {
	client Client
	from   string
}

var _ outbox.Sender = (*Sender)(nil)

// New returns a sender that sends from the verified identity from (SENDER_EMAIL).
func New(client Client, from string) *Sender { return &Sender{client: client, from: from} }

const charset = "UTF-8"

func content(s string) *types.Content {
	return &types.Content{Data: aws.String(s), Charset: aws.String(charset)}
}

// Send implements outbox.Sender. Throttling, outages and network errors are
// apperr.Unavailable; a refused message (bad address, unverified identity) is
// an uncoded error. Errors never carry the address or the body.
func (s *Sender) Send(ctx context.Context, e outbox.Message) (string, error) {
	msg := &types.Message{
		Subject: content(strings.Join(strings.Fields(e.Subject), " ")), // one line, whatever comes in
		Body:    &types.Body{Text: content(e.Text)},
	}
	if e.HTML != "" {
		msg.Body.Html = content(e.HTML)
	}
	for _, a := range e.Attachments {
		msg.Attachments = append(msg.Attachments, types.Attachment{
			FileName:           aws.String(a.Filename),
			ContentType:        aws.String(a.ContentType),
			RawContent:         a.Data,
			ContentDisposition: types.AttachmentContentDispositionAttachment,
		})
	}
	out, err := s.client.SendEmail(ctx, &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(s.from),
		Destination:      &types.Destination{ToAddresses: []string{e.To}},
		Content:          &types.EmailContent{Simple: msg},
	})
	if err != nil {
		return "", classify(e.ID, err)
	}
	return aws.ToString(out.MessageId), nil
}

func classify(id string, err error) error {
	wrapped := fmt.Errorf("ses send email %s: %w", id, errorCode(err))
	if unavailable(err) {
		return apperr.Wrap(apperr.Unavailable, "", wrapped)
	}
	return wrapped
}

// errorCode keeps the SDK's error code and status, not its message (SES
// messages can quote the recipient).
func errorCode(err error) error {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		status := 0
		var respErr *smithyhttp.ResponseError
		if errors.As(err, &respErr) {
			status = respErr.HTTPStatusCode()
		}
		return fmt.Errorf("%s (HTTP %d)", apiErr.ErrorCode(), status)
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return err
	}
	return errors.New("transport error")
}

func unavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return true
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "TooManyRequestsException", "LimitExceededException", "SendingPausedException",
			"InternalServiceErrorException", "ThrottlingException", "ServiceUnavailable":
			return true
		}
		if apiErr.ErrorFault() == smithy.FaultServer {
			return true
		}
	}
	var respErr *smithyhttp.ResponseError
	if errors.As(err, &respErr) && (respErr.HTTPStatusCode() >= 500 || respErr.HTTPStatusCode() == 429) {
		return true
	}
	var netErr net.Error
	return errors.As(err, &netErr)
}

// FailFast is the sesv2 client option of functions that deliver an email
// right after recording it: one attempt of at most 3 s, since the email is
// already in the outbox and the scheduled sweeper retries it, so a request
// need not wait for the SDK's retries when SES fails. The sweeper's own
// client keeps the SDK's retries.
func FailFast(o *sesv2.Options) {
	o.RetryMaxAttempts = 1
	o.HTTPClient = awshttp.NewBuildableClient().WithTimeout(3 * time.Second)
}

// AccountClient is the part of the SES v2 API that reads the account.
type AccountClient interface {
	GetAccount(ctx context.Context, in *sesv2.GetAccountInput, opts ...func(*sesv2.Options)) (*sesv2.GetAccountOutput, error)
}

// Account is the SES account's sending limits (bulk.Pace).
type Account struct{ client AccountClient }

// NewAccount returns the account read through client.
func NewAccount(client AccountClient) Account { return Account{client: client} }

// MaxSendRate is the account's maximum number of emails per second
// (GetAccount's SendQuota.MaxSendRate: 1 in the SES sandbox, more once
// production access is granted).
func (a Account) MaxSendRate(ctx context.Context) (float64, error) {
	out, err := a.client.GetAccount(ctx, &sesv2.GetAccountInput{})
	if err != nil {
		return 0, classify("account", err)
	}
	if out.SendQuota == nil {
		return 0, fmt.Errorf("ses account: no send quota")
	}
	return out.SendQuota.MaxSendRate, nil
}
