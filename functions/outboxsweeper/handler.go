package main

import (
	"context"
	"log/slog"
	"time"

	"espaceosc/shared/outbox"

	"github.com/aws/aws-lambda-go/events"
)

// minAge leaves emails younger than this to their inline delivery.
const minAge = time.Minute

// newHandler returns the scheduled handler: sweep, log counts only.
func newHandler(ob *outbox.Outbox, log *slog.Logger) func(context.Context, events.EventBridgeEvent) (outbox.SweepResult, error) {
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
