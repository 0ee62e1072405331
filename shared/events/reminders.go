package events

import (
	"context"
	"espaceosc/shared/bulk"
	"fmt"
	"time"

	"espaceosc/shared/apperr"
)

// reminderHorizon is how far ahead reminders look (the largest reminder time).
const reminderHorizon = MaxReminderHours * time.Hour

// SendReminders starts, for every published event whose reminder time has
// come, the job that reminds each confirmed registrant once (a second run,
// or two at once, starts nothing twice: the job's ID is the event's).
func (s *Service) SendReminders(ctx context.Context) (ReminderResult, error) {
	var res ReminderResult
	now := s.clock()
	cursor := ""
	for {
		evs, next, err := s.Store.ListPublishedEvents(ctx, now, 50, cursor)
		if err != nil {
			return res, fmt.Errorf("reminders: list events: %w", err)
		}
		for _, e := range evs {
			if e.StartsAt.After(now.Add(reminderHorizon)) {
				return res, nil // soonest first: the rest are later still
			}
			if !e.reminderDue(now) {
				continue
			}
			res.Events++
			job := bulk.New(JobReminders, e.ID, 0, now)
			err := s.Jobs.CreateJob(ctx, job)
			switch {
			case err == nil:
				res.Started++
			case apperr.Is(err, apperr.Conflict):
				// Started by an earlier run: start it again in case it stalled.
			default:
				return res, fmt.Errorf("reminders of %s: %w", e.ID, err)
			}
			s.startJob(ctx, job.ID)
		}
		if next == "" {
			return res, nil
		}
		cursor = next
	}
}
