package events

import (
	"context"
	"fmt"
	"time"

	"espaceosc/shared/apperr"
)

// reminderHorizon is how far ahead reminders look (the largest reminder time).
const reminderHorizon = MaxReminderHours * time.Hour

// SendReminders emails each confirmed registrant of every event whose
// reminder time has come one reminder: the mark and the email are one
// transaction, so a second run (or two runs at once) sends nothing twice.
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
			n, err := s.remind(ctx, e, now)
			res.Sent += n
			if err != nil {
				return res, err
			}
		}
		if next == "" {
			return res, nil
		}
		cursor = next
	}
}

func (s *Service) remind(ctx context.Context, e Event, now time.Time) (int, error) {
	sent := 0
	cursor := ""
	for {
		page, next, err := s.Store.ListRegistrations(ctx, e.ID, RegConfirmed, NotReminded, 100, cursor)
		if err != nil {
			return sent, fmt.Errorf("reminders of %s: %w", e.ID, err)
		}
		for _, r := range page {
			m, err := s.compose(r, KindReminder, reminderData{s.emailData(e, r, now, true)})
			if err != nil {
				return sent, err
			}
			err = s.Store.MarkReminded(ctx, r, now, m)
			if apperr.Is(err, apperr.Conflict) {
				continue // reminded by a concurrent run, or cancelled meanwhile
			}
			if err != nil {
				return sent, fmt.Errorf("remind %s: %w", r.ID, err)
			}
			sent++
			s.deliver(ctx, m)
		}
		if next == "" {
			return sent, nil
		}
		cursor = next
	}
}
