// Package handler is the scheduled handler of EventRemindersFunction.
package handler

import (
	"context"
	"log/slog"

	"espaceosc/shared/events"

	lambdaevents "github.com/aws/aws-lambda-go/events"
)

// New returns the scheduled handler: send the reminders that are due, log
// counts only.
func New(svc *events.Service, log *slog.Logger) func(context.Context, lambdaevents.EventBridgeEvent) (events.ReminderResult, error) {
	return func(ctx context.Context, _ lambdaevents.EventBridgeEvent) (events.ReminderResult, error) {
		res, err := svc.SendReminders(ctx)
		if err != nil {
			log.Error("event reminders failed", "events", res.Events, "started", res.Started, "error", err.Error())
			return res, err
		}
		log.Info("event reminders sent", "events", res.Events, "started", res.Started)
		return res, nil
	}
}
