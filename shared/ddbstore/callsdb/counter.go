package callsdb

import (
	"context"
	"fmt"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/outbox"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// A call's reference counter: PK CALL#<callId>, SK SEQ, with the lease of
// the submission numbering a candidacy when one does. The service decides
// who takes the lease, for how long, and the numbers; the store runs the
// conditional writes.

const counterSK = "SEQ"

type counterItem struct {
	PK         string `dynamodbav:"PK"`
	SK         string `dynamodbav:"SK"`
	Type       string `dynamodbav:"type"`
	Seq        int    `dynamodbav:"seq"`
	LeaseOwner string `dynamodbav:"leaseOwner,omitempty"`
	LeaseUntil string `dynamodbav:"leaseUntil,omitempty"`
}

func toCounterItem(callID string, seq int, owner string, until time.Time) counterItem {
	return counterItem{PK: callPK(callID), SK: counterSK, Type: "call-sequence", Seq: seq, LeaseOwner: owner, LeaseUntil: ddbstore.Time(until)}
}

// leasedTo is the condition that the counter is at seq and leased to owner.
func leasedTo(seq int, owner string) ddbstore.Cond {
	return ddbstore.Cond{
		Expr:   "seq = :n AND leaseOwner = :me",
		Values: map[string]types.AttributeValue{":n": ddbstore.N(int64(seq)), ":me": ddbstore.S(owner)},
	}
}

// GetCounter implements calls.Store.
func (s Store) GetCounter(ctx context.Context, callID string) (calls.Counter, error) {
	var it counterItem
	err := s.Get(ctx, "reference counter of call "+callID, ddbstore.Key(callPK(callID), counterSK), true, &it)
	if apperr.Is(err, apperr.NotFound) {
		return calls.Counter{}, nil
	}
	if err != nil {
		return calls.Counter{}, err
	}
	return calls.Counter{Seq: it.Seq, Owner: it.LeaseOwner, Until: ddbstore.ParseTime(it.LeaseUntil)}, nil
}

// TakeLease implements calls.Store: a put of the counter at seq with
// owner's lease, if it is at seq and its lease free, expired or owner's.
func (s Store) TakeLease(ctx context.Context, callID string, seq int, owner string, until, now time.Time) error {
	// A lease stored as epoch milliseconds (before leaseUntil was an
	// instant like every other) counts as expired.
	free := "(attribute_not_exists(leaseUntil) OR attribute_type(leaseUntil, :number) OR leaseUntil < :now OR leaseOwner = :me)"
	cond := ddbstore.Cond{Expr: "seq = :n AND " + free, Values: map[string]types.AttributeValue{
		":n": ddbstore.N(int64(seq)), ":number": ddbstore.S("N"), ":now": ddbstore.S(ddbstore.Time(now)), ":me": ddbstore.S(owner),
	}}
	if seq == 0 { // no reference given yet: the counter may not exist
		cond.Expr = "attribute_not_exists(PK) OR (" + cond.Expr + ")"
	}
	err := s.Put(ctx, "reference counter lease of call "+callID, toCounterItem(callID, seq, owner, until), cond)
	if apperr.Is(err, apperr.Conflict) {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("reference counter of call %s: leased or moved", callID))
	}
	return err
}

// ReleaseLease implements calls.Store.
func (s Store) ReleaseLease(ctx context.Context, callID string, seq int, owner string) error {
	err := s.Put(ctx, "reference counter of call "+callID, toCounterItem(callID, seq, "", time.Time{}), leasedTo(seq, owner))
	if apperr.Is(err, apperr.Conflict) {
		return nil // not ours any more
	}
	return err
}

// SubmitCandidacy implements calls.Store: the submitted candidacy (still
// the draft at prevVersion), its contact, the counter moved from prevSeq
// to c.Sequence without lease (still at prevSeq and leased to owner) and
// the receipt, in one transaction.
func (s Store) SubmitCandidacy(ctx context.Context, c calls.Candidacy, prevVersion, prevSeq int, owner string, receipt outbox.Email) error {
	err := s.Tx("submit candidacy").
		Put("candidacy", toCandItem(c), draftAt(prevVersion)).
		Put("contact", toContactItem(c), ddbstore.Cond{}).
		Put("counter", toCounterItem(c.CallID, c.Sequence, "", time.Time{}), leasedTo(prevSeq, owner)).
		Email(receipt).
		Run(ctx)
	switch {
	case ddbstore.FailedOn(err, "candidacy"):
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("submit candidacy %s: changed meanwhile: %w", c.ID, err))
	case ddbstore.FailedOn(err, "counter"):
		return fmt.Errorf("submit candidacy %s: %w", c.ID, calls.ErrCounterMoved)
	}
	return err
}
