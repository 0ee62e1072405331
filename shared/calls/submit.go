package calls

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
)

// The submission: a complete draft gets its call's next reference, becomes
// read-only and the association gets its receipt.
//
// References are numbered by the call's counter: the transaction that
// submits a candidacy moves the counter from n to n+1 on condition that it
// is still at n, so numbers are unique and gapless whatever happens. A
// transaction that loses that race costs as much as one that wins, so a
// submission first takes the counter's short lease (a cheap conditional
// write) and only the holder runs the transaction; the others wait,
// polling the counter. The lease is only an optimisation: a holder that
// dies just lets it expire.
const (
	// SubmitLease is how long a submission holds its call's counter: ample
	// for one transaction.
	SubmitLease = 3 * time.Second
	// SubmitWait bounds how long a submission waits for the counter before
	// it gives up (503, to be retried): shorter than the candidacies
	// function's timeout (10 s, template.yaml), so that the association
	// always gets an answer.
	SubmitWait = 8 * time.Second
	// submitRetries bounds the submission transactions that fail for the
	// table's sake (throttling, transactions that kept conflicting).
	submitRetries = 20
	leasePollMin  = 1 * time.Millisecond
	leasePollMax  = 20 * time.Millisecond
)

// Submit files a complete draft: 409 listing every missing item (one
// error per document type, and per missing field), else the next
// reference of the call, read-only, and the receipt email. Submitting a
// submitted candidacy again returns it as is. The answer is the candidacy
// in lang.
func (s *Service) Submit(ctx context.Context, id, token string, lang i18n.Lang) (CandidacyView, error) {
	for range updateAttempts {
		c, call, err := s.open(ctx, id, token)
		if err != nil {
			return CandidacyView{}, err
		}
		if c.Status == CandidacySubmitted {
			return c.View(call, lang, s.now()), nil
		}
		now := s.clock()
		if err := guardDraft(c, call, now); err != nil {
			return CandidacyView{}, err
		}
		if err := incomplete(c, call, now); err != nil {
			return CandidacyView{}, err
		}
		sub, err := s.number(ctx, c, call, now)
		if apperr.Is(err, apperr.Conflict) {
			continue // changed meanwhile (an upload checked, a double click): look again
		}
		if err != nil {
			return CandidacyView{}, fmt.Errorf("submit candidacy %s: %w", id, err)
		}
		s.Log.Info("candidacy submitted", "candidacyId", sub.ID, "callId", call.ID, "sequence", sub.Sequence)
		return sub.View(call, lang, s.now()), nil
	}
	return CandidacyView{}, errStale
}

// submitted is the draft c submitted at now with the reference number seq.
func submitted(c Candidacy, call Call, seq int, now time.Time) Candidacy {
	sc := c
	sc.Status, sc.Sequence, sc.Reference = CandidacySubmitted, seq, FormatReference(call, seq)
	sc.SubmittedAt, sc.UpdatedAt, sc.Version = now, now, c.Version+1
	sc.Documents = slices.Clone(c.Documents)
	for i := range sc.Documents {
		sc.Documents[i].PendingKey = "" // a late upload no longer counts
	}
	return sc
}

// number gives the draft c the next number of its call under the counter's
// lease, records it with its receipt and sends the receipt. It returns
// apperr.Conflict when c changed meanwhile, apperr.Unavailable when the
// counter stayed busy for SubmitWait (or until ctx's deadline).
func (s *Service) number(ctx context.Context, c Candidacy, call Call, now time.Time) (Candidacy, error) {
	owner, err := randomBase32(s.Rand, 16)
	if err != nil {
		return Candidacy{}, err
	}
	// The wait is bounded in wall-clock time: it is the request's budget.
	deadline := time.Now().Add(SubmitWait)
	if d, ok := ctx.Deadline(); ok && d.Add(-time.Second).Before(deadline) {
		deadline = d.Add(-time.Second)
	}
	retries := 0
	for wait := leasePollMin; ; {
		if time.Now().After(deadline) {
			return Candidacy{}, apperr.Wrap(apperr.Unavailable, "", fmt.Errorf("the reference counter of call %s stayed busy", call.ID))
		}
		ctr, err := s.Store.GetCounter(ctx, call.ID)
		if err != nil && !apperr.Is(err, apperr.Unavailable) {
			return Candidacy{}, fmt.Errorf("read the reference counter: %w", err)
		}
		at := s.now()
		// A throttled read (many waiters on one item) counts as busy.
		if err != nil || ctr.Leased(owner, at) {
			if err := sleep(ctx, wait/2+time.Duration(rand.Int64N(int64(wait)))); err != nil {
				return Candidacy{}, apperr.Wrap(apperr.Unavailable, "", err)
			}
			wait = min(wait*2, leasePollMax)
			continue
		}
		err = s.Store.TakeLease(ctx, call.ID, ctr.Seq, owner, at.Add(SubmitLease), at)
		if apperr.Is(err, apperr.Conflict) {
			continue // taken or moved meanwhile: look again
		}
		if err != nil {
			return Candidacy{}, fmt.Errorf("lease the reference counter: %w", err)
		}
		sub := submitted(c, call, ctr.Seq+1, now)
		receipt, err := s.Mailer.Compose(sub.Association.Email, sub.Lang, KindReceiptEmail, sub.ID, newReceiptData(sub, call))
		if err != nil {
			s.release(ctx, call.ID, ctr.Seq, owner)
			return Candidacy{}, err
		}
		err = s.Store.SubmitCandidacy(ctx, sub, c.Version, ctr.Seq, owner, receipt)
		switch {
		case err == nil:
			s.deliver(ctx, receipt)
			return sub, nil
		case errors.Is(err, ErrCounterMoved):
			continue // our lease expired and someone numbered meanwhile
		case apperr.Is(err, apperr.Unavailable) && retries < submitRetries:
			retries++
			continue // the lease is still ours: take it again and retry
		default:
			s.release(ctx, call.ID, ctr.Seq, owner)
			return Candidacy{}, err
		}
	}
}

// release gives the lease back early (best effort: it expires anyway).
func (s *Service) release(ctx context.Context, callID string, seq int, owner string) {
	if err := s.Store.ReleaseLease(context.WithoutCancel(ctx), callID, seq, owner); err != nil {
		s.Log.Warn("reference counter lease not released", "callId", callID, "code", apperr.CodeOf(err))
	}
}

// sleep waits d, or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
