// Package observationsdb is the observations.Store of the table.
//
// Keys: PK OBS#<id>, SK OBS; GSI1 OBSALL / <createdAt>#<id> (every
// observation, newest first); GSI2 OBSSTATUS#<status> / <createdAt>#<id>;
// ByEmail the author's email hash. See docs/data.md.
package observationsdb

import (
	"context"
	"fmt"

	"espaceosc/shared/apperr"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/observations"
	"espaceosc/shared/outbox"
	"espaceosc/shared/secret"
)

// Store is the observations.Store of a table.
type Store struct {
	*ddbstore.Table
}

var _ observations.Store = Store{}

// New returns the observations store of t.
func New(t *ddbstore.Table) Store { return Store{t} }

const (
	sk    = "OBS"
	allPK = "OBSALL"
)

type responseItem struct {
	Text       string `dynamodbav:"text"`
	AnsweredAt string `dynamodbav:"answeredAt,omitempty"`
}

type consentItem struct {
	Given         bool   `dynamodbav:"given"`
	At            string `dynamodbav:"at"`
	NoticeVersion string `dynamodbav:"noticeVersion"`
}

type item struct {
	PK           string        `dynamodbav:"PK"`
	SK           string        `dynamodbav:"SK"`
	GSI1PK       string        `dynamodbav:"GSI1PK"`
	GSI1SK       string        `dynamodbav:"GSI1SK"`
	GSI2PK       string        `dynamodbav:"GSI2PK"`
	GSI2SK       string        `dynamodbav:"GSI2SK"`
	EmailHash    string        `dynamodbav:"EmailHash"`
	Type         string        `dynamodbav:"type"`
	ID           string        `dynamodbav:"id"`
	Reference    string        `dynamodbav:"reference"`
	Topic        string        `dynamodbav:"topic"`
	Subject      string        `dynamodbav:"subject"`
	Message      string        `dynamodbav:"message"`
	Name         string        `dynamodbav:"name"`
	Email        string        `dynamodbav:"email"`
	Organisation string        `dynamodbav:"organisation,omitempty"`
	Lang         string        `dynamodbav:"lang"`
	Status       string        `dynamodbav:"status"`
	Consent      consentItem   `dynamodbav:"consent"`
	Response     *responseItem `dynamodbav:"response,omitempty"`
	TokenHash    string        `dynamodbav:"tokenHash"`
	CreatedAt    string        `dynamodbav:"createdAt"`
	UpdatedAt    string        `dynamodbav:"updatedAt"`
	ExpiresAt    int64         `dynamodbav:"expiresAt"`
	Version      int           `dynamodbav:"version"`
}

func pk(id string) string { return ddbstore.JoinKey("OBS", id) }

func toItem(o observations.Observation) item {
	created := ddbstore.Time(o.CreatedAt)
	it := item{
		PK: pk(o.ID), SK: sk,
		GSI1PK: allPK, GSI1SK: created + "#" + o.ID,
		GSI2PK: ddbstore.JoinKey("OBSSTATUS", string(o.Status)), GSI2SK: created + "#" + o.ID,
		EmailHash: secret.EmailHash(o.Email),
		Type:      "observation", ID: o.ID, Reference: o.Reference, Topic: o.Topic, Subject: o.Subject,
		Message: o.Message, Name: o.Name, Email: o.Email, Organisation: o.Organisation,
		Lang: string(o.Lang), Status: string(o.Status),
		Consent:   consentItem{Given: o.Consent.Given, At: ddbstore.Time(o.Consent.At), NoticeVersion: o.Consent.NoticeVersion},
		TokenHash: o.TokenHash, CreatedAt: created, UpdatedAt: ddbstore.Time(o.UpdatedAt),
		ExpiresAt: ddbstore.Expiry(o.ExpiresAt), Version: o.Version,
	}
	if o.Response != nil {
		it.Response = &responseItem{Text: o.Response.Text, AnsweredAt: ddbstore.Time(o.Response.AnsweredAt)}
	}
	return it
}

func (it item) observation() observations.Observation {
	lang, _ := i18n.Parse(it.Lang)
	o := observations.Observation{
		ID: it.ID, Reference: it.Reference, Topic: it.Topic, Subject: it.Subject, Message: it.Message,
		Name: it.Name, Email: it.Email, Organisation: it.Organisation, Lang: lang,
		Status: observations.Status(it.Status),
		Consent: observations.Consent{
			Given: it.Consent.Given, At: ddbstore.ParseTime(it.Consent.At), NoticeVersion: it.Consent.NoticeVersion,
		},
		TokenHash: it.TokenHash, CreatedAt: ddbstore.ParseTime(it.CreatedAt), UpdatedAt: ddbstore.ParseTime(it.UpdatedAt),
		ExpiresAt: ddbstore.ParseExpiry(it.ExpiresAt), Version: it.Version,
	}
	if it.Response != nil {
		o.Response = &observations.Response{Text: it.Response.Text, AnsweredAt: ddbstore.ParseTime(it.Response.AnsweredAt)}
	}
	return o
}

// CreateObservation implements observations.Store: the observation, its
// email and the idempotency record in one transaction.
func (s Store) CreateObservation(ctx context.Context, o observations.Observation, ack outbox.Email, rec *idempotency.Record) error {
	err := s.Tx("create observation").
		Put("observation", toItem(o), ddbstore.NotExists).
		Email(ack).
		Idempotency(rec, o.ID).
		Run(ctx)
	if ddbstore.FailedOn(err, "observation") {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("create observation %s: id taken: %w", o.ID, err))
	}
	return err
}

// GetObservation implements observations.Store.
func (s Store) GetObservation(ctx context.Context, id string) (observations.Observation, error) {
	var it item
	if err := s.Get(ctx, "observation "+id, ddbstore.Key(pk(id), sk), false, &it); err != nil {
		return observations.Observation{}, err
	}
	return it.observation(), nil
}

// ListObservations implements observations.Store: GSI1 OBSALL, or GSI2
// OBSSTATUS#<status>, newest first.
func (s Store) ListObservations(ctx context.Context, status observations.Status, limit int, cursor string) ([]observations.Observation, string, error) {
	q := ddbstore.Query{Index: ddbstore.IndexGSI1, PK: allPK}
	if status != "" {
		q = ddbstore.Query{Index: ddbstore.IndexGSI2, PK: ddbstore.JoinKey("OBSSTATUS", string(status))}
	}
	page, next, err := s.Page(ctx, "list observations", q, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	items, err := ddbstore.DecodeAll(page, "observation", item.observation)
	if err != nil {
		return nil, "", err
	}
	return items, next, nil
}

// UpdateObservation implements observations.Store: a conditional put on the
// version, with the email (if any) in the same transaction.
func (s Store) UpdateObservation(ctx context.Context, o observations.Observation, prevVersion int, email *outbox.Email) error {
	tx := s.Tx("update observation").Put("observation", toItem(o), ddbstore.VersionIs(prevVersion))
	if email != nil {
		tx.Email(*email)
	}
	return tx.Run(ctx)
}
