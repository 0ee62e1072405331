package callsdb

import (
	"context"
	"fmt"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/outbox"
)

// exportItem records one export: who made it, when, of what.
type exportItem struct {
	PK          string `dynamodbav:"PK"`
	SK          string `dynamodbav:"SK"`
	Type        string `dynamodbav:"type"`
	ID          string `dynamodbav:"id"`
	CallID      string `dynamodbav:"callId"`
	CandidacyID string `dynamodbav:"candidacyId,omitempty"`
	Kind        string `dynamodbav:"kind"`
	By          string `dynamodbav:"by"`
	At          string `dynamodbav:"at"`
	Rows        int    `dynamodbav:"rows"`
	Key         string `dynamodbav:"key"`
}

// RecordExport implements calls.Store.
func (s Store) RecordExport(ctx context.Context, x calls.Export) error {
	return s.Put(ctx, "export "+x.ID, exportItem{
		PK: callPK(x.CallID), SK: ddbstore.JoinKey("EXPORT", ddbstore.Time(x.At), x.ID), Type: "call-export",
		ID: x.ID, CallID: x.CallID, CandidacyID: x.CandidacyID, Kind: x.Kind, By: x.By, At: ddbstore.Time(x.At), Rows: x.Rows, Key: x.Key,
	}, ddbstore.NotExists)
}

// resultItem marks a candidacy's outcome as published (and emailed).
type resultItem struct {
	PK        string `dynamodbav:"PK"`
	SK        string `dynamodbav:"SK"`
	Type      string `dynamodbav:"type"`
	CallID    string `dynamodbav:"callId"`
	Outcome   string `dynamodbav:"outcome"`
	At        string `dynamodbav:"at"`
	EmailID   string `dynamodbav:"emailId"`
	ExpiresAt int64  `dynamodbav:"expiresAt,omitempty"`
}

type selectedItem struct {
	PK          string   `dynamodbav:"PK"`
	SK          string   `dynamodbav:"SK"`
	Type        string   `dynamodbav:"type"`
	CallID      string   `dynamodbav:"callId"`
	CandidacyID string   `dynamodbav:"candidacyId"`
	Sequence    int      `dynamodbav:"sequence"`
	Name        string   `dynamodbav:"name"`
	Acronym     string   `dynamodbav:"acronym,omitempty"`
	City        string   `dynamodbav:"city,omitempty"`
	Region      string   `dynamodbav:"region,omitempty"`
	Groups      []string `dynamodbav:"groups,omitempty"`
}

func (it selectedItem) selected() calls.Selected {
	return calls.Selected{CallID: it.CallID, CandidacyID: it.CandidacyID, Sequence: it.Sequence, Name: it.Name,
		Acronym: it.Acronym, City: it.City, Region: it.Region, Groups: it.Groups}
}

type memberItem struct {
	PK          string `dynamodbav:"PK"`
	SK          string `dynamodbav:"SK"`
	Type        string `dynamodbav:"type"`
	GroupID     string `dynamodbav:"groupId"`
	CandidacyID string `dynamodbav:"candidacyId"`
	CallID      string `dynamodbav:"callId"`
	Name        string `dynamodbav:"name"`
	Acronym     string `dynamodbav:"acronym,omitempty"`
	City        string `dynamodbav:"city,omitempty"`
	Region      string `dynamodbav:"region,omitempty"`
	Since       string `dynamodbav:"since"`
}

func (it memberItem) membership() calls.Membership {
	return calls.Membership{GroupID: it.GroupID, CandidacyID: it.CandidacyID, CallID: it.CallID, Name: it.Name,
		Acronym: it.Acronym, City: it.City, Region: it.Region, Since: ddbstore.ParseTime(it.Since)}
}

// RecordResult implements calls.Store: the RESULT mark (written once), the
// email, the public entry and the memberships in one transaction.
func (s Store) RecordResult(ctx context.Context, r calls.Result, email outbox.Email, sel *calls.Selected, members []calls.Membership) error {
	tx := s.Tx("record result").
		Put("result", resultItem{
			PK: candPK(r.CandidacyID), SK: "RESULT", Type: "candidacy-result", CallID: r.CallID, Outcome: string(r.Outcome),
			At: ddbstore.Time(r.At), EmailID: email.ID, ExpiresAt: ddbstore.Expiry(r.ExpiresAt),
		}, ddbstore.NotExists).
		Email(email)
	if sel != nil {
		tx.Put("selected", selectedItem{
			PK: callPK(sel.CallID), SK: ddbstore.JoinKey("SELECTED", fmt.Sprintf("%06d", sel.Sequence), sel.CandidacyID),
			Type: "call-selected", CallID: sel.CallID, CandidacyID: sel.CandidacyID, Sequence: sel.Sequence,
			Name: sel.Name, Acronym: sel.Acronym, City: sel.City, Region: sel.Region, Groups: sel.Groups,
		}, ddbstore.Cond{})
	}
	for _, m := range members {
		tx.Put("member "+m.GroupID, memberItem{
			PK: ddbstore.JoinKey("WG", m.GroupID), SK: ddbstore.JoinKey("MEMBER", m.CandidacyID), Type: "wg-member",
			GroupID: m.GroupID, CandidacyID: m.CandidacyID, CallID: m.CallID, Name: m.Name, Acronym: m.Acronym,
			City: m.City, Region: m.Region, Since: ddbstore.Time(m.Since),
		}, ddbstore.Cond{})
	}
	err := tx.Run(ctx)
	if ddbstore.FailedOn(err, "result") {
		return apperr.Wrap(apperr.Conflict, "", fmt.Errorf("result of candidacy %s: already recorded: %w", r.CandidacyID, err))
	}
	return err
}

// SelectedOf implements calls.Store: PK CALL#<callId>, SK SELECTED#…, by reference.
func (s Store) SelectedOf(ctx context.Context, callID string) ([]calls.Selected, error) {
	items, err := s.All(ctx, "selection of call "+callID, ddbstore.Query{PK: callPK(callID), Prefix: "SELECTED#", Forward: true})
	if err != nil {
		return nil, err
	}
	return ddbstore.DecodeAll(items, "selected", selectedItem.selected)
}

// MembersOf implements calls.Store: PK WG#<groupId>, SK MEMBER#…
func (s Store) MembersOf(ctx context.Context, groupID string) ([]calls.Membership, error) {
	items, err := s.All(ctx, "members of "+groupID, ddbstore.Query{PK: ddbstore.JoinKey("WG", groupID), Prefix: "MEMBER#", Forward: true})
	if err != nil {
		return nil, err
	}
	return ddbstore.DecodeAll(items, "membership", memberItem.membership)
}
