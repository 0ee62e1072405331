package cocreationdb

import (
	"context"
	"fmt"

	"espaceosc/shared/cocreation"
	"espaceosc/shared/ddbstore"
)

const commitmentSK = "COMMIT"

func commitmentPK(id string) string { return ddbstore.JoinKey("COCOMMIT", id) }

func commitmentsPK(planID string) string { return ddbstore.JoinKey("COCOMMITS", planID) }

type milestoneItem struct {
	Title  *textItem `dynamodbav:"title,omitempty"`
	DueOn  string    `dynamodbav:"dueOn"`
	Status string    `dynamodbav:"status"`
}

type commitmentItem struct {
	PK              string          `dynamodbav:"PK"`
	SK              string          `dynamodbav:"SK"`
	GSI1PK          string          `dynamodbav:"GSI1PK"`
	GSI1SK          string          `dynamodbav:"GSI1SK"`
	Type            string          `dynamodbav:"type"`
	ID              string          `dynamodbav:"id"`
	PlanID          string          `dynamodbav:"planId"`
	Number          int             `dynamodbav:"number"`
	Title           *textItem       `dynamodbav:"title,omitempty"`
	Description     *textItem       `dynamodbav:"description,omitempty"`
	LeadInstitution *textItem       `dynamodbav:"leadInstitution,omitempty"`
	Milestones      []milestoneItem `dynamodbav:"milestones,omitempty"`
	CreatedAt       string          `dynamodbav:"createdAt"`
	UpdatedAt       string          `dynamodbav:"updatedAt"`
	Version         int             `dynamodbav:"version"`
}

func toCommitmentItem(c cocreation.Commitment) commitmentItem {
	it := commitmentItem{
		PK: commitmentPK(c.ID), SK: commitmentSK,
		GSI1PK: commitmentsPK(c.PlanID), GSI1SK: ddbstore.JoinKey(fmt.Sprintf("%03d", c.Number), c.ID),
		Type: "cocreation.commitment", ID: c.ID, PlanID: c.PlanID, Number: c.Number,
		Title: toText(c.Title), Description: toText(c.Description), LeadInstitution: toText(c.LeadInstitution),
		CreatedAt: ddbstore.Time(c.CreatedAt), UpdatedAt: ddbstore.Time(c.UpdatedAt), Version: c.Version,
	}
	for _, m := range c.Milestones {
		it.Milestones = append(it.Milestones, milestoneItem{Title: toText(m.Title), DueOn: m.DueOn, Status: string(m.Status)})
	}
	return it
}

func (it commitmentItem) commitment() cocreation.Commitment {
	c := cocreation.Commitment{
		ID: it.ID, PlanID: it.PlanID, Number: it.Number, Title: it.Title.text(), Description: it.Description.text(),
		LeadInstitution: it.LeadInstitution.text(), Milestones: []cocreation.Milestone{},
		CreatedAt: ddbstore.ParseTime(it.CreatedAt), UpdatedAt: ddbstore.ParseTime(it.UpdatedAt), Version: it.Version,
	}
	for _, m := range it.Milestones {
		c.Milestones = append(c.Milestones, cocreation.Milestone{Title: m.Title.text(), DueOn: m.DueOn, Status: cocreation.MilestoneStatus(m.Status)})
	}
	return c
}

// CreateCommitment implements cocreation.Store.
func (s Store) CreateCommitment(ctx context.Context, c cocreation.Commitment) error {
	return s.Put(ctx, "commitment "+c.ID, toCommitmentItem(c), ddbstore.NotExists)
}

// GetCommitment implements cocreation.Store.
func (s Store) GetCommitment(ctx context.Context, id string) (cocreation.Commitment, error) {
	var it commitmentItem
	if err := s.Get(ctx, "commitment "+id, ddbstore.Key(commitmentPK(id), commitmentSK), false, &it); err != nil {
		return cocreation.Commitment{}, err
	}
	return it.commitment(), nil
}

// UpdateCommitment implements cocreation.Store: put whole on its version
// (its number moves its GSI1 key).
func (s Store) UpdateCommitment(ctx context.Context, c cocreation.Commitment, prevVersion int) error {
	return s.Put(ctx, "commitment "+c.ID, toCommitmentItem(c), ddbstore.VersionIs(prevVersion))
}

// ListCommitments implements cocreation.Store: GSI1 COCOMMITS#<plan>, by
// number.
func (s Store) ListCommitments(ctx context.Context, planID string, limit int, cursor string) ([]cocreation.Commitment, string, error) {
	q := ddbstore.Query{Index: ddbstore.IndexGSI1, PK: commitmentsPK(planID), Forward: true}
	page, next, err := s.Page(ctx, "list commitments", q, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	cs, err := ddbstore.DecodeAll(page, "commitment", commitmentItem.commitment)
	if err != nil {
		return nil, "", err
	}
	return cs, next, nil
}

// AllCommitments implements cocreation.Store.
func (s Store) AllCommitments(ctx context.Context, planID string) ([]cocreation.Commitment, error) {
	items, err := s.All(ctx, "all commitments", ddbstore.Query{Index: ddbstore.IndexGSI1, PK: commitmentsPK(planID), Forward: true})
	if err != nil {
		return nil, err
	}
	return ddbstore.DecodeAll(items, "commitment", commitmentItem.commitment)
}
