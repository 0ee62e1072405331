package callsdb_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/callsdb"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/secret"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	minidyn "github.com/truora/minidyn/aws-v2/client"
)

func testCall(id string, status calls.Status, opens time.Time) calls.Call {
	return calls.Call{
		ID: id, Kind: calls.KindCopil, Title: i18n.Text{FR: "Copil", AR: "لجنة القيادة"}, Description: i18n.Text{FR: "d", AR: "د"},
		Eligibility: i18n.Text{FR: "Associations déclarées."},
		OpensAt:     opens, ClosesAt: opens.Add(30 * 24 * time.Hour), Seats: 9, Status: status,
		Documents: []calls.DocumentSpec{{Type: "statuts", Label: i18n.Text{FR: "Statuts", AR: "النظام الأساسي"}, Required: true, MaxBytes: 10 << 20}},
		Criteria:  []calls.Criterion{{ID: "experience", Label: i18n.Text{FR: "Expérience", AR: "الخبرة"}, Weight: 1, MaxScore: 20}},
		CreatedAt: opens, UpdatedAt: opens, Version: 1,
	}
}

func testCandidacy(i int, callID string, created time.Time) calls.Candidacy {
	return calls.Candidacy{
		ID: fmt.Sprintf("cand%022d", i), CallID: callID, Status: calls.CandidacyDraft,
		Association:    calls.Association{Name: "Association Tafra", Email: "Contact@Tafra.example.ma", YearFounded: 2011},
		Representative: calls.Representative{Name: "Salma", Email: "salma@example.org"},
		Lang:           i18n.AR, Consent: calls.Consent{Given: true, At: created, NoticeVersion: "2026-11-01"},
		Documents: []calls.Document{{Type: "statuts", Status: calls.DocumentVerified, Key: "candidacies/x/statuts/y.pdf", Size: 9, SHA256: "ab", CheckedAt: created}},
		TokenHash: "hash", CreatedAt: created, UpdatedAt: created, ExpiresAt: created.Add(calls.Retention), Version: 1,
	}
}

// submitted is c submitted with the number seq.
func submitted(c calls.Candidacy, seq int) calls.Candidacy {
	c.Status, c.Sequence, c.Reference, c.Version = calls.CandidacySubmitted, seq, fmt.Sprintf("COPIL-2024-%04d", seq), c.Version+1
	return c
}

func TestCallsStore(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, db ddbtest.Client, table string) {
		ctx := context.Background()
		base := time.Date(2024, 8, 14, 8, 0, 0, 0, time.UTC)
		s := callsdb.New(ddbstore.New(db, table))

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
		if err != nil || got.Title.AR != "لجنة القيادة" || got.Eligibility.AR != "" || got.Eligibility.FR == "" || !got.OpensAt.Equal(base) ||
			got.Documents[0].MaxBytes != 10<<20 || got.Criteria[0].MaxScore != 20 || got.Version != 1 {
			t.Errorf("GetCall = %+v %v", got, err)
		}
		if _, err := s.GetCall(ctx, "missing"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("missing call: %v", err)
		}
		if list, next, err := s.ListCalls(ctx, calls.StatusOpen, 10, ""); err != nil || len(list) != 1 || list[0].ID != "copil-2024" || next != "" {
			t.Errorf("open calls = %v %q %v", list, next, err)
		}
		all, next, err := s.ListCalls(ctx, "", 1, "")
		if err != nil || len(all) != 1 || all[0].ID != "gt-2024" || next == "" {
			t.Fatalf("all calls, first page = %v %q %v", all, next, err)
		}
		if rest, last, err := s.ListCalls(ctx, "", 1, next); err != nil || len(rest) != 1 || rest[0].ID != "copil-2024" || last != "" {
			t.Errorf("second page = %v %q %v", rest, last, err)
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
		if list, _, _ := s.ListCalls(ctx, calls.StatusOpen, 10, ""); len(list) != 2 {
			t.Errorf("open calls after opening: %d", len(list))
		}
	})
}

func TestCandidaciesStore(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, db ddbtest.Client, table string) {
		ctx := context.Background()
		base := time.Date(2024, 8, 14, 8, 0, 0, 0, time.UTC)
		st := ddbstore.New(db, table)
		s := callsdb.New(st)

		a, b := testCandidacy(1, "copil-2024", base), testCandidacy(2, "copil-2024", base.Add(time.Minute))
		for i, c := range []calls.Candidacy{a, b} {
			if err := s.CreateCandidacy(ctx, c, ddbtest.Email(fmt.Sprintf("link%d", i), base), nil); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.CreateCandidacy(ctx, a, ddbtest.Email("link9", base), nil); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("same id twice: %v", err)
		}
		got, err := s.GetCandidacy(ctx, a.ID)
		if err != nil || got.Association.Email != a.Association.Email || got.Lang != i18n.AR || len(got.Documents) != 1 || got.ThematicAreas != nil ||
			!got.ExpiresAt.Equal(a.ExpiresAt) || !got.Consent.At.Equal(base) || !got.Documents[0].CheckedAt.Equal(base) {
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
				ExpressionAttributeValues: map[string]types.AttributeValue{":h": &types.AttributeValueMemberS{Value: secret.EmailHash(email)}},
			})
			if err != nil || len(out.Items) != 2 {
				t.Errorf("ByEmail %s: %d items %v, want the two candidacies", email, len(out.Items), err)
			}
		}

		// An edit on the version read; a stale one is a conflict and records no email.
		edited := a
		edited.Motivation, edited.Version = "Une motivation.", 2
		if err := s.UpdateCandidacy(ctx, edited, 1, nil); err != nil {
			t.Fatal(err)
		}
		withdrawn := ddbtest.Email("withdrawn", base)
		if err := s.UpdateCandidacy(ctx, edited, 1, &withdrawn); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("stale update: %v", err)
		}
		pending, _, err := st.Outbox().ListPending(ctx, 10, "")
		if err != nil || len(pending) != 2 {
			t.Errorf("pending emails = %s %v, want the two links", ddbtest.IDs(pending), err)
		}

		page, next, err := s.ListCandidacies(ctx, "copil-2024", "", 1, "")
		if err != nil || len(page) != 1 || page[0].ID != b.ID || next == "" {
			t.Fatalf("by call, first page: %v %q %v", page, next, err)
		}
		if rest, last, err := s.ListCandidacies(ctx, "copil-2024", "", 5, next); err != nil || len(rest) != 1 || rest[0].ID != a.ID || last != "" {
			t.Errorf("by call, second page: %v %q %v", rest, last, err)
		}
		if drafts, _, _ := s.ListCandidacies(ctx, "copil-2024", calls.CandidacyDraft, 10, ""); len(drafts) != 2 {
			t.Errorf("drafts = %d", len(drafts))
		}
	})
}

func TestCreateCandidacyIdempotency(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		now := time.Date(2024, 8, 20, 10, 0, 0, 0, time.UTC)
		st := ddbstore.New(c, table).WithClock(func() time.Time { return now })
		s := callsdb.New(st)
		req, err := idempotency.Begin(calls.ApplyScope, "key-1", "request")
		if err != nil {
			t.Fatal(err)
		}
		rec, err := req.Record(201, map[string]string{"id": "x"}, now)
		if err != nil {
			t.Fatal(err)
		}

		first := testCandidacy(1, "copil-2024", now)
		if err := s.CreateCandidacy(ctx, first, ddbtest.Email("link1", now), rec); err != nil {
			t.Fatal(err)
		}
		// Same key again: nothing written (no candidacy, no email), ErrRecorded.
		second := testCandidacy(2, "copil-2024", now)
		err = s.CreateCandidacy(ctx, second, ddbtest.Email("link2", now), rec)
		if !errors.Is(err, idempotency.ErrRecorded) {
			t.Fatalf("second create: err = %v, want ErrRecorded", err)
		}
		if _, err := s.GetCandidacy(ctx, second.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("the refused transaction stored its candidacy: %v", err)
		}
		pending, _, err := st.Outbox().ListPending(ctx, 10, "")
		if err != nil || len(pending) != 1 || pending[0].ID != "link1" {
			t.Errorf("pending emails = %s %v, want link1 only", ddbtest.IDs(pending), err)
		}
		got, ok, err := idempotency.Earlier[map[string]string](ctx, s, req)
		if err != nil || !ok || got["id"] != "x" {
			t.Errorf("recorded response = %v, %v, %v", got, ok, err)
		}
		// The id taken without a key is still a conflict, not a replay.
		if err := s.CreateCandidacy(ctx, first, ddbtest.Email("link3", now), nil); !apperr.Is(err, apperr.Conflict) || errors.Is(err, idempotency.ErrRecorded) {
			t.Errorf("same id, no key: %v, want conflict", err)
		}
		// Another key with the id taken is a conflict too, and records nothing.
		other, _ := idempotency.Begin(calls.ApplyScope, "key-2", "request")
		otherRec, _ := other.Record(201, map[string]string{"id": "y"}, now)
		if err := s.CreateCandidacy(ctx, first, ddbtest.Email("link4", now), otherRec); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("same id, new key: %v, want conflict", err)
		}
		if _, ok, err := idempotency.Earlier[map[string]string](ctx, s, other); ok || err != nil {
			t.Errorf("a refused transaction recorded its key: %v %v", ok, err)
		}
	})
}

// The counter's writes: the lease is taken only when free, expired or
// already ours; the submission moves the counter only under our lease and
// only from the number read.
func TestCounterLeaseAndSubmission(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, db ddbtest.Client, table string) {
		ctx := context.Background()
		base := time.Date(2024, 8, 14, 8, 0, 0, 0, time.UTC)
		st := ddbstore.New(db, table)
		s := callsdb.New(st)
		a, b := testCandidacy(1, "copil-2024", base), testCandidacy(2, "copil-2024", base)
		for i, c := range []calls.Candidacy{a, b} {
			if err := s.CreateCandidacy(ctx, c, ddbtest.Email(fmt.Sprintf("link%d", i), base), nil); err != nil {
				t.Fatal(err)
			}
		}
		if ctr, err := s.GetCounter(ctx, "copil-2024"); err != nil || ctr != (calls.Counter{}) {
			t.Fatalf("no counter yet: %+v %v", ctr, err)
		}
		// A lease left by the former code (epoch milliseconds) counts as
		// expired. (minidyn cannot compare it with an instant: moto only.)
		if _, isMinidyn := db.(*minidyn.Client); !isMinidyn {
			if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]types.AttributeValue{
				"PK": &types.AttributeValueMemberS{Value: "CALL#gt-2024"}, "SK": &types.AttributeValueMemberS{Value: "SEQ"},
				"seq": &types.AttributeValueMemberN{Value: "4"}, "leaseOwner": &types.AttributeValueMemberS{Value: "dead"},
				"leaseUntil": &types.AttributeValueMemberN{Value: fmt.Sprint(base.Add(time.Hour).UnixMilli())},
			}}); err != nil {
				t.Fatal(err)
			}
			if err := s.TakeLease(ctx, "gt-2024", 4, "me", base.Add(3*time.Second), base); err != nil {
				t.Errorf("a lease of the former format: %v", err)
			}
		}
		// A submitter that died holding the lease does not block the next
		// once its lease expired; an unexpired one does.
		if err := s.TakeLease(ctx, "copil-2024", 0, "dead", base.Add(time.Second), base); err != nil {
			t.Fatal(err)
		}
		if err := s.TakeLease(ctx, "copil-2024", 0, "me", base.Add(3*time.Second), base); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a held lease taken: %v", err)
		}
		later := base.Add(2 * time.Second)
		if err := s.TakeLease(ctx, "copil-2024", 0, "me", later.Add(3*time.Second), later); err != nil {
			t.Fatalf("an expired lease: %v", err)
		}
		ctr, err := s.GetCounter(ctx, "copil-2024")
		if err != nil || ctr.Seq != 0 || ctr.Owner != "me" || !ctr.Until.Equal(later.Add(3*time.Second)) || !ctr.Leased("other", later) || ctr.Leased("me", later) {
			t.Fatalf("leased counter = %+v %v", ctr, err)
		}
		// Not at the number read, or not our lease: nothing.
		if err := s.TakeLease(ctx, "copil-2024", 5, "me", later, later); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a lease on a number not read: %v", err)
		}
		if err := s.SubmitCandidacy(ctx, submitted(a, 1), 1, 0, "dead", ddbtest.Email("r0", base)); !errors.Is(err, calls.ErrCounterMoved) {
			t.Errorf("a submission under someone else's lease: %v, want ErrCounterMoved", err)
		}
		// A candidacy changed meanwhile: Conflict, and the number stays free.
		if err := s.SubmitCandidacy(ctx, submitted(a, 1), 7, 0, "me", ddbtest.Email("r1", base)); !apperr.Is(err, apperr.Conflict) || errors.Is(err, calls.ErrCounterMoved) {
			t.Errorf("stale submission: %v, want conflict", err)
		}
		if err := s.SubmitCandidacy(ctx, submitted(a, 1), 1, 0, "me", ddbtest.Email("r2", base)); err != nil {
			t.Fatal(err)
		}
		if ctr, err := s.GetCounter(ctx, "copil-2024"); err != nil || ctr.Seq != 1 || ctr.Owner != "" || !ctr.Until.IsZero() {
			t.Errorf("counter after a submission = %+v %v, want 1 without lease", ctr, err)
		}
		if got, _ := s.GetCandidacy(ctx, a.ID); got.Status != calls.CandidacySubmitted || got.Reference != "COPIL-2024-0001" {
			t.Errorf("submitted = %+v", got)
		}
		// The counter moved on: a submission that read 0 cannot take 1 again.
		if err := s.TakeLease(ctx, "copil-2024", 0, "late", later, later); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a lease on a number given: %v", err)
		}
		if err := s.TakeLease(ctx, "copil-2024", 1, "next", later.Add(3*time.Second), later); err != nil {
			t.Fatal(err)
		}
		// The same candidacy submitted again: Conflict (no longer a draft).
		if err := s.SubmitCandidacy(ctx, submitted(a, 2), 1, 1, "next", ddbtest.Email("r3", base)); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("double submission: %v", err)
		}
		// Released, the lease is anyone's; releasing someone else's does nothing.
		if err := s.ReleaseLease(ctx, "copil-2024", 1, "other"); err != nil {
			t.Fatal(err)
		}
		if ctr, _ := s.GetCounter(ctx, "copil-2024"); ctr.Owner != "next" {
			t.Errorf("someone else released our lease: %+v", ctr)
		}
		if err := s.ReleaseLease(ctx, "copil-2024", 1, "next"); err != nil {
			t.Fatal(err)
		}
		if err := s.TakeLease(ctx, "copil-2024", 1, "third", later.Add(3*time.Second), later); err != nil {
			t.Fatalf("a released lease: %v", err)
		}
		if err := s.SubmitCandidacy(ctx, submitted(b, 2), 1, 1, "third", ddbtest.Email("r4", base)); err != nil {
			t.Fatal(err)
		}
		subs, _, err := s.ListCandidacies(ctx, "copil-2024", calls.CandidacySubmitted, 10, "")
		if err != nil || len(subs) != 2 {
			t.Errorf("submitted = %d %v", len(subs), err)
		}
		pending, _, _ := st.Outbox().ListPending(ctx, 10, "")
		receipts := 0
		for _, e := range pending {
			if e.ID == "r2" || e.ID == "r4" {
				receipts++
			} else if e.ID != "link0" && e.ID != "link1" {
				t.Errorf("a refused submission recorded its receipt %s", e.ID)
			}
		}
		if receipts != 2 {
			t.Errorf("%d receipts recorded, want 2", receipts)
		}
	})
}
