package cocreationdb

import (
	"context"
	"fmt"

	"espaceosc/shared/apperr"
	"espaceosc/shared/cocreation"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/outbox"
	"espaceosc/shared/secret"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

const (
	proposalSK = "PROPOSAL"
	proposerSK = "PROPOSER"
)

func proposalPK(id string) string { return ddbstore.JoinKey("COPROP", id) }

func proposalsPK(planID string) string { return ddbstore.JoinKey("COPROPS", planID) }

func moderationPK(planID string, m cocreation.Moderation) string {
	return ddbstore.JoinKey("COPROPMOD", planID, string(m))
}

// publicPK is the partition of a public listing of a plan's proposals.
func publicPK(planID string, f cocreation.Filter) string {
	pk := ddbstore.JoinKey("COPUB", planID)
	if f.Theme != "" {
		pk = ddbstore.JoinKey(pk, "THEME", f.Theme)
	}
	if f.Status != "" {
		pk = ddbstore.JoinKey(pk, "STATUS", string(f.Status))
	}
	return pk
}

// commitmentEntriesPK is the partition of the proposals behind a commitment.
func commitmentEntriesPK(commitmentID string) string {
	return ddbstore.JoinKey("COPUB", "COMMIT", commitmentID)
}

// entryPartitions are the listings a proposal appears in: none unless it is
// published.
func entryPartitions(p cocreation.Proposal) []string {
	if !p.Public() {
		return nil
	}
	status := p.Status()
	parts := []string{
		publicPK(p.PlanID, cocreation.Filter{}),
		publicPK(p.PlanID, cocreation.Filter{Theme: p.Theme}),
		publicPK(p.PlanID, cocreation.Filter{Status: status}),
		publicPK(p.PlanID, cocreation.Filter{Theme: p.Theme, Status: status}),
	}
	if p.CommitmentID != "" {
		parts = append(parts, commitmentEntriesPK(p.CommitmentID))
	}
	return parts
}

// entrySK orders a plan's proposals by submission.
func entrySK(p cocreation.Proposal) string {
	return ddbstore.JoinKey(ddbstore.Time(p.CreatedAt), p.ID)
}

type responseItem struct {
	Outcome       string    `dynamodbav:"outcome"`
	Justification *textItem `dynamodbav:"justification,omitempty"`
	At            string    `dynamodbav:"at"`
}

// publicFields are what may be published of a proposal: the index entries
// hold them only.
type publicFields struct {
	ID           string        `dynamodbav:"id"`
	Reference    string        `dynamodbav:"reference"`
	PlanID       string        `dynamodbav:"planId"`
	Theme        string        `dynamodbav:"theme"`
	Title        string        `dynamodbav:"title"`
	Problem      string        `dynamodbav:"problem"`
	Solution     string        `dynamodbav:"solution"`
	Impact       string        `dynamodbav:"impact"`
	Region       string        `dynamodbav:"region"`
	Organisation string        `dynamodbav:"organisation,omitempty"` // a member organisation's name
	Lang         string        `dynamodbav:"lang"`
	Response     *responseItem `dynamodbav:"response,omitempty"`
	CommitmentID string        `dynamodbav:"commitmentId,omitempty"`
	Supports     int           `dynamodbav:"supports"`
	CreatedAt    string        `dynamodbav:"createdAt"`
	PublishedAt  string        `dynamodbav:"publishedAt,omitempty"`
}

func toPublic(p cocreation.Proposal) publicFields {
	f := publicFields{
		ID: p.ID, Reference: p.Reference, PlanID: p.PlanID, Theme: p.Theme, Title: p.Title, Problem: p.Problem,
		Solution: p.Solution, Impact: p.Impact, Region: p.Region, Lang: string(p.Lang), CommitmentID: p.CommitmentID,
		Supports: p.Supports, CreatedAt: ddbstore.Time(p.CreatedAt), PublishedAt: ddbstore.Time(p.PublishedAt),
	}
	if m := p.MemberOrganisation; m != nil {
		f.Organisation = m.Name
	}
	if r := p.Response; r != nil {
		f.Response = &responseItem{Outcome: string(r.Outcome), Justification: toText(r.Justification), At: ddbstore.Time(r.At)}
	}
	return f
}

// proposal is the public part of a proposal (published, as in the listings).
func (f publicFields) proposal() cocreation.Proposal {
	lang, _ := i18n.Parse(f.Lang)
	p := cocreation.Proposal{
		ID: f.ID, Reference: f.Reference, PlanID: f.PlanID, Theme: f.Theme, Title: f.Title, Problem: f.Problem,
		Solution: f.Solution, Impact: f.Impact, Region: f.Region, Lang: lang, CommitmentID: f.CommitmentID,
		Supports: f.Supports, Moderation: cocreation.ModerationRecord{State: cocreation.Published},
		CreatedAt: ddbstore.ParseTime(f.CreatedAt), PublishedAt: ddbstore.ParseTime(f.PublishedAt),
	}
	if f.Organisation != "" {
		p.MemberOrganisation = &cocreation.MemberOrganisation{Name: f.Organisation}
	}
	if r := f.Response; r != nil {
		p.Response = &cocreation.Response{Outcome: cocreation.Outcome(r.Outcome), Justification: r.Justification.text(), At: ddbstore.ParseTime(r.At)}
	}
	return p
}

// entryItem is a published proposal in one public listing.
type entryItem struct {
	PK   string `dynamodbav:"PK"`
	SK   string `dynamodbav:"SK"`
	Type string `dynamodbav:"type"`
	publicFields
}

func (it entryItem) proposal() cocreation.Proposal { return it.publicFields.proposal() }

// proposalItem is a proposal's content and state.
type proposalItem struct {
	PK     string `dynamodbav:"PK"`
	SK     string `dynamodbav:"SK"`
	GSI1PK string `dynamodbav:"GSI1PK"`
	GSI1SK string `dynamodbav:"GSI1SK"`
	GSI2PK string `dynamodbav:"GSI2PK"`
	GSI2SK string `dynamodbav:"GSI2SK"`
	Type   string `dynamodbav:"type"`
	publicFields
	MemberOrganisationID string `dynamodbav:"memberOrganisationId,omitempty"`
	Moderation           string `dynamodbav:"moderation"`
	ModerationReason     string `dynamodbav:"moderationReason,omitempty"`
	ModeratedAt          string `dynamodbav:"moderatedAt,omitempty"`
	ModeratedBy          string `dynamodbav:"moderatedBy,omitempty"`
	RespondedBy          string `dynamodbav:"respondedBy,omitempty"`
	TokenHash            string `dynamodbav:"tokenHash"`
	UpdatedAt            string `dynamodbav:"updatedAt"`
	Version              int    `dynamodbav:"version"`
}

func toProposalItem(p cocreation.Proposal) proposalItem {
	sk := entrySK(p)
	it := proposalItem{
		PK: proposalPK(p.ID), SK: proposalSK,
		GSI1PK: proposalsPK(p.PlanID), GSI1SK: sk,
		GSI2PK: moderationPK(p.PlanID, p.Moderation.State), GSI2SK: sk,
		Type: "cocreation.proposal", publicFields: toPublic(p),
		Moderation: string(p.Moderation.State), ModerationReason: p.Moderation.Reason,
		ModeratedAt: ddbstore.Time(p.Moderation.At), ModeratedBy: p.Moderation.By,
		TokenHash: p.TokenHash, UpdatedAt: ddbstore.Time(p.UpdatedAt), Version: p.Version,
	}
	if m := p.MemberOrganisation; m != nil {
		it.MemberOrganisationID = m.ID
	}
	if r := p.Response; r != nil {
		it.RespondedBy = r.By
	}
	return it
}

func (it proposalItem) proposal() cocreation.Proposal {
	p := it.publicFields.proposal()
	p.Moderation = cocreation.ModerationRecord{
		State: cocreation.Moderation(it.Moderation), Reason: it.ModerationReason,
		At: ddbstore.ParseTime(it.ModeratedAt), By: it.ModeratedBy,
	}
	if p.MemberOrganisation != nil {
		p.MemberOrganisation.ID = it.MemberOrganisationID
	}
	if p.Response != nil {
		p.Response.By = it.RespondedBy
	}
	p.TokenHash, p.UpdatedAt, p.Version = it.TokenHash, ddbstore.ParseTime(it.UpdatedAt), it.Version
	return p
}

// proposerItem is a proposer's contact: personal data, found by address
// (ByEmail) and deleted by the TTL.
type proposerItem struct {
	PK           string      `dynamodbav:"PK"`
	SK           string      `dynamodbav:"SK"`
	EmailHash    string      `dynamodbav:"EmailHash"`
	Type         string      `dynamodbav:"type"`
	ProposalID   string      `dynamodbav:"proposalId"`
	Name         string      `dynamodbav:"name"`
	Email        string      `dynamodbav:"email"`
	Organisation string      `dynamodbav:"organisation,omitempty"`
	Lang         string      `dynamodbav:"lang"`
	Consent      consentItem `dynamodbav:"consent"`
	ExpiresAt    int64       `dynamodbav:"expiresAt"`
}

func toProposerItem(w cocreation.Proposer) proposerItem {
	return proposerItem{
		PK: proposalPK(w.ProposalID), SK: proposerSK, EmailHash: secret.EmailHash(w.Email), Type: "cocreation.proposer",
		ProposalID: w.ProposalID, Name: w.Name, Email: w.Email, Organisation: w.Organisation, Lang: string(w.Lang),
		Consent: toConsent(w.Consent), ExpiresAt: ddbstore.Expiry(w.ExpiresAt),
	}
}

func (it proposerItem) proposer() cocreation.Proposer {
	lang, _ := i18n.Parse(it.Lang)
	return cocreation.Proposer{
		ProposalID: it.ProposalID, Name: it.Name, Email: it.Email, Organisation: it.Organisation, Lang: lang,
		Consent: it.Consent.consent(), ExpiresAt: ddbstore.ParseExpiry(it.ExpiresAt),
	}
}

// CreateProposal implements cocreation.Store: the proposal, its proposer,
// the acknowledgement and the idempotency record in one transaction.
func (s Store) CreateProposal(ctx context.Context, p cocreation.Proposal, who cocreation.Proposer, ack outbox.Email, rec *idempotency.Record) error {
	err := s.Tx("create proposal").
		Put("proposal", toProposalItem(p), ddbstore.NotExists).
		Put("proposer", toProposerItem(who), ddbstore.NotExists).
		Email(ack).
		Idempotency(rec, p.ID).
		Run(ctx)
	if ddbstore.FailedOn(err, "proposal") || ddbstore.FailedOn(err, "proposer") {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("create proposal %s: id taken: %w", p.ID, err))
	}
	return err
}

// GetProposal implements cocreation.Store.
func (s Store) GetProposal(ctx context.Context, id string) (cocreation.Proposal, error) {
	var it proposalItem
	if err := s.Get(ctx, "proposal "+id, ddbstore.Key(proposalPK(id), proposalSK), false, &it); err != nil {
		return cocreation.Proposal{}, err
	}
	return it.proposal(), nil
}

// GetProposer implements cocreation.Store. A contact past its retention
// that the TTL has not removed yet is NotFound too.
func (s Store) GetProposer(ctx context.Context, proposalID string) (cocreation.Proposer, error) {
	var it proposerItem
	if err := s.Get(ctx, "proposer of "+proposalID, ddbstore.Key(proposalPK(proposalID), proposerSK), false, &it); err != nil {
		return cocreation.Proposer{}, err
	}
	if it.ExpiresAt > 0 && s.Now().Unix() > it.ExpiresAt {
		return cocreation.Proposer{}, apperr.Wrap(apperr.NotFound, "", fmt.Errorf("proposer of %s: expired", proposalID))
	}
	return it.proposer(), nil
}

// ListProposals implements cocreation.Store: GSI1 COPROPS#<plan>, or GSI2
// COPROPMOD#<plan>#<moderation>, newest first.
func (s Store) ListProposals(ctx context.Context, planID string, m cocreation.Moderation, limit int, cursor string) ([]cocreation.Proposal, string, error) {
	q := ddbstore.Query{Index: ddbstore.IndexGSI1, PK: proposalsPK(planID)}
	if m != "" {
		q = ddbstore.Query{Index: ddbstore.IndexGSI2, PK: moderationPK(planID, m)}
	}
	page, next, err := s.Page(ctx, "list proposals", q, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	ps, err := ddbstore.DecodeAll(page, "proposal", proposalItem.proposal)
	if err != nil {
		return nil, "", err
	}
	return ps, next, nil
}

// ListPublished implements cocreation.Store: one partition of public
// entries, newest first.
func (s Store) ListPublished(ctx context.Context, planID string, f cocreation.Filter, limit int, cursor string) ([]cocreation.Proposal, string, error) {
	page, next, err := s.Page(ctx, "list published proposals", ddbstore.Query{PK: publicPK(planID, f)}, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	ps, err := ddbstore.DecodeAll(page, "proposal entry", entryItem.proposal)
	if err != nil {
		return nil, "", err
	}
	return ps, next, nil
}

// AllPublished implements cocreation.Store.
func (s Store) AllPublished(ctx context.Context, planID string) ([]cocreation.Proposal, error) {
	return s.allEntries(ctx, "all published proposals", publicPK(planID, cocreation.Filter{}))
}

// CommitmentProposals implements cocreation.Store.
func (s Store) CommitmentProposals(ctx context.Context, commitmentID string) ([]cocreation.Proposal, error) {
	return s.allEntries(ctx, "proposals of a commitment", commitmentEntriesPK(commitmentID))
}

func (s Store) allEntries(ctx context.Context, op, pk string) ([]cocreation.Proposal, error) {
	items, err := s.All(ctx, op, ddbstore.Query{PK: pk})
	if err != nil {
		return nil, err
	}
	return ddbstore.DecodeAll(items, "proposal entry", entryItem.proposal)
}

// unchanged is the condition of a write over prev: still at its version
// and its count of supports (a support confirmed meanwhile moves the count
// in the entries this write is about to put).
func unchanged(prev cocreation.Proposal) ddbstore.Cond {
	return ddbstore.Cond{
		Expr:   "attribute_exists(PK) AND #version = :prev AND #supports = :supports",
		Names:  map[string]string{"#version": "version", "#supports": "supports"},
		Values: map[string]types.AttributeValue{":prev": ddbstore.N(int64(prev.Version)), ":supports": ddbstore.N(int64(prev.Supports))},
	}
}

// UpdateProposal implements cocreation.Store: the proposal put whole on what
// was read, the entries of the listings it leaves deleted, those of the
// listings it is in put, and the email and the commitment's check, in one
// transaction.
func (s Store) UpdateProposal(ctx context.Context, prev, next cocreation.Proposal, w cocreation.Write) error {
	tx := s.Tx("update proposal").Put("proposal", toProposalItem(next), unchanged(prev))
	keep := map[string]bool{}
	for _, pk := range entryPartitions(next) {
		keep[pk] = true
	}
	for _, pk := range entryPartitions(prev) {
		if !keep[pk] {
			tx.Delete("entry "+pk, ddbstore.Key(pk, entrySK(prev)), ddbstore.Cond{})
		}
	}
	public := toPublic(next)
	for pk := range keep {
		tx.Put("entry "+pk, entryItem{PK: pk, SK: entrySK(next), Type: "cocreation.entry", publicFields: public}, ddbstore.Cond{})
	}
	if w.Email != nil {
		tx.Email(*w.Email)
	}
	if w.Commitment != "" {
		tx.Check("commitment", ddbstore.Key(commitmentPK(w.Commitment), commitmentSK), ddbstore.Cond{
			Expr:   "attribute_exists(PK) AND #plan = :plan",
			Names:  map[string]string{"#plan": "planId"},
			Values: map[string]types.AttributeValue{":plan": ddbstore.S(next.PlanID)},
		})
	}
	err := tx.Run(ctx)
	if ddbstore.FailedOn(err, "commitment") {
		return fmt.Errorf("update proposal %s: commitment %s: %w: %w", next.ID, w.Commitment, cocreation.ErrNoCommitment, err)
	}
	return err
}
