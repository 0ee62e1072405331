package cocreationdb

import (
	"context"

	"espaceosc/shared/cocreation"
	"espaceosc/shared/ddbstore"
)

const (
	planSK  = "PLAN"
	plansPK = "COPLANS"
)

func planPK(id string) string { return ddbstore.JoinKey("COPLAN", id) }

type phaseItem struct {
	Kind  string `dynamodbav:"kind"`
	Start string `dynamodbav:"start"`
	End   string `dynamodbav:"end"`
}

type themeItem struct {
	ID          string    `dynamodbav:"id"`
	Label       *textItem `dynamodbav:"label,omitempty"`
	Description *textItem `dynamodbav:"description,omitempty"`
}

type planItem struct {
	PK          string      `dynamodbav:"PK"`
	SK          string      `dynamodbav:"SK"`
	GSI1PK      string      `dynamodbav:"GSI1PK"`
	GSI1SK      string      `dynamodbav:"GSI1SK"`
	Type        string      `dynamodbav:"type"`
	ID          string      `dynamodbav:"id"`
	Title       *textItem   `dynamodbav:"title,omitempty"`
	Description *textItem   `dynamodbav:"description,omitempty"`
	Phases      []phaseItem `dynamodbav:"phases,omitempty"`
	Themes      []themeItem `dynamodbav:"themes,omitempty"`
	CreatedAt   string      `dynamodbav:"createdAt"`
	UpdatedAt   string      `dynamodbav:"updatedAt"`
	Version     int         `dynamodbav:"version"`
}

func toPlanItem(p cocreation.Plan) planItem {
	created := ddbstore.Time(p.CreatedAt)
	it := planItem{
		PK: planPK(p.ID), SK: planSK, GSI1PK: plansPK, GSI1SK: ddbstore.JoinKey(created, p.ID),
		Type: "cocreation.plan", ID: p.ID, Title: toText(p.Title), Description: toText(p.Description),
		CreatedAt: created, UpdatedAt: ddbstore.Time(p.UpdatedAt), Version: p.Version,
	}
	for _, ph := range p.Phases {
		it.Phases = append(it.Phases, phaseItem{Kind: string(ph.Kind), Start: ddbstore.Time(ph.Start), End: ddbstore.Time(ph.End)})
	}
	for _, t := range p.Themes {
		it.Themes = append(it.Themes, themeItem{ID: t.ID, Label: toText(t.Label), Description: toText(t.Description)})
	}
	return it
}

func (it planItem) plan() cocreation.Plan {
	p := cocreation.Plan{
		ID: it.ID, Title: it.Title.text(), Description: it.Description.text(),
		CreatedAt: ddbstore.ParseTime(it.CreatedAt), UpdatedAt: ddbstore.ParseTime(it.UpdatedAt), Version: it.Version,
	}
	for _, ph := range it.Phases {
		p.Phases = append(p.Phases, cocreation.Phase{Kind: cocreation.PhaseKind(ph.Kind), Start: ddbstore.ParseTime(ph.Start), End: ddbstore.ParseTime(ph.End)})
	}
	for _, t := range it.Themes {
		p.Themes = append(p.Themes, cocreation.Theme{ID: t.ID, Label: t.Label.text(), Description: t.Description.text()})
	}
	return p
}

// CreatePlan implements cocreation.Store.
func (s Store) CreatePlan(ctx context.Context, p cocreation.Plan) error {
	return s.Put(ctx, "plan "+p.ID, toPlanItem(p), ddbstore.NotExists)
}

// GetPlan implements cocreation.Store.
func (s Store) GetPlan(ctx context.Context, id string) (cocreation.Plan, error) {
	var it planItem
	if err := s.Get(ctx, "plan "+id, ddbstore.Key(planPK(id), planSK), false, &it); err != nil {
		return cocreation.Plan{}, err
	}
	return it.plan(), nil
}

// UpdatePlan implements cocreation.Store: the plan put whole on its version.
func (s Store) UpdatePlan(ctx context.Context, p cocreation.Plan, prevVersion int) error {
	return s.Put(ctx, "plan "+p.ID, toPlanItem(p), ddbstore.VersionIs(prevVersion))
}

// ListPlans implements cocreation.Store: GSI1 COPLANS, newest first.
func (s Store) ListPlans(ctx context.Context, limit int, cursor string) ([]cocreation.Plan, string, error) {
	page, next, err := s.Page(ctx, "list plans", ddbstore.Query{Index: ddbstore.IndexGSI1, PK: plansPK}, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	plans, err := ddbstore.DecodeAll(page, "plan", planItem.plan)
	if err != nil {
		return nil, "", err
	}
	return plans, next, nil
}
