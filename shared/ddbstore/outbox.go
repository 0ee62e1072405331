package ddbstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/outbox"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Outbox email keys: PK OUTBOX#<id>, SK OUTBOX; while pending, GSI1
// OUTBOXPENDING / <createdAt>#<id> (a sparse index: sent emails leave it).
const (
	outboxSK        = "OUTBOX"
	outboxPendingPK = "OUTBOXPENDING"
)

// Outbox is the outbox.Store of the table.
type Outbox struct{ t *Table }

var _ outbox.Store = (*Outbox)(nil)

// Outbox returns the table's outbox.
func (t *Table) Outbox() *Outbox { return &Outbox{t: t} }

type outboxItem struct {
	PK         string `dynamodbav:"PK"`
	SK         string `dynamodbav:"SK"`
	GSI1PK     string `dynamodbav:"GSI1PK,omitempty"`
	GSI1SK     string `dynamodbav:"GSI1SK,omitempty"`
	Type       string `dynamodbav:"type"`
	ID         string `dynamodbav:"id"`
	To         string `dynamodbav:"to"`
	Lang       string `dynamodbav:"lang"`
	Kind       string `dynamodbav:"kind"`
	Data       string `dynamodbav:"data,omitempty"` // the template's data (JSON)
	RefID      string `dynamodbav:"refId"`
	CreatedAt  string `dynamodbav:"createdAt"`
	Status     string `dynamodbav:"status"`
	Attempts   int    `dynamodbav:"attempts"`
	LeaseUntil string `dynamodbav:"leaseUntil,omitempty"`
	SentAt     string `dynamodbav:"sentAt,omitempty"`
	MessageID  string `dynamodbav:"messageId,omitempty"`
	ExpiresAt  int64  `dynamodbav:"expiresAt"`
}

func outboxKey(id string) map[string]types.AttributeValue {
	return Key(JoinKey("OUTBOX", id), outboxSK)
}

// newOutboxItem is the pending record of e.
func newOutboxItem(e outbox.Email) outboxItem {
	created := Time(e.CreatedAt)
	it := outboxItem{
		PK: JoinKey("OUTBOX", e.ID), SK: outboxSK,
		GSI1PK: outboxPendingPK, GSI1SK: created + "#" + e.ID,
		Type: "outbox", ID: e.ID, To: e.To, Lang: string(e.Lang), Kind: e.Kind, Data: string(e.Data),
		RefID: e.RefID, CreatedAt: created, Status: "pending", LeaseUntil: Time(e.LeaseUntil),
		ExpiresAt: Expiry(e.CreatedAt.Add(outbox.Retention)),
	}
	return it
}

func (it outboxItem) email() outbox.Email {
	lang, _ := i18n.Parse(it.Lang)
	e := outbox.Email{
		ID: it.ID, To: it.To, Lang: lang, Kind: it.Kind, RefID: it.RefID,
		CreatedAt: ParseTime(it.CreatedAt), LeaseUntil: ParseTime(it.LeaseUntil), Attempts: it.Attempts,
	}
	if it.Data != "" {
		e.Data = json.RawMessage(it.Data)
	}
	return e
}

var pending = Cond{
	Expr:   "#status = :pending",
	Names:  map[string]string{"#status": "status"},
	Values: map[string]types.AttributeValue{":pending": S("pending")},
}

// update runs one conditional update of the email id: apperr.Conflict when
// it is not pending (or, for a claim, leased).
func (o *Outbox) update(ctx context.Context, op, id, update string, cond Cond) error {
	err := o.t.Update(ctx, op+" "+id, outboxKey(id), update, cond)
	if apperr.Is(err, apperr.Conflict) {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("%s %s: not pending or leased", op, id))
	}
	return err
}

// Claim implements outbox.Store.
func (o *Outbox) Claim(ctx context.Context, id string, leaseUntil time.Time) error {
	cond := pending.And("(attribute_not_exists(leaseUntil) OR leaseUntil < :now)", map[string]types.AttributeValue{
		":now": S(Time(o.t.Now())), ":lease": S(Time(leaseUntil)),
	})
	return o.update(ctx, "claim email", id, "SET leaseUntil = :lease", cond)
}

// MarkSent implements outbox.Store. It rewrites the whole record without
// its GSI1 keys (rather than an UpdateItem REMOVE, which minidyn v0.8.2 does
// not apply to index keys), so that the email leaves the sparse pending
// index.
func (o *Outbox) MarkSent(ctx context.Context, e outbox.Email, messageID string) error {
	now := o.t.Now()
	it := newOutboxItem(e)
	it.GSI1PK, it.GSI1SK, it.LeaseUntil = "", "", ""
	it.Status, it.SentAt, it.MessageID = "sent", Time(now), messageID
	it.ExpiresAt = Expiry(now.Add(outbox.Retention))
	err := o.t.Put(ctx, "sent email "+e.ID, it, pending)
	if apperr.Is(err, apperr.Conflict) {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("mark email %s sent: not pending", e.ID))
	}
	return err
}

// Release implements outbox.Store.
func (o *Outbox) Release(ctx context.Context, id, attemptErr string) error {
	// An outage or throttling of SES says nothing about the email itself: it
	// does not count towards MaxAttempts, so a long outage loses no email.
	// The lease is cleared to "", which sorts before any instant.
	var one int64 = 1
	if attemptErr == string(apperr.Unavailable) {
		one = 0
	}
	return o.update(ctx, "release email", id,
		"SET attempts = attempts + :one, lastError = :err, lastAttemptAt = :at, leaseUntil = :none",
		pending.With(map[string]types.AttributeValue{":one": N(one), ":err": S(attemptErr), ":at": S(Time(o.t.Now())), ":none": S("")}))
}

// ListPending implements outbox.Store: GSI1 OUTBOXPENDING, oldest first.
func (o *Outbox) ListPending(ctx context.Context, limit int, cursor string) ([]outbox.Email, string, error) {
	page, next, err := o.t.Page(ctx, "list pending emails", Query{Index: IndexGSI1, PK: outboxPendingPK, Forward: true}, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	emails, err := DecodeAll(page, "pending email", outboxItem.email)
	if err != nil {
		return nil, "", err
	}
	return emails, next, nil
}

// Put records e as pending on its own, for an email that reports no other
// write (e.g. a resent link). Emails that report a write go into that
// write's transaction instead (Tx.Email). It returns apperr.Conflict if e.ID
// exists.
func (o *Outbox) Put(ctx context.Context, e outbox.Email) error {
	err := o.t.Put(ctx, "email "+e.ID, newOutboxItem(e), NotExists)
	if apperr.Is(err, apperr.Conflict) {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("put email %s: exists", e.ID))
	}
	return err
}
