package events

import (
	"context"
	"fmt"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/bulk"
	"espaceosc/shared/outbox"
)

// Telling every registrant of an event something — that it is cancelled,
// that it moved, that it starts soon — is a bulk job (shared/bulk): the
// change that makes the news records the job, the notifier function runs
// it, and each registrant is told once (a mark on the registration, written
// with the email).

// Job kinds of this capability.
const (
	JobCancelled = "events.cancelled" // an event cancelled: every confirmed and waitlisted registrant
	JobReminders = "events.reminders" // an event's reminder time: every confirmed registrant
	// JobUpdated: an event's date, time or place changed (its occurrence
	// is the event's new Sequence). Confirmed registrants get the updated
	// invitation (.ics REQUEST, same UID, the new SEQUENCE); waitlisted
	// ones get the same news without an .ics (they have no invitation to
	// update, and may prefer to leave the list). An update recorded while
	// an earlier one is still being told tells the latest state once.
	JobUpdated = "events.updated"
)

// NoticeMark names the mark a notice sets on a registration.
type NoticeMark string

const (
	MarkReminded       NoticeMark = "remindedAt"
	MarkCancelNotified NoticeMark = "eventCancelNotifiedAt"
	// MarkUpdated is a number, not an instant: the event's Sequence the
	// registrant was told of (Registration.NotifiedSequence). A notice
	// with this mark sets it to Sequence unless it is there already.
	MarkUpdated NoticeMark = "notifiedSequence"
)

// Notice is one registrant told of something once.
type Notice struct {
	Registration Registration
	Mark         NoticeMark
	Status       RegStatus // the registration's status it requires ("" for any)
	At           time.Time
	Sequence     int // MarkUpdated: the event's Sequence told
	Email        outbox.Email
}

// Sources are the capability's bulk sources, by job kind, for the notifier.
func (s *Service) Sources() map[string]bulk.Source {
	return map[string]bulk.Source{
		JobCancelled: noticeSource{s: s, mark: MarkCancelNotified, filter: NotCancelNotified, statuses: []RegStatus{RegConfirmed, RegWaitlisted}},
		JobReminders: noticeSource{s: s, mark: MarkReminded, filter: NotReminded, statuses: []RegStatus{RegConfirmed}, requireStatus: true},
		JobUpdated:   noticeSource{s: s, mark: MarkUpdated, statuses: []RegStatus{RegConfirmed, RegWaitlisted}, requireStatus: true},
	}
}

// noticeSource expands a job over an event's registrants of some statuses,
// one status after the other; its cursor is "<status>|<page cursor>".
type noticeSource struct {
	s             *Service
	mark          NoticeMark
	filter        RegFilter
	statuses      []RegStatus
	requireStatus bool
}

func (src noticeSource) Expand(ctx context.Context, job bulk.Job, cursor string, limit int) ([]outbox.Email, string, error) {
	s := src.s
	e, err := s.getEvent(ctx, job.Ref)
	if err != nil {
		return nil, "", err
	}
	if (src.mark == MarkReminded || src.mark == MarkUpdated) && e.Status != Published {
		return nil, "", nil // cancelled meanwhile: no reminder, no update
	}
	status, page := src.statuses[0], ""
	if cursor != "" {
		st, rest, _ := strings.Cut(cursor, "|")
		status, page = RegStatus(st), rest
	}
	regs, next, err := s.Store.ListRegistrations(ctx, e.ID, status, src.filter, limit, page)
	if err != nil {
		return nil, "", fmt.Errorf("expand %s: %w", job.ID, err)
	}
	now := s.clock()
	notices := make([]Notice, 0, len(regs))
	for _, r := range regs {
		var m outbox.Email
		switch src.mark {
		case MarkReminded:
			m, err = s.compose(r, KindReminder, reminderData{s.emailData(e, r, now, true)})
		case MarkUpdated:
			if r.NotifiedSequence >= e.Sequence {
				continue // registered, promoted or told since the change
			}
			confirmed := status == RegConfirmed
			m, err = s.compose(r, KindUpdated, updatedData{s.emailData(e, r, now, confirmed), confirmed})
		default:
			m, err = s.compose(r, KindEventCancelled, eventCancelledData{s.emailData(e, r, now, false)})
		}
		if err != nil {
			return nil, "", err
		}
		n := Notice{Registration: r, Mark: src.mark, At: now, Sequence: e.Sequence, Email: m}
		if src.requireStatus {
			n.Status = status
		}
		notices = append(notices, n)
	}
	recorded, err := s.Store.RecordNotices(ctx, notices)
	if err != nil {
		return nil, "", fmt.Errorf("expand %s: %w", job.ID, err)
	}
	emails := make([]outbox.Email, len(recorded))
	for i, n := range recorded {
		emails[i] = n.Email
	}
	switch {
	case next != "":
		next = string(status) + "|" + next
	default:
		for i, st := range src.statuses {
			if st == status && i+1 < len(src.statuses) {
				next = string(src.statuses[i+1]) + "|"
			}
		}
	}
	return emails, next, nil
}

// startJob starts the notifier on a recorded job; a failure is left to the
// notifier's sweep.
func (s *Service) startJob(ctx context.Context, id string) {
	if s.Starter == nil {
		return
	}
	if err := s.Starter.Start(ctx, id); err != nil {
		s.Log.Warn("notification start deferred to the sweep", "jobId", id, "code", apperr.CodeOf(err))
	}
}

// NotificationProgress is how far a fan-out to registrants stands.
type NotificationProgress struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	EventID   string `json:"eventId"`
	Recorded  int    `json:"recorded"` // registrants told (emails recorded)
	Done      bool   `json:"done"`
	StartedAt string `json:"startedAt"`
	UpdatedAt string `json:"updatedAt"`
}

var errNotificationNotFound = apperr.New(apperr.NotFound, "events.notification_not_found")

// Notification returns the progress of the fan-out id.
func (s *Service) Notification(ctx context.Context, id string) (NotificationProgress, error) {
	if len(id) > 200 || !strings.HasPrefix(id, "events.") || s.Jobs == nil {
		return NotificationProgress{}, errNotificationNotFound
	}
	j, err := s.Jobs.GetJob(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return NotificationProgress{}, errNotificationNotFound
	}
	if err != nil {
		return NotificationProgress{}, fmt.Errorf("notification %s: %w", id, err)
	}
	return NotificationProgress{
		ID: j.ID, Kind: j.Kind, EventID: j.Ref, Recorded: j.Recorded, Done: j.Done,
		StartedAt: rfc3339(j.CreatedAt), UpdatedAt: rfc3339(j.UpdatedAt),
	}, nil
}
