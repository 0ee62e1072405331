// Package eventsdb is the events.Store of the table.
//
// Event keys: PK EVENT#<id>, SK EVENT; GSI1 EVENTPUB / <startsAt>#<id>
// (published and cancelled events); GSI2 EVENTALL / <createdAt>#<id>.
// Registration keys: PK REG#<id>, SK REG; GSI1 EVREG#<event>#<status> /
// <position, 10 digits> (waitlisted) or <createdAt>#<id>; GSI2
// EVCODE#<event> / <code>; ByEmail EmailHash. One registration per address
// and event: PK EVENT#<id>, SK EMAIL#<sha256(email)>. Exports: PK
// EVENT#<id>, SK EXPORT#<at>#<id>. See docs/data.md.
package eventsdb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/bulk"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/events"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/outbox"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Store is the events.Store of a table.
type Store struct {
	*ddbstore.Table
}

var _ events.Store = Store{}

// New returns the events store of t.
func New(t *ddbstore.Table) Store { return Store{t} }

const (
	eventSK     = "EVENT"
	pubPK       = "EVENTPUB"
	allPK       = "EVENTALL"
	regSK       = "REG"
	positionFmt = "%010d"
)

func eventPK(id string) string { return ddbstore.JoinKey("EVENT", id) }

func eventKey(id string) map[string]types.AttributeValue { return ddbstore.Key(eventPK(id), eventSK) }

func regKey(id string) map[string]types.AttributeValue {
	return ddbstore.Key(ddbstore.JoinKey("REG", id), regSK)
}

func lockSK(emailHash string) string { return ddbstore.JoinKey("EMAIL", emailHash) }

// lockKey is the item that holds an address's registration for an event.
func lockKey(eventID, emailHash string) map[string]types.AttributeValue {
	return ddbstore.Key(eventPK(eventID), lockSK(emailHash))
}

func regStatusPK(eventID string, st events.RegStatus) string {
	return ddbstore.JoinKey("EVREG", eventID, string(st))
}

func codePK(eventID string) string { return ddbstore.JoinKey("EVCODE", eventID) }

// ---------------------------------------------------------------- events

// questionsAttr are an event's questions, stored as a JSON string.
type questionsAttr []events.Question

func (q questionsAttr) MarshalDynamoDBAttributeValue() (types.AttributeValue, error) {
	b, err := json.Marshal([]events.Question(q))
	if err != nil {
		return nil, err
	}
	return ddbstore.S(string(b)), nil
}

func (q *questionsAttr) UnmarshalDynamoDBAttributeValue(av types.AttributeValue) error {
	s, ok := av.(*types.AttributeValueMemberS)
	if !ok || s.Value == "" || s.Value == "null" {
		*q = nil
		return nil
	}
	return json.Unmarshal([]byte(s.Value), (*[]events.Question)(q))
}

// venueAttr is an event's venue, stored as a JSON string ("" for none).
type venueAttr struct{ v *events.Venue }

func (a venueAttr) MarshalDynamoDBAttributeValue() (types.AttributeValue, error) {
	if a.v == nil {
		return ddbstore.S(""), nil
	}
	b, err := json.Marshal(a.v)
	if err != nil {
		return nil, err
	}
	return ddbstore.S(string(b)), nil
}

func (a *venueAttr) UnmarshalDynamoDBAttributeValue(av types.AttributeValue) error {
	s, ok := av.(*types.AttributeValueMemberS)
	if !ok || s.Value == "" {
		a.v = nil
		return nil
	}
	var v events.Venue
	if err := json.Unmarshal([]byte(s.Value), &v); err != nil {
		return err
	}
	a.v = &v
	return nil
}

type eventItem struct {
	PK                   string        `dynamodbav:"PK"`
	SK                   string        `dynamodbav:"SK"`
	GSI1PK               string        `dynamodbav:"GSI1PK,omitempty"`
	GSI1SK               string        `dynamodbav:"GSI1SK,omitempty"`
	GSI2PK               string        `dynamodbav:"GSI2PK"`
	GSI2SK               string        `dynamodbav:"GSI2SK"`
	Type                 string        `dynamodbav:"type"`
	ID                   string        `dynamodbav:"id"`
	Kind                 string        `dynamodbav:"kind"`
	TitleFR              string        `dynamodbav:"titleFr"`
	TitleAR              string        `dynamodbav:"titleAr"`
	DescriptionFR        string        `dynamodbav:"descriptionFr"`
	DescriptionAR        string        `dynamodbav:"descriptionAr"`
	StartsAt             string        `dynamodbav:"startsAt"`
	EndsAt               string        `dynamodbav:"endsAt"`
	Venue                venueAttr     `dynamodbav:"venue"`
	Online               bool          `dynamodbav:"online"`
	OnlineURL            string        `dynamodbav:"onlineUrl"`
	Capacity             int           `dynamodbav:"capacity"`
	WaitlistSize         int           `dynamodbav:"waitlistSize"`
	RegistrationOpensAt  string        `dynamodbav:"registrationOpensAt"`
	RegistrationClosesAt string        `dynamodbav:"registrationClosesAt"`
	Questions            questionsAttr `dynamodbav:"questions"`
	ReminderHours        int           `dynamodbav:"reminderHours"`
	Status               string        `dynamodbav:"status"`
	Confirmed            int           `dynamodbav:"confirmed"`
	Waitlisted           int           `dynamodbav:"waitlisted"`
	WaitlistSeq          int           `dynamodbav:"waitlistSeq"`
	Attended             int           `dynamodbav:"attended"`
	Sequence             int           `dynamodbav:"sequence"`
	CreatedAt            string        `dynamodbav:"createdAt"`
	UpdatedAt            string        `dynamodbav:"updatedAt"`
	PublishedAt          string        `dynamodbav:"publishedAt"`
	CancelledAt          string        `dynamodbav:"cancelledAt"`
	Version              int           `dynamodbav:"version"`
}

func toEventItem(e events.Event) eventItem {
	it := eventItem{
		PK: eventPK(e.ID), SK: eventSK,
		GSI2PK: allPK, GSI2SK: ddbstore.Time(e.CreatedAt) + "#" + e.ID,
		Type: "event", ID: e.ID, Kind: e.Kind, TitleFR: e.Title.FR, TitleAR: e.Title.AR,
		DescriptionFR: e.Description.FR, DescriptionAR: e.Description.AR,
		StartsAt: ddbstore.Time(e.StartsAt), EndsAt: ddbstore.Time(e.EndsAt),
		Venue: venueAttr{e.Venue}, Online: e.Online, OnlineURL: e.OnlineURL,
		Capacity: e.Capacity, WaitlistSize: e.WaitlistSize,
		RegistrationOpensAt: ddbstore.Time(e.RegistrationOpensAt), RegistrationClosesAt: ddbstore.Time(e.RegistrationClosesAt),
		Questions: questionsAttr(e.Questions), ReminderHours: e.ReminderHours, Status: string(e.Status),
		Confirmed: e.Confirmed, Waitlisted: e.Waitlisted, WaitlistSeq: e.WaitlistSeq, Attended: e.Attended,
		Sequence: e.Sequence, CreatedAt: ddbstore.Time(e.CreatedAt), UpdatedAt: ddbstore.Time(e.UpdatedAt),
		PublishedAt: ddbstore.Time(e.PublishedAt), CancelledAt: ddbstore.Time(e.CancelledAt), Version: e.Version,
	}
	if e.Status != events.Draft {
		// A sparse index: drafts never show in the public list.
		it.GSI1PK, it.GSI1SK = pubPK, ddbstore.Time(e.StartsAt)+"#"+e.ID
	}
	return it
}

func (it eventItem) event() events.Event {
	return events.Event{
		ID: it.ID, Kind: it.Kind, Title: i18n.Text{FR: it.TitleFR, AR: it.TitleAR},
		Description: i18n.Text{FR: it.DescriptionFR, AR: it.DescriptionAR},
		StartsAt:    ddbstore.ParseTime(it.StartsAt), EndsAt: ddbstore.ParseTime(it.EndsAt),
		Venue: it.Venue.v, Online: it.Online, OnlineURL: it.OnlineURL,
		Capacity: it.Capacity, WaitlistSize: it.WaitlistSize,
		RegistrationOpensAt: ddbstore.ParseTime(it.RegistrationOpensAt), RegistrationClosesAt: ddbstore.ParseTime(it.RegistrationClosesAt),
		Questions: []events.Question(it.Questions), ReminderHours: it.ReminderHours, Status: events.Status(it.Status),
		Confirmed: it.Confirmed, Waitlisted: it.Waitlisted, WaitlistSeq: it.WaitlistSeq, Attended: it.Attended,
		Sequence: it.Sequence, CreatedAt: ddbstore.ParseTime(it.CreatedAt), UpdatedAt: ddbstore.ParseTime(it.UpdatedAt),
		PublishedAt: ddbstore.ParseTime(it.PublishedAt), CancelledAt: ddbstore.ParseTime(it.CancelledAt), Version: it.Version,
	}
}

// CreateEvent implements events.Store.
func (s Store) CreateEvent(ctx context.Context, e events.Event) error {
	return s.Put(ctx, "event "+e.ID, toEventItem(e), ddbstore.NotExists)
}

// GetEvent implements events.Store.
func (s Store) GetEvent(ctx context.Context, id string) (events.Event, error) {
	var it eventItem
	if err := s.Get(ctx, "event "+id, eventKey(id), true, &it); err != nil {
		return events.Event{}, err
	}
	return it.event(), nil
}

// UpdateEvent implements events.Store. It rewrites the whole item with a
// conditional Put (minidyn mishandles an UpdateItem that changes index
// keys, as publishing does), conditioned on the version and on the counters
// being what e was read with, so that a registration in between makes the
// change retry rather than lose a seat.
func (s Store) UpdateEvent(ctx context.Context, e events.Event, prevVersion int) error {
	return s.Put(ctx, "event "+e.ID, toEventItem(e), eventCond(e, prevVersion))
}

// eventCond is the condition of an event's rewrite: its version and
// counters as read, and the capacity not below the seats taken.
func eventCond(e events.Event, prevVersion int) ddbstore.Cond {
	return ddbstore.Cond{
		Expr: "attribute_exists(PK) AND #version = :prev AND #confirmed = :c AND #waitlisted = :w AND #waitlistSeq = :s AND #attended = :a AND #confirmed <= :cap",
		Names: map[string]string{
			"#version": "version", "#confirmed": "confirmed", "#waitlisted": "waitlisted", "#waitlistSeq": "waitlistSeq", "#attended": "attended",
		},
		Values: map[string]types.AttributeValue{
			":prev": ddbstore.N(int64(prevVersion)), ":c": ddbstore.N(int64(e.Confirmed)), ":w": ddbstore.N(int64(e.Waitlisted)),
			":s": ddbstore.N(int64(e.WaitlistSeq)), ":a": ddbstore.N(int64(e.Attended)), ":cap": ddbstore.N(int64(e.Capacity)),
		},
	}
}

// UpdateEventWithJob implements events.Store: the event's conditional put
// and the job's, in one transaction.
func (s Store) UpdateEventWithJob(ctx context.Context, e events.Event, prevVersion int, job bulk.Job) error {
	return s.Tx("update event with job").Put(itemEvent, toEventItem(e), eventCond(e, prevVersion)).Job(job).Run(ctx)
}

// ListPublishedEvents implements events.Store: GSI1 EVENTPUB, from a start
// time soonest first, or all latest first.
func (s Store) ListPublishedEvents(ctx context.Context, from time.Time, limit int, cursor string) ([]events.Event, string, error) {
	q := ddbstore.Query{Index: ddbstore.IndexGSI1, PK: pubPK}
	if !from.IsZero() {
		q.From, q.Forward = ddbstore.Time(from), true
	}
	return s.events(ctx, "list published events", q, limit, cursor)
}

// ListEvents implements events.Store: GSI2 EVENTALL, newest first.
func (s Store) ListEvents(ctx context.Context, limit int, cursor string) ([]events.Event, string, error) {
	return s.events(ctx, "list events", ddbstore.Query{Index: ddbstore.IndexGSI2, PK: allPK}, limit, cursor)
}

func (s Store) events(ctx context.Context, op string, q ddbstore.Query, limit int, cursor string) ([]events.Event, string, error) {
	page, next, err := s.Page(ctx, op, q, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	items, err := ddbstore.DecodeAll(page, "event", eventItem.event)
	if err != nil {
		return nil, "", err
	}
	return items, next, nil
}

// RecordExport implements events.Store.
func (s Store) RecordExport(ctx context.Context, x events.Export) error {
	at := ddbstore.Time(x.At)
	return s.Put(ctx, "export "+x.ID, exportItem{
		PK: eventPK(x.EventID), SK: ddbstore.JoinKey("EXPORT", at, x.ID), Type: "event-export",
		ID: x.ID, EventID: x.EventID, By: x.By, At: at, Rows: x.Rows, Key: x.Key,
	}, ddbstore.NotExists)
}

type exportItem struct {
	PK      string `dynamodbav:"PK"`
	SK      string `dynamodbav:"SK"`
	Type    string `dynamodbav:"type"`
	ID      string `dynamodbav:"id"`
	EventID string `dynamodbav:"eventId"`
	By      string `dynamodbav:"by"`
	At      string `dynamodbav:"at"`
	Rows    int    `dynamodbav:"rows"`
	Key     string `dynamodbav:"key"`
}

// ---------------------------------------------------------------- registrations

type consentItem struct {
	Given         bool   `dynamodbav:"given"`
	At            string `dynamodbav:"at"`
	NoticeVersion string `dynamodbav:"noticeVersion"`
}

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
	Consent               consentItem         `dynamodbav:"consent"`
	TokenHash             string              `dynamodbav:"tokenHash"`
	CreatedAt             string              `dynamodbav:"createdAt"`
	UpdatedAt             string              `dynamodbav:"updatedAt"`
	ConfirmedAt           string              `dynamodbav:"confirmedAt,omitempty"`
	CancelledAt           string              `dynamodbav:"cancelledAt,omitempty"`
	CheckedInAt           string              `dynamodbav:"checkedInAt,omitempty"`
	RemindedAt            string              `dynamodbav:"remindedAt,omitempty"`
	EventCancelNotifiedAt string              `dynamodbav:"eventCancelNotifiedAt,omitempty"`
	NotifiedSequence      int                 `dynamodbav:"notifiedSequence,omitempty"`
	LinkResentAt          string              `dynamodbav:"linkResentAt,omitempty"`
	ExpiresAt             int64               `dynamodbav:"expiresAt"`
	Version               int                 `dynamodbav:"version"`
}

func toRegItem(r events.Registration) regItem {
	sk := ddbstore.Time(r.CreatedAt) + "#" + r.ID
	if r.Status == events.RegWaitlisted {
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
		PK: ddbstore.JoinKey("REG", r.ID), SK: regSK,
		GSI1PK: regStatusPK(r.EventID, r.Status), GSI1SK: sk,
		GSI2PK: codePK(r.EventID), GSI2SK: r.Code,
		EmailHash: events.EmailHash(r.Email), Type: "registration",
		ID: r.ID, EventID: r.EventID, Status: string(r.Status), Position: r.Position, Code: r.Code,
		FullName: r.FullName, Email: r.Email, Organisation: r.Organisation, Phone: r.Phone, Answers: answers,
		Lang:      string(r.Lang),
		Consent:   consentItem{Given: r.Consent.Given, At: ddbstore.Time(r.Consent.At), NoticeVersion: r.Consent.NoticeVersion},
		TokenHash: r.TokenHash, CreatedAt: ddbstore.Time(r.CreatedAt), UpdatedAt: ddbstore.Time(r.UpdatedAt),
		ConfirmedAt: ddbstore.Time(r.ConfirmedAt), CancelledAt: ddbstore.Time(r.CancelledAt), CheckedInAt: ddbstore.Time(r.CheckedInAt),
		RemindedAt: ddbstore.Time(r.RemindedAt), EventCancelNotifiedAt: ddbstore.Time(r.EventCancelNotifiedAt),
		NotifiedSequence: r.NotifiedSequence,
		LinkResentAt:     ddbstore.Time(r.LinkResentAt), ExpiresAt: ddbstore.Expiry(r.ExpiresAt), Version: r.Version,
	}
}

func (it regItem) registration() events.Registration {
	lang, _ := i18n.Parse(it.Lang)
	return events.Registration{
		ID: it.ID, EventID: it.EventID, Status: events.RegStatus(it.Status), Position: it.Position, Code: it.Code,
		FullName: it.FullName, Email: it.Email, Organisation: it.Organisation, Phone: it.Phone, Answers: it.Answers,
		Lang:      lang,
		Consent:   events.Consent{Given: it.Consent.Given, At: ddbstore.ParseTime(it.Consent.At), NoticeVersion: it.Consent.NoticeVersion},
		TokenHash: it.TokenHash, CreatedAt: ddbstore.ParseTime(it.CreatedAt), UpdatedAt: ddbstore.ParseTime(it.UpdatedAt),
		ConfirmedAt: ddbstore.ParseTime(it.ConfirmedAt), CancelledAt: ddbstore.ParseTime(it.CancelledAt), CheckedInAt: ddbstore.ParseTime(it.CheckedInAt),
		RemindedAt: ddbstore.ParseTime(it.RemindedAt), EventCancelNotifiedAt: ddbstore.ParseTime(it.EventCancelNotifiedAt),
		NotifiedSequence: it.NotifiedSequence,
		LinkResentAt:     ddbstore.ParseTime(it.LinkResentAt), ExpiresAt: ddbstore.ParseExpiry(it.ExpiresAt), Version: it.Version,
	}
}

// lockItem holds an address's registration for an event: one per address
// and event, removed when the registration is cancelled.
type lockItem struct {
	PK             string `dynamodbav:"PK"`
	SK             string `dynamodbav:"SK"`
	Type           string `dynamodbav:"type"`
	RegistrationID string `dynamodbav:"registrationId"`
	ExpiresAt      int64  `dynamodbav:"expiresAt"`
}

func toLockItem(r events.Registration) lockItem {
	return lockItem{
		PK: eventPK(r.EventID), SK: lockSK(events.EmailHash(r.Email)),
		Type: "event-email", RegistrationID: r.ID, ExpiresAt: ddbstore.Expiry(r.ExpiresAt),
	}
}

// Transaction item names.
const (
	itemEvent        = "event"
	itemRegistration = "registration"
	itemPromoted     = "promoted"
	itemLock         = "email lock"
)

// counters are the placeholders of the event's counters and status (some
// are reserved words).
func counters(values map[string]types.AttributeValue) ddbstore.Cond {
	return ddbstore.Cond{
		Names: map[string]string{
			"#status": "status", "#confirmed": "confirmed", "#capacity": "capacity",
			"#waitlisted": "waitlisted", "#waitlistSeq": "waitlistSeq", "#waitlistSize": "waitlistSize",
		},
		Values: values,
	}
}

// used keeps the placeholders that update or c.Expr use (DynamoDB refuses
// unused ones).
func used(c ddbstore.Cond, update string) ddbstore.Cond {
	out := ddbstore.Cond{Expr: c.Expr, Names: map[string]string{}, Values: c.Values}
	for k, v := range c.Names {
		if strings.Contains(update, k) || strings.Contains(c.Expr, k) {
			out.Names[k] = v
		}
	}
	return out
}

// Register implements events.Store: the event's counters, the registration,
// the address's lock, the outbox email and the idempotency record in one
// transaction.
func (s Store) Register(ctx context.Context, op events.Registering) error {
	r := op.Registration
	pub := ddbstore.S(string(events.Published))
	update := "SET #confirmed = #confirmed + :one"
	cond := counters(map[string]types.AttributeValue{":one": ddbstore.N(1), ":pub": pub})
	cond.Expr = "#status = :pub AND #confirmed < #capacity"
	if !op.Seat {
		update = "SET #waitlisted = #waitlisted + :one, #waitlistSeq = :next"
		cond.Expr = "#status = :pub AND #confirmed >= #capacity AND #waitlistSeq = :seq AND #waitlisted < #waitlistSize"
		cond.Values[":seq"], cond.Values[":next"] = ddbstore.N(int64(op.ReadWaitlistSeq)), ddbstore.N(int64(r.Position))
	}
	err := s.Tx("register").
		Update(itemEvent, eventKey(r.EventID), update, used(cond, update)).
		Put(itemRegistration, toRegItem(r), ddbstore.NotExists).
		Put(itemLock, toLockItem(r), ddbstore.NotExists).
		Email(op.Email).
		Idempotency(op.Idempotency, r.ID).
		Run(ctx)
	switch {
	case err == nil || errors.Is(err, idempotency.ErrRecorded):
		return err
	case ddbstore.FailedOn(err, itemLock):
		return fmt.Errorf("register for %s: %w: %w", r.EventID, events.ErrDuplicate, err)
	case ddbstore.FailedOn(err, itemEvent):
		return fmt.Errorf("register for %s: %w: %w", r.EventID, events.ErrStale, err)
	}
	return err
}

// GetRegistration implements events.Store.
func (s Store) GetRegistration(ctx context.Context, id string) (events.Registration, error) {
	var it regItem
	if err := s.Get(ctx, "registration "+id, regKey(id), true, &it); err != nil {
		return events.Registration{}, err
	}
	return it.registration(), nil
}

// RegistrationByEmail implements events.Store: the address's lock names the
// registration.
func (s Store) RegistrationByEmail(ctx context.Context, eventID, emailHash string) (events.Registration, error) {
	var lock lockItem
	if err := s.Get(ctx, "email lock of event "+eventID, lockKey(eventID, emailHash), true, &lock); err != nil {
		return events.Registration{}, err
	}
	return s.GetRegistration(ctx, lock.RegistrationID)
}

// RegistrationByCode implements events.Store: GSI2 EVCODE#<event> / <code>
// (codes have one length: the prefix is the code), then the item itself,
// since the index may lag.
func (s Store) RegistrationByCode(ctx context.Context, eventID, code string) (events.Registration, error) {
	av, err := s.First(ctx, "registration by code", ddbstore.Query{Index: ddbstore.IndexGSI2, PK: codePK(eventID), Prefix: code, Forward: true})
	if err != nil {
		return events.Registration{}, err
	}
	found, err := ddbstore.DecodeAll([]map[string]types.AttributeValue{av}, "registration", regItem.registration)
	if err != nil {
		return events.Registration{}, err
	}
	return s.GetRegistration(ctx, found[0].ID)
}

// FirstWaitlisted implements events.Store: GSI1 EVREG#<event>#waitlisted,
// lowest position first.
func (s Store) FirstWaitlisted(ctx context.Context, eventID string) (events.Registration, error) {
	av, err := s.First(ctx, "first waitlisted", ddbstore.Query{Index: ddbstore.IndexGSI1, PK: regStatusPK(eventID, events.RegWaitlisted), Forward: true})
	if err != nil {
		return events.Registration{}, err
	}
	found, err := ddbstore.DecodeAll([]map[string]types.AttributeValue{av}, "registration", regItem.registration)
	if err != nil {
		return events.Registration{}, err
	}
	return found[0], nil
}

// ListRegistrations implements events.Store: GSI1 by status, or GSI2 (all).
func (s Store) ListRegistrations(ctx context.Context, eventID string, status events.RegStatus, filter events.RegFilter, limit int, cursor string) ([]events.Registration, string, error) {
	q := ddbstore.Query{Index: ddbstore.IndexGSI2, PK: codePK(eventID), Forward: true}
	if status != "" {
		q = ddbstore.Query{Index: ddbstore.IndexGSI1, PK: regStatusPK(eventID, status), Forward: true}
	}
	switch filter {
	case events.NotReminded:
		q.Filter = "attribute_not_exists(remindedAt)"
	case events.NotCancelNotified:
		q.Filter = "attribute_not_exists(eventCancelNotifiedAt)"
	}
	page, next, err := s.Page(ctx, "list registrations", q, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	items, err := ddbstore.DecodeAll(page, "registration", regItem.registration)
	if err != nil {
		return nil, "", err
	}
	return items, next, nil
}

// ResendLink implements events.Store.
func (s Store) ResendLink(ctx context.Context, r events.Registration, notBefore time.Time, e outbox.Email) error {
	return s.Tx("resend link").
		Update(itemRegistration, regKey(r.ID), "SET tokenHash = :h, linkResentAt = :at", ddbstore.Cond{
			Expr: "attribute_exists(PK) AND (attribute_not_exists(linkResentAt) OR linkResentAt < :nb)",
			Values: map[string]types.AttributeValue{
				":h": ddbstore.S(r.TokenHash), ":at": ddbstore.S(ddbstore.Time(r.LinkResentAt)), ":nb": ddbstore.S(ddbstore.Time(notBefore)),
			},
		}).
		Email(e).
		Run(ctx)
}

// stillWaiting is the condition of a promotion: the registration is still
// waitlisted at version prev.
func stillWaiting(prev int) ddbstore.Cond {
	return ddbstore.Cond{
		Expr:   "attribute_exists(PK) AND #version = :prev AND #status = :wl",
		Names:  map[string]string{"#version": "version", "#status": "status"},
		Values: map[string]types.AttributeValue{":prev": ddbstore.N(int64(prev)), ":wl": ddbstore.S(string(events.RegWaitlisted))},
	}
}

// counterAttrs are the stored names of the counters a withdrawal lowers.
var counterAttrs = map[events.Counter]string{
	events.CountConfirmed:  "confirmed",
	events.CountWaitlisted: "waitlisted",
}

// Withdraw implements events.Store: the registration's new state, the
// promoted one's, the freed counter, the removal of the address's lock and
// the emails in one transaction.
func (s Store) Withdraw(ctx context.Context, w events.Withdrawal) error {
	r := w.Registration
	attr, ok := counterAttrs[w.Freed]
	if !ok {
		return fmt.Errorf("withdraw %s: unknown counter %q", r.ID, w.Freed)
	}
	tx := s.Tx("withdraw registration").Put(itemRegistration, toRegItem(r), ddbstore.VersionIs(w.PrevVersion))
	if w.Promoted != nil {
		tx.Put(itemPromoted, toRegItem(*w.Promoted), stillWaiting(w.PromotedPrevVersion))
	}
	tx.Update(itemEvent, eventKey(r.EventID), "SET #n = #n - :one", ddbstore.Cond{
		Expr:   "#n >= :one",
		Names:  map[string]string{"#n": attr},
		Values: map[string]types.AttributeValue{":one": ddbstore.N(1)},
	}).Delete(itemLock, lockKey(r.EventID, events.EmailHash(r.Email)), ddbstore.Cond{})
	for _, e := range w.Emails {
		tx.Email(e)
	}
	return tx.Run(ctx)
}

// Promote implements events.Store: the promoted registration, the event's
// counters (a free seat taken by the waitlist) and the email in one
// transaction.
func (s Store) Promote(ctx context.Context, p events.Promotion) error {
	r := p.Registration
	update := "SET #confirmed = #confirmed + :one, #waitlisted = #waitlisted - :one"
	cond := counters(map[string]types.AttributeValue{":one": ddbstore.N(1), ":pub": ddbstore.S(string(events.Published))})
	cond.Expr = "#status = :pub AND #confirmed < #capacity AND #waitlisted >= :one"
	return s.Tx("promote registration").
		Put(itemPromoted, toRegItem(r), stillWaiting(p.PrevVersion)).
		Update(itemEvent, eventKey(r.EventID), update, used(cond, update)).
		Email(p.Email).
		Run(ctx)
}

// CheckIn implements events.Store: the registration's mark and the event's
// attendance count in one transaction.
func (s Store) CheckIn(ctx context.Context, r events.Registration, at time.Time) error {
	return s.Tx("check in").
		Update(itemRegistration, regKey(r.ID), "SET checkedInAt = :at", ddbstore.Cond{
			Expr:   "attribute_not_exists(checkedInAt) AND #status = :c",
			Names:  map[string]string{"#status": "status"},
			Values: map[string]types.AttributeValue{":at": ddbstore.S(ddbstore.Time(at)), ":c": ddbstore.S(string(events.RegConfirmed))},
		}).
		Update(itemEvent, eventKey(r.EventID), "SET #attended = #attended + :one", ddbstore.Cond{
			Names:  map[string]string{"#attended": "attended"},
			Values: map[string]types.AttributeValue{":one": ddbstore.N(1)},
		}).
		Run(ctx)
}

// noticesPerTx bounds the notices of one transaction (two items each:
// TransactWriteItems takes 100).
const noticesPerTx = 25

// noticeUpdate is a notice's mark: the instant it was told at, or (the
// update notices) the event's sequence told.
func noticeUpdate(n events.Notice) string {
	if n.Mark == events.MarkUpdated {
		return "SET #mark = :seq"
	}
	return "SET #mark = :at"
}

// noticeCond is a notice's condition: the registration exists, is not
// marked yet (for an update: not with this sequence or a later one), and
// (if the notice says) still has its status.
func noticeCond(n events.Notice) ddbstore.Cond {
	cond := ddbstore.Cond{
		Expr:   "attribute_exists(PK) AND attribute_not_exists(#mark)",
		Names:  map[string]string{"#mark": string(n.Mark)},
		Values: map[string]types.AttributeValue{":at": ddbstore.S(ddbstore.Time(n.At))},
	}
	if n.Mark == events.MarkUpdated {
		cond.Expr = "attribute_exists(PK) AND (attribute_not_exists(#mark) OR #mark < :seq)"
		cond.Values = map[string]types.AttributeValue{":seq": ddbstore.N(int64(n.Sequence))}
	}
	if n.Status != "" {
		cond.Expr += " AND #status = :st"
		cond.Names["#status"], cond.Values[":st"] = "status", ddbstore.S(string(n.Status))
	}
	return cond
}

// RecordNotices implements events.Store: one transaction per batch of
// notices (the mark and the email of each); a batch that fails on a mark
// (someone was told meanwhile, or left) is recorded one notice at a time,
// skipping those.
func (s Store) RecordNotices(ctx context.Context, notices []events.Notice) ([]events.Notice, error) {
	var recorded []events.Notice
	for start := 0; start < len(notices); start += noticesPerTx {
		batch := notices[start:min(start+noticesPerTx, len(notices))]
		tx := s.Tx("record notices")
		for i, n := range batch {
			tx.Update(fmt.Sprintf("registration %d", i), regKey(n.Registration.ID), noticeUpdate(n), noticeCond(n)).Email(n.Email)
		}
		err := tx.Run(ctx)
		if err == nil {
			recorded = append(recorded, batch...)
			continue
		}
		if !apperr.Is(err, apperr.Conflict) {
			return recorded, err
		}
		for _, n := range batch {
			err := s.Tx("record notice").Update(itemRegistration, regKey(n.Registration.ID), noticeUpdate(n), noticeCond(n)).Email(n.Email).Run(ctx)
			switch {
			case err == nil:
				recorded = append(recorded, n)
			case apperr.Is(err, apperr.Conflict):
			default:
				return recorded, err
			}
		}
	}
	return recorded, nil
}
