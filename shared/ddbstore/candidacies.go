package ddbstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/outbox"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Lists are omitted when empty: minidyn cannot evaluate an item holding an
// empty list when a transaction on it is cancelled.

// omitEmptyList returns nil for an empty list, which omitempty then leaves
// out (a non-nil empty slice would be stored as an empty list).
func omitEmptyList(v []string) []string {
	if len(v) == 0 {
		return nil
	}
	return v
}

// Candidacy keys: PK CAND#<id>, SK CAND; GSI1 CANDCALL#<callId> /
// <createdAt>#<id>; GSI2 CANDSTATUS#<callId>#<status> / <createdAt>#<id>;
// ByEmail EmailHash of the association's address. A second item, PK
// CAND#<id>, SK CONTACT, carries the representative's EmailHash so that
// ByEmail finds the candidacy from either address. The per-call counter
// of references: PK CALL#<callId>, SK SEQ, attribute seq.

const (
	candSK      = "CAND"
	candContact = "CONTACT"
	seqSK       = "SEQ"
)

type consentAV struct {
	Given         bool   `dynamodbav:"given"`
	At            string `dynamodbav:"at"`
	NoticeVersion string `dynamodbav:"noticeVersion"`
}

type associationAV struct {
	Name               string `dynamodbav:"name"`
	Acronym            string `dynamodbav:"acronym,omitempty"`
	LegalForm          string `dynamodbav:"legalForm,omitempty"`
	RegistrationNumber string `dynamodbav:"registrationNumber,omitempty"`
	YearFounded        int    `dynamodbav:"yearFounded,omitempty"`
	Region             string `dynamodbav:"region,omitempty"`
	City               string `dynamodbav:"city,omitempty"`
	Website            string `dynamodbav:"website,omitempty"`
	Email              string `dynamodbav:"email"`
	Phone              string `dynamodbav:"phone,omitempty"`
}

type representativeAV struct {
	Name  string `dynamodbav:"name"`
	Role  string `dynamodbav:"role,omitempty"`
	Email string `dynamodbav:"email"`
}

type documentAV struct {
	Type       string `dynamodbav:"type"`
	Status     string `dynamodbav:"status"`
	Key        string `dynamodbav:"key,omitempty"`
	PendingKey string `dynamodbav:"pendingKey,omitempty"`
	Size       int64  `dynamodbav:"size,omitempty"`
	SHA256     string `dynamodbav:"sha256,omitempty"`
	Reason     string `dynamodbav:"reason,omitempty"`
	SignedAt   string `dynamodbav:"signedAt,omitempty"`
	CheckedAt  string `dynamodbav:"checkedAt,omitempty"`
}

type candItem struct {
	PK             string           `dynamodbav:"PK"`
	SK             string           `dynamodbav:"SK"`
	GSI1PK         string           `dynamodbav:"GSI1PK"`
	GSI1SK         string           `dynamodbav:"GSI1SK"`
	GSI2PK         string           `dynamodbav:"GSI2PK"`
	GSI2SK         string           `dynamodbav:"GSI2SK"`
	EmailHash      string           `dynamodbav:"EmailHash"`
	Type           string           `dynamodbav:"type"`
	ID             string           `dynamodbav:"id"`
	CallID         string           `dynamodbav:"callId"`
	Reference      string           `dynamodbav:"reference,omitempty"`
	Sequence       int              `dynamodbav:"sequence,omitempty"`
	Status         string           `dynamodbav:"status"`
	Association    associationAV    `dynamodbav:"association"`
	Representative representativeAV `dynamodbav:"representative"`
	ThematicAreas  []string         `dynamodbav:"thematicAreas,omitempty"`
	WorkingGroups  []string         `dynamodbav:"workingGroups,omitempty"`
	Motivation     string           `dynamodbav:"motivation,omitempty"`
	Lang           string           `dynamodbav:"lang"`
	Consent        consentAV        `dynamodbav:"consent"`
	Documents      []documentAV     `dynamodbav:"documents,omitempty"`
	Outcome        string           `dynamodbav:"outcome,omitempty"`
	TokenHash      string           `dynamodbav:"tokenHash"`
	CreatedAt      string           `dynamodbav:"createdAt"`
	UpdatedAt      string           `dynamodbav:"updatedAt"`
	SubmittedAt    string           `dynamodbav:"submittedAt,omitempty"`
	WithdrawnAt    string           `dynamodbav:"withdrawnAt,omitempty"`
	ExpiresAt      int64            `dynamodbav:"expiresAt"`
	Version        int              `dynamodbav:"version"`
}

type contactItem struct {
	PK          string `dynamodbav:"PK"`
	SK          string `dynamodbav:"SK"`
	EmailHash   string `dynamodbav:"EmailHash"`
	Type        string `dynamodbav:"type"`
	CandidacyID string `dynamodbav:"candidacyId"`
	ExpiresAt   int64  `dynamodbav:"expiresAt"`
}

func candKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: joinKey("CAND", id)},
		"SK": &types.AttributeValueMemberS{Value: candSK},
	}
}

func toCandItem(c calls.Candidacy) candItem {
	created := obsTime(c.CreatedAt)
	a, r := c.Association, c.Representative
	it := candItem{
		PK: joinKey("CAND", c.ID), SK: candSK,
		GSI1PK: joinKey("CANDCALL", c.CallID), GSI1SK: created + "#" + c.ID,
		GSI2PK: joinKey("CANDSTATUS", c.CallID, string(c.Status)), GSI2SK: created + "#" + c.ID,
		EmailHash: calls.EmailHash(a.Email),
		Type:      "candidacy", ID: c.ID, CallID: c.CallID, Reference: c.Reference, Sequence: c.Sequence,
		Status: string(c.Status),
		Association: associationAV{
			Name: a.Name, Acronym: a.Acronym, LegalForm: a.LegalForm, RegistrationNumber: a.RegistrationNumber,
			YearFounded: a.YearFounded, Region: a.Region, City: a.City, Website: a.Website, Email: a.Email, Phone: a.Phone,
		},
		Representative: representativeAV{Name: r.Name, Role: r.Role, Email: r.Email},
		ThematicAreas:  omitEmptyList(c.ThematicAreas),
		WorkingGroups:  omitEmptyList(c.WorkingGroups),
		Motivation:     c.Motivation, Lang: string(c.Lang),
		Consent: consentAV{Given: c.Consent.Given, At: obsTime(c.Consent.At), NoticeVersion: c.Consent.NoticeVersion},
		Outcome: string(c.Outcome), TokenHash: c.TokenHash,
		CreatedAt: created, UpdatedAt: obsTime(c.UpdatedAt), SubmittedAt: obsTime(c.SubmittedAt),
		WithdrawnAt: obsTime(c.WithdrawnAt), ExpiresAt: c.ExpiresAt.Unix(), Version: c.Version,
	}
	for _, d := range c.Documents {
		it.Documents = append(it.Documents, documentAV{
			Type: d.Type, Status: string(d.Status), Key: d.Key, PendingKey: d.PendingKey, Size: d.Size,
			SHA256: d.SHA256, Reason: d.Reason, SignedAt: obsTime(d.SignedAt), CheckedAt: obsTime(d.CheckedAt),
		})
	}
	return it
}

func (it candItem) candidacy() calls.Candidacy {
	lang, _ := i18n.Parse(it.Lang)
	a, r := it.Association, it.Representative
	c := calls.Candidacy{
		ID: it.ID, CallID: it.CallID, Reference: it.Reference, Sequence: it.Sequence,
		Status: calls.CandidacyStatus(it.Status),
		Association: calls.Association{
			Name: a.Name, Acronym: a.Acronym, LegalForm: a.LegalForm, RegistrationNumber: a.RegistrationNumber,
			YearFounded: a.YearFounded, Region: a.Region, City: a.City, Website: a.Website, Email: a.Email, Phone: a.Phone,
		},
		Representative: calls.Representative{Name: r.Name, Role: r.Role, Email: r.Email},
		ThematicAreas:  it.ThematicAreas, WorkingGroups: it.WorkingGroups, Motivation: it.Motivation, Lang: lang,
		Consent: calls.Consent{Given: it.Consent.Given, At: parseObsTime(it.Consent.At), NoticeVersion: it.Consent.NoticeVersion},
		Outcome: calls.Outcome(it.Outcome), TokenHash: it.TokenHash,
		CreatedAt: parseObsTime(it.CreatedAt), UpdatedAt: parseObsTime(it.UpdatedAt),
		SubmittedAt: parseObsTime(it.SubmittedAt), WithdrawnAt: parseObsTime(it.WithdrawnAt),
		ExpiresAt: time.Unix(it.ExpiresAt, 0).UTC(), Version: it.Version,
	}
	for _, d := range it.Documents {
		c.Documents = append(c.Documents, calls.Document{
			Type: d.Type, Status: calls.DocumentStatus(d.Status), Key: d.Key, PendingKey: d.PendingKey, Size: d.Size,
			SHA256: d.SHA256, Reason: d.Reason, SignedAt: parseObsTime(d.SignedAt), CheckedAt: parseObsTime(d.CheckedAt),
		})
	}
	return c
}

// candidacyPuts returns the transaction items that write c (conditioned by
// cond, with values vals) and its contact item.
func (s *Calls) candidacyPuts(c calls.Candidacy, cond string, names map[string]string, vals map[string]types.AttributeValue) ([]types.TransactWriteItem, error) {
	av, err := attributevalue.MarshalMap(toCandItem(c))
	if err != nil {
		return nil, fmt.Errorf("marshal candidacy %s: %w", c.ID, err)
	}
	contact, err := attributevalue.MarshalMap(contactItem{
		PK: joinKey("CAND", c.ID), SK: candContact, EmailHash: calls.EmailHash(c.Representative.Email),
		Type: "candidacy-contact", CandidacyID: c.ID, ExpiresAt: c.ExpiresAt.Unix(),
	})
	if err != nil {
		return nil, fmt.Errorf("marshal candidacy contact %s: %w", c.ID, err)
	}
	put := &types.Put{TableName: aws.String(s.Name), Item: av, ConditionExpression: aws.String(cond)}
	if len(names) > 0 {
		put.ExpressionAttributeNames = names
	}
	if len(vals) > 0 {
		put.ExpressionAttributeValues = vals
	}
	return []types.TransactWriteItem{{Put: put}, {Put: &types.Put{TableName: aws.String(s.Name), Item: contact}}}, nil
}

// CreateCandidacy implements calls.CandidacyStore: candidacy, contact,
// email and idempotency record (if any) in one transaction.
func (s *Calls) CreateCandidacy(ctx context.Context, c calls.Candidacy, email outbox.Email, rec *idempotency.Record) error {
	items, err := s.candidacyPuts(c, "attribute_not_exists(PK)", nil, nil)
	if err != nil {
		return err
	}
	put, err := outboxPut(s.Name, email)
	if err != nil {
		return err
	}
	items = append(items, put)
	idemAt := -1
	if rec != nil {
		put, err := idempotencyPut(s.Name, *rec, s.now())
		if err != nil {
			return err
		}
		idemAt = len(items)
		items = append(items, put)
	}
	err = s.transactWithRetry(ctx, "create candidacy", items)
	if ok, idx := conditionFailed(err); ok {
		if slices.Contains(idx, idemAt) {
			return fmt.Errorf("create candidacy %s: %w", c.ID, idempotency.ErrRecorded)
		}
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("create candidacy %s: id taken", c.ID))
	}
	return classify("create candidacy "+c.ID, err)
}

// GetCandidacy implements calls.CandidacyStore with a strongly consistent
// read (the upload check must see the pending upload just signed).
func (s *Calls) GetCandidacy(ctx context.Context, id string) (calls.Candidacy, error) {
	var it candItem
	if err := s.getItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Name), Key: candKey(id), ConsistentRead: aws.Bool(true)}, "candidacy "+id, &it); err != nil {
		return calls.Candidacy{}, err
	}
	return it.candidacy(), nil
}

// ListCandidacies implements calls.CandidacyStore: GSI1 CANDCALL#<callId>,
// or GSI2 CANDSTATUS#<callId>#<status>, newest first.
func (s *Calls) ListCandidacies(ctx context.Context, callID string, status calls.CandidacyStatus, limit int, cursor string) ([]calls.Candidacy, string, error) {
	index, pkAttr, skAttr, pk := IndexGSI1, "GSI1PK", "GSI1SK", joinKey("CANDCALL", callID)
	if status != "" {
		index, pkAttr, skAttr, pk = IndexGSI2, "GSI2PK", "GSI2SK", joinKey("CANDSTATUS", callID, string(status))
	}
	page, next, err := s.indexPage(ctx, "list candidacies", index, pkAttr, skAttr, pk, false, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	items, err := decodeAll(page, "candidacy", candItem.candidacy)
	if err != nil {
		return nil, "", err
	}
	return items, next, nil
}

func versionCond(prev int) (string, map[string]string, map[string]types.AttributeValue) {
	return "attribute_exists(PK) AND #v = :prev", map[string]string{"#v": "version"},
		map[string]types.AttributeValue{":prev": &types.AttributeValueMemberN{Value: strconv.Itoa(prev)}}
}

// UpdateCandidacy implements calls.CandidacyStore: a put conditioned on
// the version (so the status index keys move with the status), the
// contact item and the email in one transaction.
func (s *Calls) UpdateCandidacy(ctx context.Context, c calls.Candidacy, prevVersion int, email *outbox.Email) error {
	cond, names, vals := versionCond(prevVersion)
	items, err := s.candidacyPuts(c, cond, names, vals)
	if err != nil {
		return err
	}
	if email != nil {
		put, err := outboxPut(s.Name, *email)
		if err != nil {
			return err
		}
		items = append(items, put)
	}
	err = s.transactWithRetry(ctx, "update candidacy", items)
	if ok, _ := conditionFailed(err); ok {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("update candidacy %s: version %d is stale", c.ID, prevVersion))
	}
	return classify("update candidacy "+c.ID, err)
}

// submitTransactions counts the submission transactions attempted (all
// calls), to measure the cost of contention (SubmitTransactions).
var submitTransactions atomic.Int64

// SubmitTransactions returns how many submission transactions this process
// attempted so far: with k submissions, the excess over k is the cost of
// their contention.
func SubmitTransactions() int64 { return submitTransactions.Load() }

// errCounterMoved: another submission took the number; read it again.
var errCounterMoved = errors.New("reference counter moved")

// Contention control. A transaction that loses the race for the next
// number costs as much as one that wins (and minidyn runs transactions one
// at a time), so contenders first take a short lease on the call's counter
// with a cheap conditional put, and only the holder runs the transaction.
// The lease is only an optimisation: the transaction's condition on the
// counter's value is what makes numbers unique and gapless, and a holder
// that dies just lets its lease expire.
const (
	submitLease     = 3 * time.Second
	submitDeadline  = 60 * time.Second // gives up (Unavailable) after this long
	leasePollMin    = 1 * time.Millisecond
	leasePollMax    = 20 * time.Millisecond
	maxSubmitErrors = 20 // transaction conflicts tolerated in one submission
)

// counterItem is the call's reference counter, with the lease when taken.
type counterItem struct {
	PK         string `dynamodbav:"PK"`
	SK         string `dynamodbav:"SK"`
	Type       string `dynamodbav:"type"`
	Seq        int    `dynamodbav:"seq"`
	LeaseOwner string `dynamodbav:"leaseOwner,omitempty"`
	LeaseUntil int64  `dynamodbav:"leaseUntil,omitempty"` // Unix milliseconds
}

func counterKey(callID string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: joinKey("CALL", callID)},
		"SK": &types.AttributeValueMemberS{Value: seqSK},
	}
}

// SubmitCandidacy implements calls.CandidacyStore.
func (s *Calls) SubmitCandidacy(ctx context.Context, callID string, prevVersion int, build func(seq int) (calls.Candidacy, outbox.Email, error)) (calls.Candidacy, error) {
	owner := fmt.Sprintf("%016x", rand.Uint64())
	deadline := time.Now().Add(submitDeadline)
	conflicts := 0
	for wait := leasePollMin; ; {
		if time.Now().After(deadline) {
			return calls.Candidacy{}, apperr.Wrap(apperr.Unavailable, "", fmt.Errorf("submit to call %s: the reference counter stayed busy", callID))
		}
		ctr, err := s.counter(ctx, callID)
		if err != nil && !apperr.Is(err, apperr.Unavailable) {
			return calls.Candidacy{}, err
		}
		now := s.now().UnixMilli()
		// A throttled read (many waiters on one item) counts as busy.
		if err != nil || (ctr.LeaseOwner != "" && ctr.LeaseOwner != owner && ctr.LeaseUntil > now) {
			// Someone is numbering: poll again soon (a cheap read).
			select {
			case <-ctx.Done():
				return calls.Candidacy{}, classify("submit candidacy", ctx.Err())
			case <-time.After(wait/2 + time.Duration(rand.Int64N(int64(wait)))):
			}
			wait = min(wait*2, leasePollMax)
			continue
		}
		if ok, err := s.takeLease(ctx, callID, ctr.Seq, owner, now); err != nil {
			return calls.Candidacy{}, err
		} else if !ok {
			continue // taken or moved meanwhile: look again
		}
		c, email, err := build(ctr.Seq + 1)
		if err != nil {
			s.releaseLease(ctx, callID, ctr.Seq, owner)
			return calls.Candidacy{}, err
		}
		submitTransactions.Add(1)
		err = s.submitOnce(ctx, c, prevVersion, ctr.Seq, owner, email)
		switch {
		case err == nil:
			return c, nil
		case errors.Is(err, errCounterMoved):
			continue // our lease expired and someone numbered meanwhile
		case transactionConflict(err) && conflicts < maxSubmitErrors:
			conflicts++
			continue
		default:
			s.releaseLease(ctx, callID, ctr.Seq, owner)
			return calls.Candidacy{}, err
		}
	}
}

// counter reads the call's counter (zero value when no number was given yet).
func (s *Calls) counter(ctx context.Context, callID string) (counterItem, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Name), ConsistentRead: aws.Bool(true), Key: counterKey(callID)})
	if err != nil {
		return counterItem{}, classify("read reference counter of call "+callID, err)
	}
	var it counterItem
	if err := attributevalue.UnmarshalMap(out.Item, &it); err != nil {
		return counterItem{}, fmt.Errorf("unmarshal reference counter of call %s: %w", callID, err)
	}
	return it, nil
}

// counterPut writes the counter at seq with owner's lease (none if owner is "").
func (s *Calls) counterPut(callID string, seq int, owner string, until int64) (*types.Put, error) {
	av, err := attributevalue.MarshalMap(counterItem{PK: joinKey("CALL", callID), SK: seqSK, Type: "call-sequence", Seq: seq, LeaseOwner: owner, LeaseUntil: until})
	if err != nil {
		return nil, fmt.Errorf("marshal counter: %w", err)
	}
	return &types.Put{TableName: aws.String(s.Name), Item: av}, nil
}

// takeLease leases the counter, still at seq and free (or expired), to owner.
func (s *Calls) takeLease(ctx context.Context, callID string, seq int, owner string, now int64) (bool, error) {
	put, err := s.counterPut(callID, seq, owner, now+submitLease.Milliseconds())
	if err != nil {
		return false, err
	}
	put.ExpressionAttributeValues = map[string]types.AttributeValue{
		":now": &types.AttributeValueMemberN{Value: strconv.FormatInt(now, 10)},
		":me":  &types.AttributeValueMemberS{Value: owner},
	}
	if seq == 0 {
		put.ConditionExpression = aws.String("attribute_not_exists(PK) OR (seq = :zero AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :me))")
		put.ExpressionAttributeValues[":zero"] = &types.AttributeValueMemberN{Value: "0"}
	} else {
		put.ConditionExpression = aws.String("seq = :n AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now OR leaseOwner = :me)")
		put.ExpressionAttributeValues[":n"] = &types.AttributeValueMemberN{Value: strconv.Itoa(seq)}
	}
	_, err = s.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: put.TableName, Item: put.Item, ConditionExpression: put.ConditionExpression,
		ExpressionAttributeValues: put.ExpressionAttributeValues,
	})
	if ok, _ := conditionFailed(err); ok {
		return false, nil
	}
	if err != nil {
		return false, classify("lease reference counter of call "+callID, err)
	}
	return true, nil
}

// releaseLease gives the lease back early (best effort: it expires anyway).
func (s *Calls) releaseLease(ctx context.Context, callID string, seq int, owner string) {
	put, err := s.counterPut(callID, seq, "", 0)
	if err != nil {
		return
	}
	_, _ = s.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: put.TableName, Item: put.Item, ConditionExpression: aws.String("seq = :n AND leaseOwner = :me"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":n":  &types.AttributeValueMemberN{Value: strconv.Itoa(seq)},
			":me": &types.AttributeValueMemberS{Value: owner},
		},
	})
}

// submitOnce writes, in one transaction, the submitted candidacy (still a
// draft at prevVersion), the counter moved from n to c.Sequence without
// lease (conditioned on n and on owner's lease) and the receipt.
func (s *Calls) submitOnce(ctx context.Context, c calls.Candidacy, prevVersion, n int, owner string, email outbox.Email) error {
	cond, names, vals := versionCond(prevVersion)
	items, err := s.candidacyPuts(c, cond+" AND #st = :draft", map[string]string{"#v": names["#v"], "#st": "status"},
		map[string]types.AttributeValue{":prev": vals[":prev"], ":draft": &types.AttributeValueMemberS{Value: string(calls.CandidacyDraft)}})
	if err != nil {
		return err
	}
	counterPut, err := s.counterPut(c.CallID, c.Sequence, "", 0)
	if err != nil {
		return err
	}
	counterPut.ConditionExpression = aws.String("seq = :n AND leaseOwner = :me")
	counterPut.ExpressionAttributeValues = map[string]types.AttributeValue{
		":n":  &types.AttributeValueMemberN{Value: strconv.Itoa(n)},
		":me": &types.AttributeValueMemberS{Value: owner},
	}
	receipt, err := outboxPut(s.Name, email)
	if err != nil {
		return err
	}
	items = slices.Insert(items, 1, types.TransactWriteItem{Put: counterPut})
	_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: append(items, receipt)})
	if err == nil {
		return nil
	}
	if ok, idx := conditionFailed(err); ok {
		if slices.Contains(idx, 0) {
			return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("submit candidacy %s: changed meanwhile", c.ID))
		}
		if slices.Contains(idx, 1) {
			return errCounterMoved
		}
		return classify("submit candidacy "+c.ID, err)
	}
	if transactionConflict(err) {
		return err
	}
	return classify("submit candidacy "+c.ID, err)
}
