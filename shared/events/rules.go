package events

import (
	"io"
	"strings"
	"time"

	"espaceosc/shared/secret"
)

// SeatsLeft is how many seats remain.
func (e Event) SeatsLeft() int { return max(0, e.Capacity-e.Confirmed) }

// WaitlistOpen reports whether a newcomer would join the waitlist.
func (e Event) WaitlistOpen() bool { return e.SeatsLeft() == 0 && e.Waitlisted < e.WaitlistSize }

// place is where a newcomer goes given the counters read: a seat
// (RegConfirmed) while seats remain, else the next waitlist position
// (RegWaitlisted, WaitlistSeq+1) while the waitlist has room, else nowhere
// ("").
func (e Event) place() (RegStatus, int) {
	switch {
	case e.SeatsLeft() > 0:
		return RegConfirmed, 0
	case e.Waitlisted < e.WaitlistSize:
		return RegWaitlisted, e.WaitlistSeq + 1
	}
	return "", 0
}

// RegistrationOpen reports whether registering is possible at now.
func (e Event) RegistrationOpen(now time.Time) bool {
	return e.closedReason(now) == "" && (e.SeatsLeft() > 0 || e.WaitlistOpen())
}

// closedReason is the message key explaining why nobody can register at now, or "".
func (e Event) closedReason(now time.Time) string {
	switch {
	case e.Status == Draft:
		return "events.not_published"
	case e.Status == Cancelled:
		return "events.cancelled"
	case !now.Before(e.StartsAt):
		return "events.past"
	case now.Before(e.RegistrationOpensAt):
		return "events.not_open_yet"
	case !now.Before(e.RegistrationClosesAt):
		return "events.closed"
	}
	return ""
}

// freed is the counter a withdrawal of a registration with status prev
// lowers: a seat handed to the waitlist's first (promoted) leaves the
// confirmed count as it is and shortens the waitlist; a seat nobody takes
// lowers the confirmed count; a waitlisted registrant shortens the waitlist.
func freed(prev RegStatus, promoted bool) Counter {
	if prev == RegConfirmed && !promoted {
		return CountConfirmed
	}
	return CountWaitlisted
}

// reminderDue reports whether e's reminders are to be sent at now.
func (e Event) reminderDue(now time.Time) bool {
	return e.Status == Published && !now.Before(e.StartsAt.Add(-time.Duration(e.ReminderHours)*time.Hour))
}

// crockford is the check-in code alphabet: Crockford's base32 (no I, L, O,
// U), the alphabet secret.Base32 draws from.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newCode returns a check-in code of 8 characters (40 bits).
func newCode(r io.Reader) (string, error) { return secret.Base32(r, 8) }

// NormalizeCode reads a code as typed at the door: case, spaces and dashes
// ignored, I/L read as 1 and O as 0.
func NormalizeCode(s string) string {
	s = strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s)))
	return strings.NewReplacer("I", "1", "L", "1", "O", "0").Replace(s)
}

func validCode(c string) bool {
	if len(c) != 8 {
		return false
	}
	for _, r := range c {
		if !strings.ContainsRune(crockford, r) {
			return false
		}
	}
	return true
}
