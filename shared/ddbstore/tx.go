package ddbstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/outbox"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Cond is a condition expression with its placeholders.
type Cond struct {
	Expr   string
	Names  map[string]string
	Values map[string]types.AttributeValue
}

// NotExists is the condition of a put that creates an item.
var NotExists = Cond{Expr: "attribute_not_exists(PK)"}

// Exists is the condition of a write to an item that must be there.
var Exists = Cond{Expr: "attribute_exists(PK)"}

// VersionIs is the optimistic lock of a read-modify-write: the item is still
// at version prev (its `version` attribute).
func VersionIs(prev int) Cond {
	return Cond{
		Expr:   "attribute_exists(PK) AND #version = :prev",
		Names:  map[string]string{"#version": "version"},
		Values: map[string]types.AttributeValue{":prev": N(int64(prev))},
	}
}

// Tx is one TransactWriteItems whose items have names, so that a cancelled
// transaction says which conditions failed by name, not by position.
type Tx struct {
	t     *Table
	op    string
	items []types.TransactWriteItem
	names []string
	token *string
	err   error // the first error building an item
}

// Tx starts a transaction named op (in errors and logs).
func (t *Table) Tx(op string) *Tx { return &Tx{t: t, op: op} }

func (tx *Tx) add(name string, it types.TransactWriteItem) *Tx {
	for _, n := range tx.names {
		if n == name {
			panic("ddbstore: transaction item named twice: " + name)
		}
	}
	tx.items = append(tx.items, it)
	tx.names = append(tx.names, name)
	return tx
}

func (c Cond) parts() (*string, map[string]string, map[string]types.AttributeValue) {
	var expr *string
	if c.Expr != "" {
		expr = aws.String(c.Expr)
	}
	names, values := c.Names, c.Values
	if len(names) == 0 {
		names = nil
	}
	if len(values) == 0 {
		values = nil
	}
	return expr, names, values
}

// Put writes item (a stored struct, marshalled, or an attribute map) if cond
// holds.
func (tx *Tx) Put(name string, item any, cond Cond) *Tx {
	av, ok := item.(map[string]types.AttributeValue)
	if !ok {
		var err error
		if av, err = attributevalue.MarshalMap(item); err != nil {
			if tx.err == nil {
				tx.err = fmt.Errorf("%s: marshal %s: %w", tx.op, name, err)
			}
			return tx
		}
	}
	expr, names, values := cond.parts()
	return tx.add(name, types.TransactWriteItem{Put: &types.Put{
		TableName: aws.String(tx.t.Name), Item: av,
		ConditionExpression: expr, ExpressionAttributeNames: names, ExpressionAttributeValues: values,
	}})
}

// Update applies update (with cond's placeholders, which it may use too) to
// the item key if cond.Expr holds.
func (tx *Tx) Update(name string, key map[string]types.AttributeValue, update string, cond Cond) *Tx {
	expr, names, values := cond.parts()
	return tx.add(name, types.TransactWriteItem{Update: &types.Update{
		TableName: aws.String(tx.t.Name), Key: key, UpdateExpression: aws.String(update),
		ConditionExpression: expr, ExpressionAttributeNames: names, ExpressionAttributeValues: values,
	}})
}

// Delete removes the item key if cond holds.
func (tx *Tx) Delete(name string, key map[string]types.AttributeValue, cond Cond) *Tx {
	expr, names, values := cond.parts()
	return tx.add(name, types.TransactWriteItem{Delete: &types.Delete{
		TableName: aws.String(tx.t.Name), Key: key,
		ConditionExpression: expr, ExpressionAttributeNames: names, ExpressionAttributeValues: values,
	}})
}

// Check requires cond of the item key without writing it.
func (tx *Tx) Check(name string, key map[string]types.AttributeValue, cond Cond) *Tx {
	expr, names, values := cond.parts()
	return tx.add(name, types.TransactWriteItem{ConditionCheck: &types.ConditionCheck{
		TableName: aws.String(tx.t.Name), Key: key,
		ConditionExpression: expr, ExpressionAttributeNames: names, ExpressionAttributeValues: values,
	}})
}

// ItemIdempotency names the idempotency record of a transaction.
const ItemIdempotency = "idempotency"

// Email records e in the outbox (as pending, leased to its composer), under
// the name "email <id>". An email exists if and only if the fact it reports
// does.
func (tx *Tx) Email(e outbox.Email) *Tx {
	return tx.Put("email "+e.ID, newOutboxItem(e), NotExists)
}

// Idempotency records rec (nothing when nil) under ItemIdempotency, on
// condition that its key is new (or its record expired and not yet removed
// by the TTL). A transaction cancelled on it fails with an error wrapping
// idempotency.ErrRecorded. The transaction's ClientRequestToken is derived
// from the key (and salt, e.g. the created item's ID), so that the SDK's own
// retry of a transaction that did commit is not applied twice.
func (tx *Tx) Idempotency(rec *idempotency.Record, salt string) *Tx {
	if rec == nil {
		return tx
	}
	tx.token = aws.String(clientToken(rec.Scope + "#" + rec.KeyHash + "#" + salt))
	return tx.Put(ItemIdempotency, newIdemItem(*rec), Cond{
		Expr:   "attribute_not_exists(PK) OR expiresAt < :now",
		Values: map[string]types.AttributeValue{":now": N(tx.t.Now().Unix())},
	})
}

// TxFailed is the error of a transaction cancelled because conditions
// failed: Items names them.
type TxFailed struct {
	Op    string
	Items []string
	Err   error
}

func (e *TxFailed) Error() string {
	return fmt.Sprintf("dynamodb %s: condition failed on %v", e.Op, e.Items)
}

func (e *TxFailed) Unwrap() error { return e.Err }

// Failed reports whether the transaction failed on the item name.
func (e *TxFailed) Failed(name string) bool {
	for _, n := range e.Items {
		if n == name {
			return true
		}
	}
	return false
}

// FailedOn reports whether err is a transaction cancelled on the item name.
func FailedOn(err error, name string) bool {
	var f *TxFailed
	return errors.As(err, &f) && f.Failed(name)
}

// txAttempts bounds the retries of a transaction cancelled only by a
// conflicting concurrent transaction.
const txAttempts = 4

// Run writes the transaction. A cancellation caused only by concurrent
// transactions on the same items is retried with jittered backoff (then
// apperr.Unavailable). Failed conditions come back as a *TxFailed wrapped in
// apperr.Conflict, or wrapping idempotency.ErrRecorded when the idempotency
// record's was among them; the capability's store reads TxFailed to say
// more.
func (tx *Tx) Run(ctx context.Context) error {
	if tx.err != nil {
		return tx.err
	}
	in := &dynamodb.TransactWriteItemsInput{TransactItems: tx.items, ClientRequestToken: tx.token}
	var err error
	for attempt := range txAttempts {
		if attempt > 0 {
			backoff := time.Duration(10<<attempt)*time.Millisecond + time.Duration(rand.IntN(20))*time.Millisecond
			t := time.NewTimer(backoff)
			select {
			case <-ctx.Done():
				t.Stop()
				return Classify(tx.op, ctx.Err())
			case <-t.C:
			}
		}
		_, err = tx.t.DB.TransactWriteItems(ctx, in)
		if err == nil || !conflictOnly(err) {
			break
		}
	}
	if err == nil {
		return nil
	}
	if names := tx.failed(err); len(names) > 0 {
		f := &TxFailed{Op: tx.op, Items: names, Err: err}
		if f.Failed(ItemIdempotency) {
			return fmt.Errorf("%w: %w", f, idempotency.ErrRecorded)
		}
		return apperr.Wrap(apperr.Conflict, "", f)
	}
	var mismatch *types.IdempotentParameterMismatchException
	if errors.As(err, &mismatch) {
		// The token was used by an earlier attempt of this key with other items.
		return fmt.Errorf("dynamodb %s: %w", tx.op, idempotency.ErrRecorded)
	}
	if conflictOnly(err) {
		return apperr.Wrap(apperr.Unavailable, "", fmt.Errorf("dynamodb %s: transaction kept conflicting: %w", tx.op, err))
	}
	return Classify(tx.op, err)
}

// failed returns the names of the items whose condition failed.
func (tx *Tx) failed(err error) []string {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		return nil
	}
	var names []string
	for i, r := range tce.CancellationReasons {
		if r.Code != nil && *r.Code == "ConditionalCheckFailed" && i < len(tx.names) {
			names = append(names, tx.names[i])
		}
	}
	return names
}

// conflictOnly reports whether a transaction was cancelled because another
// one touched the same items (safe to retry: the next attempt sees the
// state that other transaction left).
func conflictOnly(err error) bool {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		var tc *types.TransactionConflictException
		return errors.As(err, &tc)
	}
	for _, r := range tce.CancellationReasons {
		if r.Code != nil && *r.Code == "TransactionConflict" {
			return true
		}
	}
	return false
}
