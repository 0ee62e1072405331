package ddbstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/events"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/outbox"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Event keys: PK EVENT#<id>, SK EVENT; GSI1 EVENTPUB / <startsAt>#<id>
// (published and cancelled events); GSI2 EVENTALL / <createdAt>#<id>.
// Registration keys: PK REG#<id>, SK REG; GSI1 EVREG#<event>#<status> /
// <position, 10 digits> (waitlisted) or <createdAt>#<id>; GSI2 EVCODE#<event>
// / <code>; ByEmail EmailHash. One registration per address and event: PK
// EVENT#<id>, SK EMAIL#<sha256(email)>. Exports: PK EVENT#<id>, SK
// EXPORT#<at>#<id>.

// Events is the events.Store of the table.
type Events struct{ *Store }

var _ events.Store = (*Events)(nil)

// Events returns the store's events view.
func (s *Store) Events() *Events { return &Events{Store: s} }

const (
	eventSK          = "EVENT"
	eventPubPK       = "EVENTPUB"
	eventAllPK       = "EVENTALL"
	regSK            = "REG"
	eventsTimeLayout = time.RFC3339
	positionFmt      = "%010d"
)

type eventItem struct {
	PK                   string `dynamodbav:"PK"`
	SK                   string `dynamodbav:"SK"`
	GSI1PK               string `dynamodbav:"GSI1PK,omitempty"`
	GSI1SK               string `dynamodbav:"GSI1SK,omitempty"`
	GSI2PK               string `dynamodbav:"GSI2PK"`
	GSI2SK               string `dynamodbav:"GSI2SK"`
	Type                 string `dynamodbav:"type"`
	ID                   string `dynamodbav:"id"`
	Kind                 string `dynamodbav:"kind"`
	TitleFR              string `dynamodbav:"titleFr"`
	TitleAR              string `dynamodbav:"titleAr"`
	DescriptionFR        string `dynamodbav:"descriptionFr"`
	DescriptionAR        string `dynamodbav:"descriptionAr"`
	StartsAt             string `dynamodbav:"startsAt"`
	EndsAt               string `dynamodbav:"endsAt"`
	Venue                string `dynamodbav:"venue"` // JSON, "" for none
	Online               bool   `dynamodbav:"online"`
	OnlineURL            string `dynamodbav:"onlineUrl"`
	Capacity             int    `dynamodbav:"capacity"`
	WaitlistSize         int    `dynamodbav:"waitlistSize"`
	RegistrationOpensAt  string `dynamodbav:"registrationOpensAt"`
	RegistrationClosesAt string `dynamodbav:"registrationClosesAt"`
	Questions            string `dynamodbav:"questions"` // JSON
	ReminderHours        int    `dynamodbav:"reminderHours"`
	Status               string `dynamodbav:"status"`
	Confirmed            int    `dynamodbav:"confirmed"`
	Waitlisted           int    `dynamodbav:"waitlisted"`
	WaitlistSeq          int    `dynamodbav:"waitlistSeq"`
	Attended             int    `dynamodbav:"attended"`
	Sequence             int    `dynamodbav:"sequence"`
	CreatedAt            string `dynamodbav:"createdAt"`
	UpdatedAt            string `dynamodbav:"updatedAt"`
	PublishedAt          string `dynamodbav:"publishedAt"`
	CancelledAt          string `dynamodbav:"cancelledAt"`
	Version              int    `dynamodbav:"version"`
}

func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(eventsTimeLayout)
}

func parseTS(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, _ := time.Parse(eventsTimeLayout, s)
	return t.UTC()
}

func eventKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: joinKey("EVENT", id)},
		"SK": &types.AttributeValueMemberS{Value: eventSK},
	}
}

func toEventItem(e events.Event) (eventItem, error) {
	q, err := json.Marshal(e.Questions)
	if err != nil {
		return eventItem{}, err
	}
	venue := ""
	if e.Venue != nil {
		b, err := json.Marshal(e.Venue)
		if err != nil {
			return eventItem{}, err
		}
		venue = string(b)
	}
	it := eventItem{
		PK: joinKey("EVENT", e.ID), SK: eventSK,
		GSI2PK: eventAllPK, GSI2SK: ts(e.CreatedAt) + "#" + e.ID,
		Type: "event", ID: e.ID, Kind: e.Kind, TitleFR: e.Title.FR, TitleAR: e.Title.AR,
		DescriptionFR: e.Description.FR, DescriptionAR: e.Description.AR,
		StartsAt: ts(e.StartsAt), EndsAt: ts(e.EndsAt), Venue: venue, Online: e.Online, OnlineURL: e.OnlineURL,
		Capacity: e.Capacity, WaitlistSize: e.WaitlistSize,
		RegistrationOpensAt: ts(e.RegistrationOpensAt), RegistrationClosesAt: ts(e.RegistrationClosesAt),
		Questions: string(q), ReminderHours: e.ReminderHours, Status: string(e.Status),
		Confirmed: e.Confirmed, Waitlisted: e.Waitlisted, WaitlistSeq: e.WaitlistSeq, Attended: e.Attended,
		Sequence: e.Sequence, CreatedAt: ts(e.CreatedAt), UpdatedAt: ts(e.UpdatedAt),
		PublishedAt: ts(e.PublishedAt), CancelledAt: ts(e.CancelledAt), Version: e.Version,
	}
	if e.Status != events.Draft {
		it.GSI1PK, it.GSI1SK = eventPubPK, ts(e.StartsAt)+"#"+e.ID
	}
	return it, nil
}

func (it eventItem) event() (events.Event, error) {
	e := events.Event{
		ID: it.ID, Kind: it.Kind, Title: events.Localized{FR: it.TitleFR, AR: it.TitleAR},
		Description: events.Localized{FR: it.DescriptionFR, AR: it.DescriptionAR},
		StartsAt:    parseTS(it.StartsAt), EndsAt: parseTS(it.EndsAt), Online: it.Online, OnlineURL: it.OnlineURL,
		Capacity: it.Capacity, WaitlistSize: it.WaitlistSize,
		RegistrationOpensAt: parseTS(it.RegistrationOpensAt), RegistrationClosesAt: parseTS(it.RegistrationClosesAt),
		ReminderHours: it.ReminderHours, Status: events.Status(it.Status),
		Confirmed: it.Confirmed, Waitlisted: it.Waitlisted, WaitlistSeq: it.WaitlistSeq, Attended: it.Attended,
		Sequence: it.Sequence, CreatedAt: parseTS(it.CreatedAt), UpdatedAt: parseTS(it.UpdatedAt),
		PublishedAt: parseTS(it.PublishedAt), CancelledAt: parseTS(it.CancelledAt), Version: it.Version,
	}
	if it.Questions != "" && it.Questions != "null" {
		if err := json.Unmarshal([]byte(it.Questions), &e.Questions); err != nil {
			return events.Event{}, fmt.Errorf("event %s questions: %w", it.ID, err)
		}
	}
	if it.Venue != "" {
		var v events.Venue
		if err := json.Unmarshal([]byte(it.Venue), &v); err != nil {
			return events.Event{}, fmt.Errorf("event %s venue: %w", it.ID, err)
		}
		e.Venue = &v
	}
	return e, nil
}

// CreateEvent implements events.Store.
func (s *Events) CreateEvent(ctx context.Context, e events.Event) error {
	it, err := toEventItem(e)
	if err != nil {
		return fmt.Errorf("marshal event %s: %w", e.ID, err)
	}
	av, err := attributevalue.MarshalMap(it)
	if err != nil {
		return fmt.Errorf("marshal event %s: %w", e.ID, err)
	}
	_, err = s.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(s.Name), Item: av, ConditionExpression: aws.String("attribute_not_exists(PK)"),
	})
	if ok, _ := conditionFailed(err); ok {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("create event %s: id taken", e.ID))
	}
	return classify("create event "+e.ID, err)
}

// GetEvent implements events.Store.
func (s *Events) GetEvent(ctx context.Context, id string) (events.Event, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Name), Key: eventKey(id), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return events.Event{}, classify("get event "+id, err)
	}
	if len(out.Item) == 0 {
		return events.Event{}, apperr.Wrap(apperr.NotFound, "", fmt.Errorf("event %s: not found", id))
	}
	return decodeEvent(out.Item)
}

func decodeEvent(av map[string]types.AttributeValue) (events.Event, error) {
	var it eventItem
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return events.Event{}, fmt.Errorf("unmarshal event: %w", err)
	}
	return it.event()
}

// UpdateEvent implements events.Store. It rewrites the whole item with a
// conditional Put (minidyn mishandles an UpdateItem that changes index
// keys, as publishing does), conditioned on the version and on the counters
// being what e was read with, so a registration in between makes it retry
// rather than lose a seat.
func (s *Events) UpdateEvent(ctx context.Context, e events.Event, prevVersion int) error {
	it, err := toEventItem(e)
	if err != nil {
		return fmt.Errorf("marshal event %s: %w", e.ID, err)
	}
	av, err := attributevalue.MarshalMap(it)
	if err != nil {
		return fmt.Errorf("marshal event %s: %w", e.ID, err)
	}
	names := counterNames()
	names["#version"], names["#attended"] = "version", "attended"
	delete(names, "#status")
	delete(names, "#capacity")
	delete(names, "#waitlistSize")
	_, err = s.DB.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(s.Name), Item: av,
		ConditionExpression:      aws.String("attribute_exists(PK) AND #version = :prev AND #confirmed = :c AND #waitlisted = :w AND #waitlistSeq = :s AND #attended = :a AND #confirmed <= :cap"),
		ExpressionAttributeNames: names,
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":prev": n(prevVersion), ":c": n(e.Confirmed), ":w": n(e.Waitlisted), ":s": n(e.WaitlistSeq), ":a": n(e.Attended), ":cap": n(e.Capacity),
		},
	})
	if ok, _ := conditionFailed(err); ok {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("update event %s: version %d or counters are stale", e.ID, prevVersion))
	}
	return classify("update event "+e.ID, err)
}

// ListPublishedEvents implements events.Store (GSI1 EVENTPUB).
func (s *Events) ListPublishedEvents(ctx context.Context, from time.Time, limit int, cursor string) ([]events.Event, string, error) {
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.Name), IndexName: aws.String(IndexGSI1),
		KeyConditionExpression:    aws.String("GSI1PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: eventPubPK}},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(limit)),
	}
	if !from.IsZero() {
		in.KeyConditionExpression = aws.String("GSI1PK = :pk AND GSI1SK >= :from")
		in.ExpressionAttributeValues[":from"] = &types.AttributeValueMemberS{Value: ts(from)}
		in.ScanIndexForward = aws.Bool(true)
	}
	return s.queryEvents(ctx, in, cursor, "GSI1PK", "GSI1SK", eventPubPK)
}

// ListEvents implements events.Store (GSI2 EVENTALL, newest first).
func (s *Events) ListEvents(ctx context.Context, limit int, cursor string) ([]events.Event, string, error) {
	return s.queryEvents(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.Name), IndexName: aws.String(IndexGSI2),
		KeyConditionExpression:    aws.String("GSI2PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: eventAllPK}},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(limit)),
	}, cursor, "GSI2PK", "GSI2SK", eventAllPK)
}

func (s *Events) queryEvents(ctx context.Context, in *dynamodb.QueryInput, cursor, pkAttr, skAttr, pk string) ([]events.Event, string, error) {
	start, err := decodeCursor(cursor, []string{"PK", "SK", pkAttr, skAttr}, pkAttr, pk)
	if err != nil {
		return nil, "", err
	}
	in.ExclusiveStartKey = start
	out, err := s.DB.Query(ctx, in)
	if err != nil {
		return nil, "", classify("list events", err)
	}
	items := make([]events.Event, 0, len(out.Items))
	for _, av := range out.Items {
		e, err := decodeEvent(av)
		if err != nil {
			return nil, "", err
		}
		items = append(items, e)
	}
	return items, encodeCursorLegacy(out.LastEvaluatedKey), nil
}

// ---------------------------------------------------------------- registrations

type regItem struct {
	PK                    string              `dynamodbav:"PK"`
	SK                    string              `dynamodbav:"SK"`
	GSI1PK                string              `dynamodbav:"GSI1PK"`
	GSI1SK                string              `dynamodbav:"GSI1SK"`
	GSI2PK                string              `dynamodbav:"GSI2PK"`
	GSI2SK                string              `dynamodbav:"GSI2SK"`
	EmailHash             string              `dynamodbav:"EmailHash"`
	Type                  string              `dynamodbav:"type"`
	ID                    string              `dynamodbav:"id"`
	EventID               string              `dynamodbav:"eventId"`
	Status                string              `dynamodbav:"status"`
	Position              int                 `dynamodbav:"position"`
	Code                  string              `dynamodbav:"code"`
	FullName              string              `dynamodbav:"fullName"`
	Email                 string              `dynamodbav:"email"`
	Organisation          string              `dynamodbav:"organisation,omitempty"`
	Phone                 string              `dynamodbav:"phone,omitempty"`
	Answers               map[string][]string `dynamodbav:"answers,omitempty"`
	Lang                  string              `dynamodbav:"lang"`
	Consent               obsConsent          `dynamodbav:"consent"`
	TokenHash             string              `dynamodbav:"tokenHash"`
	CreatedAt             string              `dynamodbav:"createdAt"`
	UpdatedAt             string              `dynamodbav:"updatedAt"`
	ConfirmedAt           string              `dynamodbav:"confirmedAt,omitempty"`
	CancelledAt           string              `dynamodbav:"cancelledAt,omitempty"`
	CheckedInAt           string              `dynamodbav:"checkedInAt,omitempty"`
	RemindedAt            string              `dynamodbav:"remindedAt,omitempty"`
	EventCancelNotifiedAt string              `dynamodbav:"eventCancelNotifiedAt,omitempty"`
	LinkResentAt          string              `dynamodbav:"linkResentAt,omitempty"`
	ExpiresAt             int64               `dynamodbav:"expiresAt"`
	Version               int                 `dynamodbav:"version"`
}

func regKey(id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"PK": &types.AttributeValueMemberS{Value: joinKey("REG", id)},
		"SK": &types.AttributeValueMemberS{Value: regSK},
	}
}

func regStatusPK(eventID string, st events.RegStatus) string {
	return joinKey("EVREG", eventID, string(st))
}

func toRegItem(r events.Registration) regItem {
	sk := ts(r.CreatedAt) + "#" + r.ID
	if r.Status == events.Waitlisted {
		sk = fmt.Sprintf(positionFmt, r.Position)
	}
	// No answers: no attribute. An empty map would be stored as an empty M,
	// which minidyn's copy of the table (taken by every transaction and put
	// back when one fails) turns into an untyped value that fails every
	// later expression evaluated on the item.
	answers := r.Answers
	if len(answers) == 0 {
		answers = nil
	}
	return regItem{
		PK: joinKey("REG", r.ID), SK: regSK,
		GSI1PK: regStatusPK(r.EventID, r.Status), GSI1SK: sk,
		GSI2PK: joinKey("EVCODE", r.EventID), GSI2SK: r.Code,
		EmailHash: events.EmailHash(r.Email), Type: "registration",
		ID: r.ID, EventID: r.EventID, Status: string(r.Status), Position: r.Position, Code: r.Code,
		FullName: r.FullName, Email: r.Email, Organisation: r.Organisation, Phone: r.Phone, Answers: answers,
		Lang:      string(r.Lang),
		Consent:   obsConsent{Given: r.Consent.Given, At: ts(r.Consent.At), NoticeVersion: r.Consent.NoticeVersion},
		TokenHash: r.TokenHash, CreatedAt: ts(r.CreatedAt), UpdatedAt: ts(r.UpdatedAt),
		ConfirmedAt: ts(r.ConfirmedAt), CancelledAt: ts(r.CancelledAt), CheckedInAt: ts(r.CheckedInAt),
		RemindedAt: ts(r.RemindedAt), EventCancelNotifiedAt: ts(r.EventCancelNotifiedAt), LinkResentAt: ts(r.LinkResentAt),
		ExpiresAt: r.ExpiresAt.Unix(), Version: r.Version,
	}
}

func (it regItem) registration() events.Registration {
	lang, _ := i18n.Parse(it.Lang)
	return events.Registration{
		ID: it.ID, EventID: it.EventID, Status: events.RegStatus(it.Status), Position: it.Position, Code: it.Code,
		FullName: it.FullName, Email: it.Email, Organisation: it.Organisation, Phone: it.Phone, Answers: it.Answers,
		Lang:      lang,
		Consent:   events.Consent{Given: it.Consent.Given, At: parseTS(it.Consent.At), NoticeVersion: it.Consent.NoticeVersion},
		TokenHash: it.TokenHash, CreatedAt: parseTS(it.CreatedAt), UpdatedAt: parseTS(it.UpdatedAt),
		ConfirmedAt: parseTS(it.ConfirmedAt), CancelledAt: parseTS(it.CancelledAt), CheckedInAt: parseTS(it.CheckedInAt),
		RemindedAt: parseTS(it.RemindedAt), EventCancelNotifiedAt: parseTS(it.EventCancelNotifiedAt), LinkResentAt: parseTS(it.LinkResentAt),
		ExpiresAt: time.Unix(it.ExpiresAt, 0).UTC(), Version: it.Version,
	}
}

func decodeReg(av map[string]types.AttributeValue) (events.Registration, error) {
	var it regItem
	if err := attributevalue.UnmarshalMap(av, &it); err != nil {
		return events.Registration{}, fmt.Errorf("unmarshal registration: %w", err)
	}
	return it.registration(), nil
}

func n(i int) types.AttributeValue      { return &types.AttributeValueMemberN{Value: strconv.Itoa(i)} }
func str(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

// regPut is the conditional put of a registration's new state: new
// (attribute_not_exists), or replacing version prev.
func (s *Events) regPut(r events.Registration, prev int) (types.TransactWriteItem, error) {
	av, err := attributevalue.MarshalMap(toRegItem(r))
	if err != nil {
		return types.TransactWriteItem{}, fmt.Errorf("marshal registration %s: %w", r.ID, err)
	}
	p := &types.Put{TableName: aws.String(s.Name), Item: av, ConditionExpression: aws.String("attribute_not_exists(PK)")}
	if prev > 0 {
		p.ConditionExpression = aws.String("version = :prev")
		p.ExpressionAttributeValues = map[string]types.AttributeValue{":prev": n(prev)}
	}
	return types.TransactWriteItem{Put: p}, nil
}

func emailLockKey(eventID, emailHash string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"PK": str(joinKey("EVENT", eventID)), "SK": str(joinKey("EMAIL", emailHash))}
}

// clientToken derives the transaction's ClientRequestToken from the
// idempotency key and the attempt's content, so that an SDK-level retry of
// the very same call is answered idempotently by DynamoDB.
func legacyClientToken(rec *idempotency.Record, regID string) *string {
	if rec == nil {
		return nil
	}
	sum := sha256.Sum256([]byte(rec.Scope + "#" + rec.KeyHash + "#" + regID))
	return aws.String(hex.EncodeToString(sum[:])[:36])
}

// Register implements events.Store: event counter update, registration,
// email lock, outbox email and idempotency record in one TransactWriteItems.
func (s *Events) Register(ctx context.Context, op events.Registering) error {
	r := op.Registration
	upd := &types.Update{TableName: aws.String(s.Name), Key: eventKey(r.EventID), ExpressionAttributeNames: counterNames()}
	if op.Seat {
		upd.UpdateExpression = aws.String("SET #confirmed = #confirmed + :one")
		upd.ConditionExpression = aws.String("#status = :pub AND #confirmed < #capacity")
		upd.ExpressionAttributeValues = map[string]types.AttributeValue{":one": n(1), ":pub": str(string(events.Published))}
	} else {
		upd.UpdateExpression = aws.String("SET #waitlisted = #waitlisted + :one, #waitlistSeq = :next")
		upd.ConditionExpression = aws.String("#status = :pub AND #confirmed >= #capacity AND #waitlistSeq = :seq AND #waitlisted < #waitlistSize")
		upd.ExpressionAttributeValues = map[string]types.AttributeValue{
			":one": n(1), ":pub": str(string(events.Published)), ":seq": n(op.ReadWaitlistSeq), ":next": n(r.Position),
		}
	}
	reg, err := s.regPut(r, 0)
	if err != nil {
		return err
	}
	hash := events.EmailHash(r.Email)
	lock := emailLockKey(r.EventID, hash)
	lock["type"] = str("event-email")
	lock["registrationId"] = str(r.ID)
	lock["expiresAt"] = &types.AttributeValueMemberN{Value: strconv.FormatInt(r.ExpiresAt.Unix(), 10)}
	email, err := outboxPut(s.Name, op.Email)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{
		{Update: upd},
		reg,
		{Put: &types.Put{TableName: aws.String(s.Name), Item: lock, ConditionExpression: aws.String("attribute_not_exists(PK)")}},
		email,
	}
	if op.Idempotency != nil {
		put, err := idempotencyPut(s.Name, *op.Idempotency, s.now())
		if err != nil {
			return err
		}
		items = append(items, put)
	}
	upd.ExpressionAttributeNames = pick(upd.ExpressionAttributeNames, upd)
	err = s.transactRetry(ctx, "register", items, legacyClientToken(op.Idempotency, r.ID))
	if err == nil {
		return nil
	}
	if ok, idx := conditionFailed(err); ok {
		failed := map[int]bool{}
		for _, i := range idx {
			failed[i] = true
		}
		switch {
		case failed[4]:
			return fmt.Errorf("register %s: %w", r.ID, idempotency.ErrRecorded)
		case failed[2]:
			return fmt.Errorf("register for %s: %w", r.EventID, events.ErrDuplicate)
		case failed[0]:
			return fmt.Errorf("register for %s: %w", r.EventID, events.ErrStale)
		}
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("register %s: id taken", r.ID))
	}
	var mismatch *types.IdempotentParameterMismatchException
	if errors.As(err, &mismatch) {
		return fmt.Errorf("register %s: %w", r.ID, idempotency.ErrRecorded)
	}
	return classify("register for "+r.EventID, err)
}

// transactRetry is transactWithRetry with a ClientRequestToken.
func (s *Events) transactRetry(ctx context.Context, op string, items []types.TransactWriteItem, token *string) error {
	if token == nil {
		return s.transactWithRetry(ctx, op, items)
	}
	var err error
	for attempt := range transactAttempts {
		if attempt > 0 {
			if serr := sleepCtx(ctx, time.Duration(10<<attempt)*time.Millisecond); serr != nil {
				return classify(op, serr)
			}
		}
		_, err = s.DB.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items, ClientRequestToken: token})
		if err == nil || !transactionConflict(err) {
			return err
		}
	}
	return apperr.Wrap(apperr.Unavailable, "", fmt.Errorf("dynamodb %s: transaction kept conflicting: %w", op, err))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// GetRegistration implements events.Store.
func (s *Events) GetRegistration(ctx context.Context, id string) (events.Registration, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Name), Key: regKey(id), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return events.Registration{}, classify("get registration "+id, err)
	}
	if len(out.Item) == 0 {
		return events.Registration{}, apperr.Wrap(apperr.NotFound, "", fmt.Errorf("registration %s: not found", id))
	}
	return decodeReg(out.Item)
}

// RegistrationByEmail implements events.Store (the email lock names the registration).
func (s *Events) RegistrationByEmail(ctx context.Context, eventID, emailHash string) (events.Registration, error) {
	out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Name), Key: emailLockKey(eventID, emailHash), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return events.Registration{}, classify("get email lock", err)
	}
	id, ok := out.Item["registrationId"].(*types.AttributeValueMemberS)
	if !ok {
		return events.Registration{}, apperr.Wrap(apperr.NotFound, "", fmt.Errorf("event %s: no registration for this address", eventID))
	}
	return s.GetRegistration(ctx, id.Value)
}

// RegistrationByCode implements events.Store (GSI2 EVCODE#<event> / code).
func (s *Events) RegistrationByCode(ctx context.Context, eventID, code string) (events.Registration, error) {
	out, err := s.DB.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.Name), IndexName: aws.String(IndexGSI2),
		KeyConditionExpression:    aws.String("GSI2PK = :pk AND GSI2SK = :code"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(joinKey("EVCODE", eventID)), ":code": str(code)},
		Limit:                     aws.Int32(2),
	})
	if err != nil {
		return events.Registration{}, classify("find registration by code", err)
	}
	if len(out.Items) == 0 {
		return events.Registration{}, apperr.Wrap(apperr.NotFound, "", fmt.Errorf("event %s: no registration with this code", eventID))
	}
	r, err := decodeReg(out.Items[0])
	if err != nil {
		return events.Registration{}, err
	}
	// The index may lag: read the item itself.
	return s.GetRegistration(ctx, r.ID)
}

// ResendLink implements events.Store.
func (s *Events) ResendLink(ctx context.Context, r events.Registration, tokenHash string, notBefore time.Time, e outbox.Email) error {
	email, err := outboxPut(s.Name, e)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{{Update: &types.Update{
		TableName: aws.String(s.Name), Key: regKey(r.ID),
		UpdateExpression:    aws.String("SET tokenHash = :h, linkResentAt = :now"),
		ConditionExpression: aws.String("attribute_exists(PK) AND (attribute_not_exists(linkResentAt) OR linkResentAt < :nb)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":h": str(tokenHash), ":now": str(ts(e.CreatedAt)), ":nb": str(ts(notBefore)),
		},
	}}, email}
	err = s.transactWithRetry(ctx, "resend link", items)
	if ok, _ := conditionFailed(err); ok {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("resend link %s: sent recently", r.ID))
	}
	return classify("resend link "+r.ID, err)
}

// FirstWaitlisted implements events.Store (GSI1 EVREG#<event>#waitlisted, lowest position).
func (s *Events) FirstWaitlisted(ctx context.Context, eventID string) (events.Registration, error) {
	out, err := s.DB.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(s.Name), IndexName: aws.String(IndexGSI1),
		KeyConditionExpression:    aws.String("GSI1PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(regStatusPK(eventID, events.Waitlisted))},
		ScanIndexForward:          aws.Bool(true),
		Limit:                     aws.Int32(1),
	})
	if err != nil {
		return events.Registration{}, classify("first waitlisted", err)
	}
	if len(out.Items) == 0 {
		return events.Registration{}, apperr.Wrap(apperr.NotFound, "", fmt.Errorf("event %s: nobody waits", eventID))
	}
	return decodeReg(out.Items[0])
}

// Withdraw implements events.Store: the registration's new state, the
// promoted one's, the event's counters, the email lock's removal and the
// emails in one transaction.
func (s *Events) Withdraw(ctx context.Context, w events.Withdrawal) error {
	r := w.Registration
	put, err := s.regPut(r, w.PrevVersion)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{put}
	ev := &types.Update{TableName: aws.String(s.Name), Key: eventKey(r.EventID), ExpressionAttributeValues: map[string]types.AttributeValue{":one": n(1)}}
	switch {
	case w.Promoted != nil:
		pp, err := s.promotedPut(*w.Promoted, w.PromotedPrevVersion)
		if err != nil {
			return err
		}
		items = append(items, pp)
		ev.UpdateExpression = aws.String("SET #waitlisted = #waitlisted - :one")
		ev.ConditionExpression = aws.String("#waitlisted >= :one")
	case w.PrevStatus == events.Confirmed:
		ev.UpdateExpression = aws.String("SET #confirmed = #confirmed - :one")
		ev.ConditionExpression = aws.String("#confirmed >= :one")
	default:
		ev.UpdateExpression = aws.String("SET #waitlisted = #waitlisted - :one")
		ev.ConditionExpression = aws.String("#waitlisted >= :one")
	}
	ev.ExpressionAttributeNames = pick(counterNames(), ev)
	items = append(items, types.TransactWriteItem{Update: ev},
		types.TransactWriteItem{Delete: &types.Delete{TableName: aws.String(s.Name), Key: emailLockKey(r.EventID, events.EmailHash(r.Email))}})
	for _, e := range w.Emails {
		put, err := outboxPut(s.Name, e)
		if err != nil {
			return err
		}
		items = append(items, put)
	}
	err = s.transactWithRetry(ctx, "withdraw registration", items)
	if ok, _ := conditionFailed(err); ok {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("withdraw %s: changed meanwhile", r.ID))
	}
	return classify("withdraw registration "+r.ID, err)
}

// promotedPut is the put of a waitlisted registration's promoted state,
// conditioned on it still waiting at version prev (cancellations and
// capacity raises alike).
func (s *Events) promotedPut(r events.Registration, prev int) (types.TransactWriteItem, error) {
	pp, err := s.regPut(r, prev)
	if err != nil {
		return types.TransactWriteItem{}, err
	}
	pp.Put.ConditionExpression = aws.String("version = :prev AND #status = :wl")
	pp.Put.ExpressionAttributeNames = map[string]string{"#status": "status"}
	pp.Put.ExpressionAttributeValues[":wl"] = str(string(events.Waitlisted))
	return pp, nil
}

// Promote implements events.Store: the promoted registration, the event's
// counters (a free seat taken by the waitlist) and the email in one
// transaction.
func (s *Events) Promote(ctx context.Context, p events.Promotion) error {
	r := p.Registration
	pp, err := s.promotedPut(r, p.PrevVersion)
	if err != nil {
		return err
	}
	ev := &types.Update{
		TableName: aws.String(s.Name), Key: eventKey(r.EventID),
		UpdateExpression:          aws.String("SET #confirmed = #confirmed + :one, #waitlisted = #waitlisted - :one"),
		ConditionExpression:       aws.String("#status = :pub AND #confirmed < #capacity AND #waitlisted >= :one"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":one": n(1), ":pub": str(string(events.Published))},
	}
	ev.ExpressionAttributeNames = pick(counterNames(), ev)
	email, err := outboxPut(s.Name, p.Email)
	if err != nil {
		return err
	}
	err = s.transactWithRetry(ctx, "promote registration", []types.TransactWriteItem{pp, {Update: ev}, email})
	if ok, _ := conditionFailed(err); ok {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("promote %s: changed meanwhile", r.ID))
	}
	return classify("promote registration "+r.ID, err)
}

// ListRegistrations implements events.Store: GSI1 by status, or GSI2 (all).
func (s *Events) ListRegistrations(ctx context.Context, eventID string, status events.RegStatus, filter events.RegFilter, limit int, cursor string) ([]events.Registration, string, error) {
	index, pkAttr, skAttr, pk := IndexGSI2, "GSI2PK", "GSI2SK", joinKey("EVCODE", eventID)
	if status != "" {
		index, pkAttr, skAttr, pk = IndexGSI1, "GSI1PK", "GSI1SK", regStatusPK(eventID, status)
	}
	start, err := decodeCursor(cursor, []string{"PK", "SK", pkAttr, skAttr}, pkAttr, pk)
	if err != nil {
		return nil, "", err
	}
	in := &dynamodb.QueryInput{
		TableName: aws.String(s.Name), IndexName: aws.String(index),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": pkAttr},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(pk)},
		ScanIndexForward:          aws.Bool(true),
		Limit:                     aws.Int32(int32(limit)),
		ExclusiveStartKey:         start,
	}
	switch filter {
	case events.NotReminded:
		in.FilterExpression = aws.String("attribute_not_exists(remindedAt)")
	case events.NotCancelNotified:
		in.FilterExpression = aws.String("attribute_not_exists(eventCancelNotifiedAt)")
	}
	page, next, err := s.queryPage(ctx, "list registrations", in, []string{"PK", "SK", pkAttr, skAttr}, pkAttr, pk)
	if err != nil {
		return nil, "", err
	}
	items := make([]events.Registration, 0, len(page))
	for _, av := range page {
		r, err := decodeReg(av)
		if err != nil {
			return nil, "", err
		}
		items = append(items, r)
	}
	return items, next, nil
}

// CheckIn implements events.Store: the registration's mark and the event's
// attendance count in one transaction.
func (s *Events) CheckIn(ctx context.Context, r events.Registration, at time.Time) error {
	items := []types.TransactWriteItem{
		{Update: &types.Update{
			TableName: aws.String(s.Name), Key: regKey(r.ID),
			UpdateExpression:          aws.String("SET checkedInAt = :at"),
			ConditionExpression:       aws.String("attribute_not_exists(checkedInAt) AND #status = :c"),
			ExpressionAttributeNames:  map[string]string{"#status": "status"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":at": str(ts(at)), ":c": str(string(events.Confirmed))},
		}},
		{Update: &types.Update{
			TableName: aws.String(s.Name), Key: eventKey(r.EventID),
			UpdateExpression:          aws.String("SET #attended = #attended + :one"),
			ExpressionAttributeNames:  map[string]string{"#attended": "attended"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":one": n(1)},
		}},
	}
	err := s.transactWithRetry(ctx, "check in", items)
	if ok, _ := conditionFailed(err); ok {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("check in %s: already done or not confirmed", r.ID))
	}
	return classify("check in "+r.ID, err)
}

// markOnce sets attr on a registration (once, while it has status st, if
// given) and records e in the same transaction.
func (s *Events) markOnce(ctx context.Context, op string, r events.Registration, attr string, st events.RegStatus, at time.Time, e outbox.Email) error {
	cond := "attribute_exists(PK) AND attribute_not_exists(#attr)"
	vals := map[string]types.AttributeValue{":at": str(ts(at))}
	names := map[string]string{"#attr": attr}
	if st != "" {
		cond += " AND #status = :st"
		vals[":st"] = str(string(st))
		names["#status"] = "status"
	}
	email, err := outboxPut(s.Name, e)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{{Update: &types.Update{
		TableName: aws.String(s.Name), Key: regKey(r.ID),
		UpdateExpression: aws.String("SET #attr = :at"), ConditionExpression: aws.String(cond),
		ExpressionAttributeNames: names, ExpressionAttributeValues: vals,
	}}, email}
	err = s.transactWithRetry(ctx, op, items)
	if ok, _ := conditionFailed(err); ok {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("%s %s: already done", op, r.ID))
	}
	return classify(op+" "+r.ID, err)
}

// MarkReminded implements events.Store.
func (s *Events) MarkReminded(ctx context.Context, r events.Registration, at time.Time, e outbox.Email) error {
	return s.markOnce(ctx, "remind", r, "remindedAt", events.Confirmed, at, e)
}

// MarkCancelNotified implements events.Store.
func (s *Events) MarkCancelNotified(ctx context.Context, r events.Registration, at time.Time, e outbox.Email) error {
	return s.markOnce(ctx, "notify cancellation", r, "eventCancelNotifiedAt", "", at, e)
}

// RecordExport implements events.Store.
func (s *Events) RecordExport(ctx context.Context, x events.Export) error {
	_, err := s.DB.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.Name), Item: map[string]types.AttributeValue{
		"PK": str(joinKey("EVENT", x.EventID)), "SK": str(joinKey("EXPORT", ts(x.At), x.ID)),
		"type": str("event-export"), "id": str(x.ID), "eventId": str(x.EventID), "by": str(x.By),
		"at": str(ts(x.At)), "rows": n(x.Rows), "key": str(x.Key),
	}, ConditionExpression: aws.String("attribute_not_exists(PK)")})
	return classify("record export "+x.ID, err)
}

// counterNames are the placeholders of the event's counters (some are
// reserved words).
func counterNames() map[string]string {
	return map[string]string{
		"#status": "status", "#confirmed": "confirmed", "#capacity": "capacity", "#waitlisted": "waitlisted",
		"#waitlistSeq": "waitlistSeq", "#waitlistSize": "waitlistSize",
	}
}

// pick keeps the placeholders an update uses (DynamoDB refuses unused ones).
func pick(names map[string]string, u *types.Update) map[string]string {
	used := map[string]string{}
	for k, v := range names {
		if strings.Contains(aws.ToString(u.UpdateExpression), k) || strings.Contains(aws.ToString(u.ConditionExpression), k) {
			used[k] = v
		}
	}
	return used
}
