// Package callsdb is the calls.Store of the table: calls, candidacies and
// their reference counters, evaluations, exports and published results.
//
// Keys (see docs/data.md):
//   - call: PK CALL#<id>, SK CALL; GSI1 CALLSTATUS#<status> / <opensAt>#<id>;
//     GSI2 CALLALL / <createdAt>#<id>;
//   - a call's reference counter and its lease: PK CALL#<id>, SK SEQ;
//   - candidacy: PK CAND#<id>, SK CAND; GSI1 CANDCALL#<callId> /
//     <createdAt>#<id>; GSI2 CANDSTATUS#<callId>#<status> / <createdAt>#<id>;
//     ByEmail the association's address; its second address (the
//     representative's): PK CAND#<id>, SK CONTACT;
//   - evaluation: PK CAND#<candidacyId>, SK EVAL#<sub>; GSI1 EVALBY#<sub> /
//     <assignedAt>#<candidacyId>; GSI2 EVALCALL#<callId> /
//     <candidacyId>#<sub>;
//   - published outcome: PK CAND#<candidacyId>, SK RESULT; selected
//     association: PK CALL#<callId>, SK SELECTED#<seq>#<candidacyId>;
//     working-group member: PK WG#<groupId>, SK MEMBER#<candidacyId>;
//   - export record: PK CALL#<callId>, SK EXPORT#<at>#<exportId>.
package callsdb

import (
	"context"
	"fmt"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/i18n"
)

// Store is the calls.Store of a table.
type Store struct {
	*ddbstore.Table
}

var _ calls.Store = Store{}

// New returns the calls store of t.
func New(t *ddbstore.Table) Store { return Store{t} }

const (
	callSK    = "CALL"
	callAllPK = "CALLALL"
)

func callPK(id string) string { return ddbstore.JoinKey("CALL", id) }

type textItem struct {
	FR string `dynamodbav:"fr"`
	AR string `dynamodbav:"ar"`
}

func toText(t i18n.Text) textItem  { return textItem{FR: t.FR, AR: t.AR} }
func (t textItem) text() i18n.Text { return i18n.Text{FR: t.FR, AR: t.AR} }

type docSpecItem struct {
	Type     string   `dynamodbav:"type"`
	Label    textItem `dynamodbav:"label"`
	Required bool     `dynamodbav:"required"`
	MaxBytes int64    `dynamodbav:"maxBytes"`
}

type criterionItem struct {
	ID       string   `dynamodbav:"id"`
	Label    textItem `dynamodbav:"label"`
	Weight   int      `dynamodbav:"weight"`
	MaxScore int      `dynamodbav:"maxScore"`
}

type groupItem struct {
	ID   string   `dynamodbav:"id"`
	Name textItem `dynamodbav:"name"`
}

type callItem struct {
	PK            string          `dynamodbav:"PK"`
	SK            string          `dynamodbav:"SK"`
	GSI1PK        string          `dynamodbav:"GSI1PK"`
	GSI1SK        string          `dynamodbav:"GSI1SK"`
	GSI2PK        string          `dynamodbav:"GSI2PK"`
	GSI2SK        string          `dynamodbav:"GSI2SK"`
	Type          string          `dynamodbav:"type"`
	ID            string          `dynamodbav:"id"`
	Kind          string          `dynamodbav:"kind"`
	Title         textItem        `dynamodbav:"title"`
	Description   textItem        `dynamodbav:"description"`
	Eligibility   textItem        `dynamodbav:"eligibility"`
	WorkingGroups []groupItem     `dynamodbav:"workingGroups,omitempty"`
	OpensAt       string          `dynamodbav:"opensAt"`
	ClosesAt      string          `dynamodbav:"closesAt"`
	Seats         int             `dynamodbav:"seats"`
	Documents     []docSpecItem   `dynamodbav:"documents,omitempty"`
	Criteria      []criterionItem `dynamodbav:"criteria,omitempty"`
	Status        string          `dynamodbav:"status"`
	CreatedAt     string          `dynamodbav:"createdAt"`
	UpdatedAt     string          `dynamodbav:"updatedAt"`
	Version       int             `dynamodbav:"version"`
}

func toCallItem(c calls.Call) callItem {
	it := callItem{
		PK: callPK(c.ID), SK: callSK,
		GSI1PK: ddbstore.JoinKey("CALLSTATUS", string(c.Status)), GSI1SK: ddbstore.Time(c.OpensAt) + "#" + c.ID,
		GSI2PK: callAllPK, GSI2SK: ddbstore.Time(c.CreatedAt) + "#" + c.ID,
		Type: "call", ID: c.ID, Kind: string(c.Kind),
		Title: toText(c.Title), Description: toText(c.Description), Eligibility: toText(c.Eligibility),
		OpensAt: ddbstore.Time(c.OpensAt), ClosesAt: ddbstore.Time(c.ClosesAt), Seats: c.Seats, Status: string(c.Status),
		CreatedAt: ddbstore.Time(c.CreatedAt), UpdatedAt: ddbstore.Time(c.UpdatedAt), Version: c.Version,
	}
	for _, g := range c.WorkingGroups {
		it.WorkingGroups = append(it.WorkingGroups, groupItem{ID: g.ID, Name: toText(g.Name)})
	}
	for _, d := range c.Documents {
		it.Documents = append(it.Documents, docSpecItem{Type: d.Type, Label: toText(d.Label), Required: d.Required, MaxBytes: d.MaxBytes})
	}
	for _, k := range c.Criteria {
		it.Criteria = append(it.Criteria, criterionItem{ID: k.ID, Label: toText(k.Label), Weight: k.Weight, MaxScore: k.MaxScore})
	}
	return it
}

func (it callItem) call() calls.Call {
	c := calls.Call{
		ID: it.ID, Kind: calls.Kind(it.Kind), Title: it.Title.text(), Description: it.Description.text(),
		Eligibility: it.Eligibility.text(), OpensAt: ddbstore.ParseTime(it.OpensAt), ClosesAt: ddbstore.ParseTime(it.ClosesAt),
		Seats: it.Seats, Status: calls.Status(it.Status), CreatedAt: ddbstore.ParseTime(it.CreatedAt),
		UpdatedAt: ddbstore.ParseTime(it.UpdatedAt), Version: it.Version,
	}
	for _, g := range it.WorkingGroups {
		c.WorkingGroups = append(c.WorkingGroups, calls.WorkingGroup{ID: g.ID, Name: g.Name.text()})
	}
	for _, d := range it.Documents {
		c.Documents = append(c.Documents, calls.DocumentSpec{Type: d.Type, Label: d.Label.text(), Required: d.Required, MaxBytes: d.MaxBytes})
	}
	for _, k := range it.Criteria {
		c.Criteria = append(c.Criteria, calls.Criterion{ID: k.ID, Label: k.Label.text(), Weight: k.Weight, MaxScore: k.MaxScore})
	}
	return c
}

// CreateCall implements calls.Store.
func (s Store) CreateCall(ctx context.Context, c calls.Call) error {
	err := s.Put(ctx, "call "+c.ID, toCallItem(c), ddbstore.NotExists)
	if apperr.Is(err, apperr.Conflict) {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("create call %s: id taken", c.ID))
	}
	return err
}

// GetCall implements calls.Store.
func (s Store) GetCall(ctx context.Context, id string) (calls.Call, error) {
	var it callItem
	if err := s.Get(ctx, "call "+id, ddbstore.Key(callPK(id), callSK), false, &it); err != nil {
		return calls.Call{}, err
	}
	return it.call(), nil
}

// ListCalls implements calls.Store: GSI2 CALLALL (newest created first), or
// GSI1 CALLSTATUS#<status> (latest opening first).
func (s Store) ListCalls(ctx context.Context, status calls.Status, limit int, cursor string) ([]calls.Call, string, error) {
	q := ddbstore.Query{Index: ddbstore.IndexGSI2, PK: callAllPK}
	if status != "" {
		q = ddbstore.Query{Index: ddbstore.IndexGSI1, PK: ddbstore.JoinKey("CALLSTATUS", string(status))}
	}
	page, next, err := s.Page(ctx, "list calls", q, limit, cursor)
	if err != nil {
		return nil, "", err
	}
	items, err := ddbstore.DecodeAll(page, "call", callItem.call)
	if err != nil {
		return nil, "", err
	}
	return items, next, nil
}

// UpdateCall implements calls.Store: a put conditioned on the version (a
// put, not an update, so that the status index keys move with the status).
func (s Store) UpdateCall(ctx context.Context, c calls.Call, prevVersion int) error {
	err := s.Put(ctx, "call "+c.ID, toCallItem(c), ddbstore.VersionIs(prevVersion))
	if apperr.Is(err, apperr.Conflict) {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("update call %s: version %d is stale", c.ID, prevVersion))
	}
	return err
}
