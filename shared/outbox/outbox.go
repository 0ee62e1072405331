// Package outbox makes sure that every email the portal owes someone is sent,
// and sent once. An Email is recorded, as a template name and the data that
// renders it, in the same DynamoDB transaction as the data it belongs to (an
// observation, a registration), delivered right after that transaction, and
// marked sent. If sending fails, the email stays pending and the scheduled
// sweeper retries it. A lease on the record makes sure that an inline
// delivery and one or more sweeps running at the same time never send the
// same email twice: an email composed by a request is recorded already
// leased to it, so its inline delivery needs no separate claim.
//
// Emails hold personal data (addresses, names, texts): never log them; log
// IDs, kinds and counts.
package outbox

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/mail"
	"espaceosc/shared/secret"
)

// Email is one message owed to someone, as the outbox records it.
type Email struct {
	ID        string
	To        string
	Lang      i18n.Lang
	Kind      string          // the template, e.g. "observation.ack"
	Data      json.RawMessage // what the template renders
	RefID     string          // the ID of the data it belongs to
	CreatedAt time.Time       // UTC
	// LeaseUntil is set while someone holds the email to send it: the request
	// that composed it, or a sweep that claimed it.
	LeaseUntil time.Time
	Attempts   int // failed sending attempts so far (read from the store)

	// leased is true for an email composed by this process: its lease,
	// recorded with it, is already ours.
	leased bool
}

// Unleased returns e as read from the store: its next delivery claims it
// first (after a failed delivery released the composer's lease).
func (e Email) Unleased() Email {
	e.leased = false
	return e
}

// Message is an email rendered for sending.
type Message struct {
	ID          string
	To          string
	Lang        i18n.Lang
	Kind        string
	RefID       string
	Subject     string // single line
	Text        string
	HTML        string
	Attachments []mail.Attachment
}

// Retention is how long an email record (personal data) is kept after it was
// created or sent.
const Retention = 90 * 24 * time.Hour

// Sender sends an email.
type Sender interface {
	// Send sends m and returns the provider's message ID. It returns an
	// apperr.Unavailable error when the provider throttles or is down (retry
	// later) and another error when it refuses the message.
	Send(ctx context.Context, m Message) (messageID string, err error)
}

// Store is the outbox's view of the table.
type Store interface {
	// Claim leases the pending email id until leaseUntil, so that nobody else
	// sends it meanwhile. It returns apperr.Conflict when the email is already
	// sent, is leased by someone else, or does not exist, and
	// apperr.Unavailable when the table is.
	Claim(ctx context.Context, id string, leaseUntil time.Time) error
	// MarkSent records that e was sent (it leaves the pending list and
	// expires after Retention). It returns apperr.Conflict if e is not pending.
	MarkSent(ctx context.Context, e Email, messageID string) error
	// Release ends a lease after a failed attempt: it keeps the email pending
	// and counts the attempt unless attemptErr is "unavailable" (an SES
	// outage or throttling never uses up an email's attempts). It returns apperr.Conflict if id is not pending.
	Release(ctx context.Context, id, attemptErr string) error
	// ListPending returns up to limit pending emails, oldest first, and the
	// cursor of the next page ("" on the last). It returns an apperr.Invalid
	// error for a bad cursor and apperr.Unavailable when the table is down.
	ListPending(ctx context.Context, limit int, cursor string) ([]Email, string, error)
}

// Outbox composes and delivers emails.
type Outbox struct {
	Store     Store
	Sender    Sender
	Templates mail.Templates // every kind this outbox may deliver
	Log       *slog.Logger
	// Now is the clock (UTC); nil means time.Now.
	Now func() time.Time
	// Lease is how long a claim lasts: longer than one send can take.
	// Zero means DefaultLease.
	Lease time.Duration
	// Rand draws email IDs; nil means crypto/rand.
	Rand io.Reader
}

// DefaultLease bounds a send; an email whose sender died holding the lease is
// retried by a sweep after it.
const DefaultLease = 2 * time.Minute

// MaxAttempts is how many failed attempts (SES refusing the email itself,
// not SES being down or throttling) a sweep makes before it leaves an
// email alone (it stays pending, visible to operators, until it expires).
const MaxAttempts = 20

// New returns an outbox delivering the kinds of templates.
func New(store Store, sender Sender, templates mail.Templates, log *slog.Logger) *Outbox {
	return &Outbox{Store: store, Sender: sender, Templates: templates, Log: log}
}

// Compose returns a new email of kind to `to` about refID, rendered from data
// (marshalled as JSON) when it is sent, and leased to the caller, who records
// it in its transaction and then delivers it.
func (o *Outbox) Compose(to string, lang i18n.Lang, kind, refID string, data any) (Email, error) {
	if _, ok := o.Templates[kind]; !ok {
		return Email{}, fmt.Errorf("compose email: no template %q", kind)
	}
	b, err := json.Marshal(data)
	if err != nil {
		return Email{}, fmt.Errorf("compose email %s: %w", kind, err)
	}
	r := o.Rand
	if r == nil {
		r = rand.Reader
	}
	id, err := secret.NewID(r)
	if err != nil {
		return Email{}, err
	}
	now := o.now()
	return Email{
		ID: id, To: to, Lang: lang, Kind: kind, Data: b, RefID: refID, CreatedAt: now,
		LeaseUntil: now.Add(o.lease()), leased: true,
	}, nil
}

// Render composes e's message.
func (o *Outbox) Render(e Email) (Message, error) {
	c, err := o.Templates.Render(e.Kind, e.Data)
	if err != nil {
		return Message{}, fmt.Errorf("render email %s: %w", e.ID, err)
	}
	return Message{
		ID: e.ID, To: e.To, Lang: e.Lang, Kind: e.Kind, RefID: e.RefID,
		Subject: c.Subject, Text: c.Text, HTML: c.HTML, Attachments: c.Attachments,
	}, nil
}

func (o *Outbox) now() time.Time {
	if o.Now != nil {
		return o.Now().UTC()
	}
	return time.Now().UTC()
}

func (o *Outbox) lease() time.Duration {
	if o.Lease > 0 {
		return o.Lease
	}
	return DefaultLease
}

func (o *Outbox) log() *slog.Logger {
	if o.Log != nil {
		return o.Log
	}
	return slog.Default()
}

// ErrClaimed is returned (wrapped) by Deliver when someone else holds or
// already completed the email.
var ErrClaimed = errors.New("outbox: email claimed elsewhere or already sent")

// Deliver sends e once: claim (unless e was composed here, already leased),
// render, send, mark sent; on a failed send the lease is released and the
// email stays pending for the sweeper. Callers that just recorded e call it
// right after their transaction and ignore its error beyond logging: the
// sweeper will retry.
func (o *Outbox) Deliver(ctx context.Context, e Email) error {
	if !e.leased || !o.now().Before(e.LeaseUntil) {
		if err := o.Store.Claim(ctx, e.ID, o.now().Add(o.lease())); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return fmt.Errorf("deliver email %s: %w", e.ID, ErrClaimed)
			}
			return fmt.Errorf("deliver email %s: claim: %w", e.ID, err)
		}
	}
	msg, err := o.Render(e)
	if err == nil {
		var msgID string
		msgID, err = o.Sender.Send(ctx, msg)
		if err == nil {
			if err := o.Store.MarkSent(context.WithoutCancel(ctx), e, msgID); err != nil {
				// Sent but not marked: the lease keeps sweeps away until it expires.
				return fmt.Errorf("deliver email %s: mark sent: %w", e.ID, err)
			}
			o.log().Info("email sent", "emailId", e.ID, "kind", e.Kind, "refId", e.RefID)
			return nil
		}
	}
	// The lease must be released even if ctx is cancelled.
	if rerr := o.Store.Release(context.WithoutCancel(ctx), e.ID, errorSummary(err)); rerr != nil {
		o.log().Warn("outbox release failed", "emailId", e.ID, "error", rerr.Error())
	}
	return fmt.Errorf("deliver email %s (%s): %w", e.ID, e.Kind, err)
}

// errorSummary is what is stored about a failed attempt: the error code, not
// the text (which might echo an address).
func errorSummary(err error) string {
	if ae, ok := apperr.As(err); ok {
		return string(ae.Code)
	}
	return string(apperr.Internal)
}

// SweepResult counts what a sweep did.
type SweepResult struct {
	Pending int `json:"pending"` // pending emails old enough to retry
	Sent    int `json:"sent"`
	Failed  int `json:"failed"`  // send failed again; still pending
	Claimed int `json:"claimed"` // someone else was sending it, or had sent it
	GaveUp  int `json:"gaveUp"`  // MaxAttempts reached; left alone
}

// sweepLimit caps the emails one sweep looks at (one Lambda run).
const sweepLimit = 500

// Sweep retries pending emails created more than olderThan ago (so that it
// leaves fresh emails to their inline delivery), oldest first. It stops at
// the first error listing them; failed sends are counted, not returned.
func (o *Outbox) Sweep(ctx context.Context, olderThan time.Duration) (SweepResult, error) {
	var res SweepResult
	cutoff := o.now().Add(-olderThan)
	cursor := ""
	for res.Pending+res.GaveUp < sweepLimit {
		page, next, err := o.Store.ListPending(ctx, 25, cursor)
		if err != nil {
			return res, fmt.Errorf("sweep outbox: %w", err)
		}
		for _, e := range page {
			if e.CreatedAt.After(cutoff) {
				return res, nil // oldest first: the rest is newer still
			}
			if e.Attempts >= MaxAttempts {
				res.GaveUp++
				continue
			}
			res.Pending++
			switch err := o.Deliver(ctx, e); {
			case err == nil:
				res.Sent++
			case errors.Is(err, ErrClaimed):
				res.Claimed++
			default:
				res.Failed++
				o.log().Warn("outbox retry failed", "emailId", e.ID, "kind", e.Kind, "code", apperr.CodeOf(err))
			}
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
		}
		if next == "" {
			break
		}
		cursor = next
	}
	return res, nil
}
