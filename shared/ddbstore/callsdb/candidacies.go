package callsdb

import (
	"context"
	"fmt"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/outbox"
	"espaceosc/shared/secret"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

const (
	candSK    = "CAND"
	contactSK = "CONTACT"
)

func candPK(id string) string { return ddbstore.JoinKey("CAND", id) }

// omitEmptyList returns nil for an empty list, which omitempty then leaves
// out: minidyn cannot evaluate an item holding an empty list when a
// transaction on it is cancelled.
func omitEmptyList(v []string) []string {
	if len(v) == 0 {
		return nil
	}
	return v
}

type consentItem struct {
	Given         bool   `dynamodbav:"given"`
	At            string `dynamodbav:"at"`
	NoticeVersion string `dynamodbav:"noticeVersion"`
}

type associationItem struct {
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

type representativeItem struct {
	Name  string `dynamodbav:"name"`
	Role  string `dynamodbav:"role,omitempty"`
	Email string `dynamodbav:"email"`
}

type documentItem struct {
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
	PK             string             `dynamodbav:"PK"`
	SK             string             `dynamodbav:"SK"`
	GSI1PK         string             `dynamodbav:"GSI1PK"`
	GSI1SK         string             `dynamodbav:"GSI1SK"`
	GSI2PK         string             `dynamodbav:"GSI2PK"`
	GSI2SK         string             `dynamodbav:"GSI2SK"`
	EmailHash      string             `dynamodbav:"EmailHash"`
	Type           string             `dynamodbav:"type"`
	ID             string             `dynamodbav:"id"`
	CallID         string             `dynamodbav:"callId"`
	Reference      string             `dynamodbav:"reference,omitempty"`
	Sequence       int                `dynamodbav:"sequence,omitempty"`
	Status         string             `dynamodbav:"status"`
	Association    associationItem    `dynamodbav:"association"`
	Representative representativeItem `dynamodbav:"representative"`
	ThematicAreas  []string           `dynamodbav:"thematicAreas,omitempty"`
	WorkingGroups  []string           `dynamodbav:"workingGroups,omitempty"`
	Motivation     string             `dynamodbav:"motivation,omitempty"`
	Lang           string             `dynamodbav:"lang"`
	Consent        consentItem        `dynamodbav:"consent"`
	Documents      []documentItem     `dynamodbav:"documents,omitempty"`
	Outcome        string             `dynamodbav:"outcome,omitempty"`
	TokenHash      string             `dynamodbav:"tokenHash"`
	CreatedAt      string             `dynamodbav:"createdAt"`
	UpdatedAt      string             `dynamodbav:"updatedAt"`
	SubmittedAt    string             `dynamodbav:"submittedAt,omitempty"`
	WithdrawnAt    string             `dynamodbav:"withdrawnAt,omitempty"`
	ExpiresAt      int64              `dynamodbav:"expiresAt"`
	Version        int                `dynamodbav:"version"`
}

// contactItem carries the representative's address hash, so that ByEmail
// finds the candidacy from either address.
type contactItem struct {
	PK          string `dynamodbav:"PK"`
	SK          string `dynamodbav:"SK"`
	EmailHash   string `dynamodbav:"EmailHash"`
	Type        string `dynamodbav:"type"`
	CandidacyID string `dynamodbav:"candidacyId"`
	ExpiresAt   int64  `dynamodbav:"expiresAt"`
}

func toCandItem(c calls.Candidacy) candItem {
	created := ddbstore.Time(c.CreatedAt)
	a, r := c.Association, c.Representative
	it := candItem{
		PK: candPK(c.ID), SK: candSK,
		GSI1PK: ddbstore.JoinKey("CANDCALL", c.CallID), GSI1SK: created + "#" + c.ID,
		GSI2PK: ddbstore.JoinKey("CANDSTATUS", c.CallID, string(c.Status)), GSI2SK: created + "#" + c.ID,
		EmailHash: secret.EmailHash(a.Email),
		Type:      "candidacy", ID: c.ID, CallID: c.CallID, Reference: c.Reference, Sequence: c.Sequence,
		Status: string(c.Status),
		Association: associationItem{
			Name: a.Name, Acronym: a.Acronym, LegalForm: a.LegalForm, RegistrationNumber: a.RegistrationNumber,
			YearFounded: a.YearFounded, Region: a.Region, City: a.City, Website: a.Website, Email: a.Email, Phone: a.Phone,
		},
		Representative: representativeItem{Name: r.Name, Role: r.Role, Email: r.Email},
		ThematicAreas:  omitEmptyList(c.ThematicAreas),
		WorkingGroups:  omitEmptyList(c.WorkingGroups),
		Motivation:     c.Motivation, Lang: string(c.Lang),
		Consent: consentItem{Given: c.Consent.Given, At: ddbstore.Time(c.Consent.At), NoticeVersion: c.Consent.NoticeVersion},
		Outcome: string(c.Outcome), TokenHash: c.TokenHash,
		CreatedAt: created, UpdatedAt: ddbstore.Time(c.UpdatedAt), SubmittedAt: ddbstore.Time(c.SubmittedAt),
		WithdrawnAt: ddbstore.Time(c.WithdrawnAt), ExpiresAt: ddbstore.Expiry(c.ExpiresAt), Version: c.Version,
	}
	for _, d := range c.Documents {
		it.Documents = append(it.Documents, documentItem{
			Type: d.Type, Status: string(d.Status), Key: d.Key, PendingKey: d.PendingKey, Size: d.Size,
			SHA256: d.SHA256, Reason: d.Reason, SignedAt: ddbstore.Time(d.SignedAt), CheckedAt: ddbstore.Time(d.CheckedAt),
		})
	}
	return it
}

func toContactItem(c calls.Candidacy) contactItem {
	return contactItem{
		PK: candPK(c.ID), SK: contactSK, EmailHash: secret.EmailHash(c.Representative.Email),
		Type: "candidacy-contact", CandidacyID: c.ID, ExpiresAt: ddbstore.Expiry(c.ExpiresAt),
	}
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
		Consent: calls.Consent{Given: it.Consent.Given, At: ddbstore.ParseTime(it.Consent.At), NoticeVersion: it.Consent.NoticeVersion},
		Outcome: calls.Outcome(it.Outcome), TokenHash: it.TokenHash,
		CreatedAt: ddbstore.ParseTime(it.CreatedAt), UpdatedAt: ddbstore.ParseTime(it.UpdatedAt),
		SubmittedAt: ddbstore.ParseTime(it.SubmittedAt), WithdrawnAt: ddbstore.ParseTime(it.WithdrawnAt),
		ExpiresAt: ddbstore.ParseExpiry(it.ExpiresAt), Version: it.Version,
	}
	for _, d := range it.Documents {
		c.Documents = append(c.Documents, calls.Document{
			Type: d.Type, Status: calls.DocumentStatus(d.Status), Key: d.Key, PendingKey: d.PendingKey, Size: d.Size,
			SHA256: d.SHA256, Reason: d.Reason, SignedAt: ddbstore.ParseTime(d.SignedAt), CheckedAt: ddbstore.ParseTime(d.CheckedAt),
		})
	}
	return c
}

// CreateCandidacy implements calls.Store: the candidacy, its contact, its
// email and the idempotency record (if any) in one transaction.
func (s Store) CreateCandidacy(ctx context.Context, c calls.Candidacy, email outbox.Email, rec *idempotency.Record) error {
	err := s.Tx("create candidacy").
		Put("candidacy", toCandItem(c), ddbstore.NotExists).
		Put("contact", toContactItem(c), ddbstore.Cond{}).
		Email(email).
		Idempotency(rec, c.ID).
		Run(ctx)
	if ddbstore.FailedOn(err, "candidacy") {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("create candidacy %s: id taken: %w", c.ID, err))
	}
	return err
}

// GetCandidacy implements calls.Store with a strongly consistent read.
func (s Store) GetCandidacy(ctx context.Context, id string) (calls.Candidacy, error) {
	var it candItem
	if err := s.Get(ctx, "candidacy "+id, ddbstore.Key(candPK(id), candSK), true, &it); err != nil {
		return calls.Candidacy{}, err
	}
	return it.candidacy(), nil
}

// ListCandidacies implements calls.Store: GSI1 CANDCALL#<callId>, or GSI2
// CANDSTATUS#<callId>#<status>, newest first.
func (s Store) ListCandidacies(ctx context.Context, callID string, status calls.CandidacyStatus, limit int, cursor string) ([]calls.Candidacy, string, error) {
	q := ddbstore.Query{Index: ddbstore.IndexGSI1, PK: ddbstore.JoinKey("CANDCALL", callID)}
	if status != "" {
		q = ddbstore.Query{Index: ddbstore.IndexGSI2, PK: ddbstore.JoinKey("CANDSTATUS", callID, string(status))}
	}
	page, next, err := s.Page(ctx, "list candidacies", q, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	items, err := ddbstore.DecodeAll(page, "candidacy", candItem.candidacy)
	if err != nil {
		return nil, "", err
	}
	return items, next, nil
}

// UpdateCandidacy implements calls.Store: a put conditioned on the version
// (so that the status index keys move with the status), the contact item
// and the email in one transaction.
func (s Store) UpdateCandidacy(ctx context.Context, c calls.Candidacy, prevVersion int, email *outbox.Email) error {
	tx := s.Tx("update candidacy").
		Put("candidacy", toCandItem(c), ddbstore.VersionIs(prevVersion)).
		Put("contact", toContactItem(c), ddbstore.Cond{})
	if email != nil {
		tx.Email(*email)
	}
	err := tx.Run(ctx)
	if ddbstore.FailedOn(err, "candidacy") {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("update candidacy %s: version %d is stale: %w", c.ID, prevVersion, err))
	}
	return err
}

// draftAt is the condition of a submission: the candidacy is still the
// draft read at version prev.
func draftAt(prev int) ddbstore.Cond {
	c := ddbstore.VersionIs(prev).And("#status = :draft", map[string]types.AttributeValue{":draft": ddbstore.S(string(calls.CandidacyDraft))})
	c.Names["#status"] = "status"
	return c
}
