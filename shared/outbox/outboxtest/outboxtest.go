// Package outboxtest is a recording outbox.Sender for tests: it keeps every
// email it sent and can be made to fail like an SES outage.
package outboxtest

import (
	"context"
	"fmt"
	"sync"

	"espaceosc/shared/apperr"
	"espaceosc/shared/outbox"
)

// Sender records sent emails. The zero value is ready to use.
type Sender struct {
	mu   sync.Mutex
	sent []outbox.Message
	fail bool
	// reject makes Send fail as SES does when it refuses the email itself.
	reject bool
	// Hook, if set, runs inside Send before it records (e.g. to hold a send
	// open while another delivery tries the same email).
	Hook func(outbox.Message)
}

var _ outbox.Sender = (*Sender)(nil)

// Fail makes Send return apperr.Unavailable (true) or succeed (false).
func (s *Sender) Fail(fail bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = fail
}

// Reject makes Send fail with a permanent (uncoded) error, as SES does when
// it refuses a message (true), or stop doing so (false).
func (s *Sender) Reject(reject bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reject = reject
}

// Send implements outbox.Sender.
func (s *Sender) Send(ctx context.Context, e outbox.Message) (string, error) {
	if s.Hook != nil {
		s.Hook(e)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return "", apperr.Wrap(apperr.Unavailable, "", fmt.Errorf("emulated SES outage"))
	}
	if s.reject {
		return "", fmt.Errorf("emulated SES rejection")
	}
	s.sent = append(s.sent, e)
	return fmt.Sprintf("msg-%d", len(s.sent)), nil
}

// Sent returns the emails sent so far.
func (s *Sender) Sent() []outbox.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]outbox.Message(nil), s.sent...)
}

// SentOfKind returns the emails of one kind sent so far.
func (s *Sender) SentOfKind(kind string) []outbox.Message {
	var out []outbox.Message
	for _, e := range s.Sent() {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}
