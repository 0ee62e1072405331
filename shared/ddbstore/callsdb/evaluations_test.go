package callsdb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/callsdb"
	"espaceosc/shared/ddbstore/ddbtest"
)

func testEvaluation(cand, sub string, at time.Time) calls.Evaluation {
	return calls.Evaluation{CandidacyID: cand, CallID: "copil-2024", Evaluator: sub, Reference: "COPIL-2024-0001",
		Association: "جمعية النخيل", Status: calls.EvaluationAssigned, AssignedBy: "admin-1", AssignedAt: at,
		ExpiresAt: at.Add(calls.Retention), Version: 1}
}

func TestEvaluationsStore(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		st := ddbstore.New(c, table)
		s := callsdb.New(st)
		base := time.Date(2024, 9, 10, 9, 0, 0, 0, time.UTC)
		cands := []string{"cand0000000000000000000001", "cand0000000000000000000002", "cand0000000000000000000003"}
		for i, cand := range cands {
			if err := s.CreateEvaluation(ctx, testEvaluation(cand, "eval-1", base.Add(time.Duration(i)*time.Minute))); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.CreateEvaluation(ctx, testEvaluation(cands[0], "eval-2", base)); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateEvaluation(ctx, testEvaluation(cands[0], "eval-1", base)); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("assign twice: %v, want conflict", err)
		}

		// An evaluator's assignments, latest first, in pages.
		page, next, err := s.EvaluationsByEvaluator(ctx, "eval-1", 2, "")
		if err != nil || len(page) != 2 || page[0].CandidacyID != cands[2] || next == "" {
			t.Fatalf("page 1: %d, %q, %v", len(page), next, err)
		}
		page, next, err = s.EvaluationsByEvaluator(ctx, "eval-1", 2, next)
		if err != nil || len(page) != 1 || page[0].CandidacyID != cands[0] || next != "" {
			t.Fatalf("page 2: %d, %q, %v", len(page), next, err)
		}
		if _, _, err := s.EvaluationsByEvaluator(ctx, "eval-2", 2, "bm90IGEgY3Vyc29y"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("bad cursor: %v", err)
		}
		if page, _, _ := s.EvaluationsByEvaluator(ctx, "eval-3", 10, ""); len(page) != 0 {
			t.Errorf("eval-3 sees %d", len(page))
		}
		ofCall, _, err := s.EvaluationsOfCall(ctx, "copil-2024", 10, "")
		if err != nil || len(ofCall) != 4 || ofCall[0].CandidacyID != cands[0] || ofCall[3].CandidacyID != cands[2] {
			t.Fatalf("of call: %d, %v", len(ofCall), err)
		}
		of, err := s.EvaluationsOf(ctx, cands[0])
		if err != nil || len(of) != 2 || of[0].Evaluator != "eval-1" || of[1].Evaluator != "eval-2" {
			t.Fatalf("of candidacy: %+v, %v", of, err)
		}

		// Scores round-trip; a stale version is a conflict.
		e, err := s.GetEvaluation(ctx, cands[0], "eval-1")
		if err != nil || e.Association != "جمعية النخيل" || !e.AssignedAt.Equal(base) || !e.ExpiresAt.Equal(base.Add(calls.Retention)) {
			t.Fatalf("get: %+v, %v", e, err)
		}
		e.Status, e.Scores, e.ScoredAt, e.Version = calls.EvaluationScored, []calls.Score{{Criterion: "plan", Score: 7, Comment: "خطة واضحة"}}, base.Add(time.Hour), 2
		if err := s.UpdateEvaluation(ctx, e, 1); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateEvaluation(ctx, e, 1); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("stale update: %v", err)
		}
		got, _ := s.GetEvaluation(ctx, cands[0], "eval-1")
		if got.Status != calls.EvaluationScored || len(got.Scores) != 1 || got.Scores[0].Comment != "خطة واضحة" || got.Version != 2 || !got.ScoredAt.Equal(base.Add(time.Hour)) {
			t.Errorf("after update: %+v", got)
		}
		if _, err := s.GetEvaluation(ctx, cands[1], "eval-2"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unassigned: %v", err)
		}

		// A result is recorded once, with its email, public entry and memberships.
		r := calls.Result{CallID: "gt-2024", CandidacyID: cands[0], Outcome: calls.OutcomeSelected, At: base, ExpiresAt: base.Add(calls.Retention)}
		sel := &calls.Selected{CallID: "gt-2024", CandidacyID: cands[0], Sequence: 3, Name: "Association Tafra", City: "Agadir", Region: "souss-massa", Groups: []string{"transparence"}}
		members := []calls.Membership{{GroupID: "transparence", CandidacyID: cands[0], CallID: "gt-2024", Name: "Association Tafra", Since: base}}
		if err := s.RecordResult(ctx, r, ddbtest.Email("out1", base), sel, members); err != nil {
			t.Fatal(err)
		}
		if err := s.RecordResult(ctx, r, ddbtest.Email("out2", base), sel, members); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("record twice: %v", err)
		}
		pending, _, err := st.Outbox().ListPending(ctx, 10, "")
		if err != nil || len(pending) != 1 || pending[0].ID != "out1" {
			t.Errorf("pending emails after recording twice: %s, %v", ddbtest.IDs(pending), err)
		}
		if err := s.RecordResult(ctx, calls.Result{CallID: "gt-2024", CandidacyID: cands[1], Outcome: calls.OutcomeSelected, At: base},
			ddbtest.Email("out3", base), &calls.Selected{CallID: "gt-2024", CandidacyID: cands[1], Sequence: 1, Name: "جمعية النخيل"}, nil); err != nil {
			t.Fatal(err)
		}
		selected, err := s.SelectedOf(ctx, "gt-2024")
		if err != nil || len(selected) != 2 || selected[0].Sequence != 1 || selected[1].Name != "Association Tafra" || len(selected[1].Groups) != 1 {
			t.Fatalf("selected: %+v, %v", selected, err)
		}
		ms, err := s.MembersOf(ctx, "transparence")
		if err != nil || len(ms) != 1 || ms[0].CandidacyID != cands[0] || !ms[0].Since.Equal(base) {
			t.Fatalf("members: %+v, %v", ms, err)
		}
		for i := range 2 {
			x := calls.Export{ID: fmt.Sprintf("x%d", i), CallID: "gt-2024", Kind: calls.ExportCSV, By: "admin-1", At: base, Rows: 3, Key: "exports/calls/gt-2024/a.csv"}
			if err := s.RecordExport(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.RecordExport(ctx, calls.Export{ID: "x0", CallID: "gt-2024", Kind: calls.ExportCSV, At: base}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("the same export recorded twice: %v", err)
		}
	})
}
