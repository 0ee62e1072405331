// Package handler is the scheduled handler of OutboxSweeperFunction.
package handler

import (
	"context"
	"log/slog"
	"time"

	"espaceosc/shared/calls"
	"espaceosc/shared/cocreation"
	eventsvc "espaceosc/shared/events"
	"espaceosc/shared/mail"
	"espaceosc/shared/membership"
	"espaceosc/shared/observations"
	"espaceosc/shared/outbox"

	"github.com/aws/aws-lambda-go/events"
)

// Templates renders every kind of email the capabilities record.
var Templates = mail.Merge(observations.Emails, eventsvc.Emails, calls.Emails, membership.Emails, cocreation.Emails)

// minAge is how old a pending email must be before a sweep retries it. Zero:
// a sweep racing an inline delivery is harmless (the claim lets exactly one
// of them send), and an operator who runs the schedule by hand after an
// outage expects everything pending to go out.
const minAge time.Duration = 0

// New returns the scheduled handler: sweep, log counts only.
func New(ob *outbox.Outbox, log *slog.Logger) func(context.Context, events.EventBridgeEvent) (outbox.SweepResult, error) {
	return func(ctx context.Context, _ events.EventBridgeEvent) (outbox.SweepResult, error) {
		res, err := ob.Sweep(ctx, minAge)
		attrs := []any{"pending", res.Pending, "sent", res.Sent, "failed", res.Failed, "claimed", res.Claimed, "gaveUp", res.GaveUp}
		if err != nil {
			log.Error("outbox sweep failed", append(attrs, "error", err.Error())...)
			return res, err
		}
		log.Info("outbox swept", attrs...)
		return res, nil
	}
}
