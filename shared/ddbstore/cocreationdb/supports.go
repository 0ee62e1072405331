package cocreationdb

import (
	"context"
	"fmt"

	"espaceosc/shared/cocreation"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/i18n"
	"espaceosc/shared/outbox"
	"espaceosc/shared/secret"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

const requestSK = "COSUPREQ"

func requestPK(id string) string { return ddbstore.JoinKey("COSUPREQ", id) }

func supportSK(emailHash string) string { return ddbstore.JoinKey("SUPPORT", emailHash) }

// requestItem is an unconfirmed support: the address waits here until the
// link is used, and the TTL deletes it once the link has expired.
type requestItem struct {
	PK               string      `dynamodbav:"PK"`
	SK               string      `dynamodbav:"SK"`
	EmailHash        string      `dynamodbav:"EmailHash"`
	Type             string      `dynamodbav:"type"`
	ID               string      `dynamodbav:"id"`
	ProposalID       string      `dynamodbav:"proposalId"`
	PlanID           string      `dynamodbav:"planId"`
	Email            string      `dynamodbav:"email"`
	Lang             string      `dynamodbav:"lang"`
	Consent          consentItem `dynamodbav:"consent"`
	TokenHash        string      `dynamodbav:"tokenHash"`
	CreatedAt        string      `dynamodbav:"createdAt"`
	ExpiresAt        int64       `dynamodbav:"expiresAt"`
	SupportExpiresAt int64       `dynamodbav:"supportExpiresAt"`
}

func toRequestItem(r cocreation.SupportRequest) requestItem {
	return requestItem{
		PK: requestPK(r.ID), SK: requestSK, EmailHash: secret.EmailHash(r.Email), Type: "cocreation.support_request",
		ID: r.ID, ProposalID: r.ProposalID, PlanID: r.PlanID, Email: r.Email, Lang: string(r.Lang),
		Consent: toConsent(r.Consent), TokenHash: r.TokenHash, CreatedAt: ddbstore.Time(r.CreatedAt),
		ExpiresAt: ddbstore.Expiry(r.ExpiresAt), SupportExpiresAt: ddbstore.Expiry(r.SupportExpiresAt),
	}
}

func (it requestItem) request() cocreation.SupportRequest {
	lang, _ := i18n.Parse(it.Lang)
	return cocreation.SupportRequest{
		ID: it.ID, ProposalID: it.ProposalID, PlanID: it.PlanID, Email: it.Email, Lang: lang,
		Consent: it.Consent.consent(), TokenHash: it.TokenHash, CreatedAt: ddbstore.ParseTime(it.CreatedAt),
		ExpiresAt: ddbstore.ParseExpiry(it.ExpiresAt), SupportExpiresAt: ddbstore.ParseExpiry(it.SupportExpiresAt),
	}
}

// supportItem is one confirmed support: the address's hash only, one item
// per (proposal, address), deleted by the TTL after its retention.
type supportItem struct {
	PK          string      `dynamodbav:"PK"`
	SK          string      `dynamodbav:"SK"`
	EmailHash   string      `dynamodbav:"EmailHash"`
	Type        string      `dynamodbav:"type"`
	ProposalID  string      `dynamodbav:"proposalId"`
	RequestID   string      `dynamodbav:"requestId"`
	Consent     consentItem `dynamodbav:"consent"`
	ConfirmedAt string      `dynamodbav:"confirmedAt"`
	ExpiresAt   int64       `dynamodbav:"expiresAt"`
}

// CreateSupportRequest implements cocreation.Store.
func (s Store) CreateSupportRequest(ctx context.Context, r cocreation.SupportRequest, e outbox.Email) error {
	return s.Tx("create support request").
		Put("request", toRequestItem(r), ddbstore.NotExists).
		Email(e).
		Run(ctx)
}

// GetSupportRequest implements cocreation.Store (an expired request the TTL
// has not removed yet is returned: the service says it expired).
func (s Store) GetSupportRequest(ctx context.Context, id string) (cocreation.SupportRequest, error) {
	var it requestItem
	if err := s.Get(ctx, "support request "+id, ddbstore.Key(requestPK(id), requestSK), false, &it); err != nil {
		return cocreation.SupportRequest{}, err
	}
	return it.request(), nil
}

// AddSupport implements cocreation.Store: in one transaction, the support
// put if the address has none for this proposal, and one more support on
// the proposal (if still at its version and published) and on each of its
// public entries.
func (s Store) AddSupport(ctx context.Context, p cocreation.Proposal, sup cocreation.Support) error {
	one := map[string]types.AttributeValue{":one": ddbstore.N(1)}
	tx := s.Tx("add support").
		Put("support", supportItem{
			PK: proposalPK(p.ID), SK: supportSK(sup.EmailHash), EmailHash: sup.EmailHash, Type: "cocreation.support",
			ProposalID: p.ID, RequestID: sup.RequestID, Consent: toConsent(sup.Consent),
			ConfirmedAt: ddbstore.Time(sup.ConfirmedAt), ExpiresAt: ddbstore.Expiry(sup.ExpiresAt),
		}, ddbstore.NotExists).
		Update("proposal", ddbstore.Key(proposalPK(p.ID), proposalSK), "SET #supports = #supports + :one", ddbstore.Cond{
			Expr:  "attribute_exists(PK) AND #version = :version AND #moderation = :published",
			Names: map[string]string{"#version": "version", "#moderation": "moderation", "#supports": "supports"},
			Values: map[string]types.AttributeValue{
				":version": ddbstore.N(int64(p.Version)), ":published": ddbstore.S(string(cocreation.Published)), ":one": ddbstore.N(1),
			},
		})
	for _, pk := range entryPartitions(p) {
		tx.Update("entry "+pk, ddbstore.Key(pk, entrySK(p)), "SET #supports = #supports + :one", ddbstore.Cond{
			Expr: "attribute_exists(PK)", Names: map[string]string{"#supports": "supports"},
		}.With(one))
	}
	err := tx.Run(ctx)
	if ddbstore.FailedOn(err, "support") {
		return fmt.Errorf("add support to %s: %w", p.ID, cocreation.ErrAlreadySupported)
	}
	return err
}
