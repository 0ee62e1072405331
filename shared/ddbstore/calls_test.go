package ddbstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/i18n"
	"espaceosc/shared/outbox"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func testCall(id string, status calls.Status, opens time.Time) calls.Call {
	return calls.Call{
		ID: id, Kind: calls.KindCopil, Title: calls.Text{FR: "Copil", AR: "لجنة القيادة"}, Description: calls.Text{FR: "d", AR: "د"},
		OpensAt: opens, ClosesAt: opens.Add(30 * 24 * time.Hour), Seats: 9, Status: status,
		Documents: []calls.DocumentSpec{{Type: "statuts", Label: calls.Text{FR: "Statuts", AR: "النظام الأساسي"}, Required: true, MaxBytes: 10 << 20}},
		Criteria:  []calls.Criterion{{ID: "experience", Label: calls.Text{FR: "Expérience", AR: "الخبرة"}, Weight: 1, MaxScore: 20}},
		CreatedAt: opens, UpdatedAt: opens, Version: 1,
	}
}

func testCandidacy(i int, callID string, created time.Time) calls.Candidacy {
	return calls.Candidacy{
		ID: fmt.Sprintf("cand%022d", i), CallID: callID, Status: calls.CandidacyDraft,
		Association:    calls.Association{Name: "Association Tafra", Email: "Contact@Tafra.example.ma", YearFounded: 2011},
		Representative: calls.Representative{Name: "Salma", Email: "salma@example.org"},
		Lang:           i18n.AR, Consent: calls.Consent{Given: true, At: created, NoticeVersion: "2026-11-01"},
		Documents: []calls.Document{{Type: "statuts", Status: calls.DocumentVerified, Key: "candidacies/x/statuts/y.pdf", Size: 9, SHA256: "ab"}},
		TokenHash: "hash", CreatedAt: created, UpdatedAt: created, ExpiresAt: created.Add(calls.Retention), Version: 1,
	}
}

func submitBuild(c calls.Candidacy, created time.Time) func(int) (calls.Candidacy, outbox.Email, error) {
	return func(seq int) (calls.Candidacy, outbox.Email, error) {
		sc := c
		sc.Status, sc.Sequence, sc.Reference, sc.Version = calls.CandidacySubmitted, seq, fmt.Sprintf("COPIL-2024-%04d", seq), c.Version+1
		return sc, testEmail(fmt.Sprintf("receipt-%s", c.ID), created), nil
	}
}

func TestCallsAndCandidaciesStore(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, db ddbtest.Client, table string) {
		ctx := context.Background()
		base := time.Date(2024, 8, 14, 8, 0, 0, 0, time.UTC)
		st := ddbstore.New(db, table).WithClock(func() time.Time { return base })
		s := st.Calls()

		open, draft := testCall("copil-2024", calls.StatusOpen, base), testCall("gt-2024", calls.StatusDraft, base.Add(time.Hour))
		for _, c := range []calls.Call{open, draft} {
			if err := s.CreateCall(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.CreateCall(ctx, open); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("same id twice: %v", err)
		}
		got, err := s.GetCall(ctx, "copil-2024")
		if err != nil || got.Title.AR != "لجنة القيادة" || !got.OpensAt.Equal(base) || got.Documents[0].MaxBytes != 10<<20 || got.Criteria[0].MaxScore != 20 {
			t.Errorf("GetCall = %+v %v", got, err)
		}
		if list, _, err := s.ListCalls(ctx, calls.StatusOpen, 10, ""); err != nil || len(list) != 1 || list[0].ID != "copil-2024" {
			t.Errorf("open calls = %v %v", list, err)
		}
		all, next, err := s.ListCalls(ctx, "", 1, "")
		if err != nil || len(all) != 1 || all[0].ID != "gt-2024" || next == "" {
			t.Fatalf("all calls, first page = %v %q %v", all, next, err)
		}
		if rest, _, err := s.ListCalls(ctx, "", 1, next); err != nil || len(rest) != 1 || rest[0].ID != "copil-2024" {
			t.Errorf("second page = %v %v", rest, err)
		}
		if _, _, err := s.ListCalls(ctx, calls.StatusOpen, 1, next); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a cursor of another listing: %v", err)
		}
		// Opening the draft moves it between the status partitions.
		draft.Status, draft.Version = calls.StatusOpen, 2
		if err := s.UpdateCall(ctx, draft, 1); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateCall(ctx, draft, 1); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale update: %v", err)
		}
		if list, _, _ := s.ListCalls(ctx, calls.StatusDraft, 10, ""); len(list) != 0 {
			t.Errorf("drafts after opening: %d", len(list))
		}

		a, b := testCandidacy(1, "copil-2024", base), testCandidacy(2, "copil-2024", base.Add(time.Minute))
		for i, c := range []calls.Candidacy{a, b} {
			if err := s.CreateCandidacy(ctx, c, testEmail(fmt.Sprintf("link%d", i), base), nil); err != nil {
				t.Fatal(err)
			}
		}
		if got, err := s.GetCandidacy(ctx, a.ID); err != nil || got.Association.Email != a.Association.Email || got.Lang != i18n.AR || len(got.Documents) != 1 || got.ThematicAreas != nil {
			t.Errorf("GetCandidacy = %+v %v", got, err)
		}
		if _, err := s.GetCandidacy(ctx, "missing"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("missing candidacy: %v", err)
		}
		// Both addresses find the candidacy through ByEmail.
		for _, email := range []string{" contact@tafra.EXAMPLE.ma", "Salma@example.org"} {
			out, err := db.Query(ctx, &dynamodb.QueryInput{
				TableName: aws.String(table), IndexName: aws.String(ddbstore.IndexByEmail),
				KeyConditionExpression:    aws.String("EmailHash = :h"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":h": &types.AttributeValueMemberS{Value: calls.EmailHash(email)}},
			})
			if err != nil || len(out.Items) != 2 {
				t.Errorf("ByEmail %s: %d items %v, want the two candidacies", email, len(out.Items), err)
			}
		}

		// A submitter that died holding the counter's lease does not block the next.
		if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]types.AttributeValue{
			"PK": &types.AttributeValueMemberS{Value: "CALL#copil-2024"}, "SK": &types.AttributeValueMemberS{Value: "SEQ"},
			"seq": &types.AttributeValueMemberN{Value: "0"}, "leaseOwner": &types.AttributeValueMemberS{Value: "dead"},
			"leaseUntil": &types.AttributeValueMemberN{Value: fmt.Sprint(base.Add(-time.Second).UnixMilli())},
		}}); err != nil {
			t.Fatal(err)
		}
		sa, err := s.SubmitCandidacy(ctx, "copil-2024", 1, submitBuild(a, base))
		if err != nil || sa.Reference != "COPIL-2024-0001" {
			t.Fatalf("first submission: %s %v", sa.Reference, err)
		}
		// A candidacy changed meanwhile: Conflict, and the number stays free.
		if _, err := s.SubmitCandidacy(ctx, "copil-2024", 7, submitBuild(b, base)); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale submission: %v", err)
		}
		// The same candidacy submitted again: Conflict (it is no longer a draft).
		if _, err := s.SubmitCandidacy(ctx, "copil-2024", 1, submitBuild(a, base)); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("double submission: %v", err)
		}
		sb, err := s.SubmitCandidacy(ctx, "copil-2024", 1, submitBuild(b, base))
		if err != nil || sb.Reference != "COPIL-2024-0002" {
			t.Fatalf("second submission: %s %v", sb.Reference, err)
		}
		if list, _, err := s.ListCandidacies(ctx, "copil-2024", calls.CandidacySubmitted, 10, ""); err != nil || len(list) != 2 || list[0].ID != b.ID {
			t.Errorf("submitted = %d %v", len(list), err)
		}
		if list, _, _ := s.ListCandidacies(ctx, "copil-2024", calls.CandidacyDraft, 10, ""); len(list) != 0 {
			t.Errorf("drafts left = %d", len(list))
		}
		page, next, err := s.ListCandidacies(ctx, "copil-2024", "", 1, "")
		if err != nil || len(page) != 1 || next == "" {
			t.Fatalf("by call, first page: %d %q %v", len(page), next, err)
		}
		if rest, _, err := s.ListCandidacies(ctx, "copil-2024", "", 5, next); err != nil || len(rest) != 1 || rest[0].ID == page[0].ID {
			t.Errorf("by call, second page: %v %v", rest, err)
		}
	})
}
