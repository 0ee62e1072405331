package calls_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"
	"espaceosc/shared/calls/callstest"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/callsdb"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/i18n"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"
)

type evEnv struct {
	ev     *calls.Service
	store  callsdb.Store
	table  *ddbstore.Table
	bucket *callstest.Bucket
	sender *outboxtest.Sender
	now    time.Time
}

var evNow = time.Date(2024, 9, 20, 10, 0, 0, 0, time.UTC)

func newEvEnv(t testing.TB) evEnv {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	st := ddbstore.New(db, table)
	sender := &outboxtest.Sender{}
	b := callstest.NewBucket()
	quiet := slog.New(slog.DiscardHandler)
	ev := calls.NewService(calls.Config{
		Store: callsdb.New(st), Mailer: outbox.New(st.Outbox(), sender, calls.Emails, quiet), Files: b,
		Directory: callstest.Evaluators("eval-1", "eval-2", "eval-3"),
		TempDir:   t.TempDir(), Log: quiet, Now: func() time.Time { return evNow },
	})
	return evEnv{ev: ev, store: callsdb.New(st), table: st, bucket: b, sender: sender, now: evNow}
}

// evCall stores a call in status with a two-criterion grid.
func evCall(t testing.TB, e evEnv, id string, kind calls.Kind, status calls.Status) calls.Call {
	t.Helper()
	c := calls.Call{
		ID: id, Kind: kind, Status: status, Seats: 2,
		Title:    i18n.Text{FR: "Comité de pilotage 2024-2027", AR: "لجنة القيادة 2024-2027"},
		OpensAt:  time.Date(2024, 8, 14, 8, 0, 0, 0, time.UTC),
		ClosesAt: time.Date(2024, 9, 5, 22, 59, 0, 0, time.UTC),
		Documents: []calls.DocumentSpec{
			{Type: "statuts", Label: i18n.Text{FR: "Statuts", AR: "النظام الأساسي"}, Required: true, MaxBytes: calls.DefaultDocumentBytes},
			{Type: "recepisse", Label: i18n.Text{FR: "Récépissé", AR: "الوصل"}, Required: true, MaxBytes: calls.DefaultDocumentBytes},
		},
		Criteria: []calls.Criterion{
			{ID: "experience", Label: i18n.Text{FR: "Expérience", AR: "الخبرة"}, Weight: 40, MaxScore: 20},
			{ID: "plan", Label: i18n.Text{FR: "Plan d'action", AR: "خطة العمل"}, Weight: 60, MaxScore: 10},
		},
		CreatedAt: evNow.Add(-60 * 24 * time.Hour), UpdatedAt: evNow.Add(-60 * 24 * time.Hour), Version: 1,
	}
	if kind == calls.KindGT {
		c.WorkingGroups = []calls.WorkingGroup{{ID: "transparence", Name: i18n.Text{FR: "Transparence", AR: "الشفافية"}}, {ID: "souss-massa", Name: i18n.Text{FR: "Souss-Massa", AR: "سوس ماسة"}}}
	}
	if err := e.store.CreateCall(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return c
}

// evCandidacy stores a candidacy of call (submitted with sequence seq when seq > 0, else a draft).
func evCandidacy(t testing.TB, e evEnv, call calls.Call, seq int, name string, lang i18n.Lang) calls.Candidacy {
	t.Helper()
	id := fmt.Sprintf("cand%022d", seq)
	if seq == 0 {
		id = fmt.Sprintf("draft%021d", len(name))
	}
	c := calls.Candidacy{
		ID: id, CallID: call.ID, Status: calls.CandidacyDraft, Lang: lang,
		Association: calls.Association{Name: name, Acronym: strings.ToUpper(name[:3]), City: "Agadir", Region: "souss-massa",
			Email: fmt.Sprintf("asso%d@example.ma", seq), Phone: "+212 600 00 00 00", LegalForm: "association"},
		Representative: calls.Representative{Name: "Salma Idrissi", Email: fmt.Sprintf("rep%d@example.ma", seq)},
		WorkingGroups:  []string{"transparence"},
		Documents: []calls.Document{
			{Type: "statuts", Status: calls.DocumentVerified, Key: "candidacies/" + id + "/statuts/aaaaaaaaaaaaaaaa.pdf", Size: 1234, SHA256: "ab"},
			{Type: "recepisse", Status: calls.DocumentVerified, Key: "candidacies/" + id + "/recepisse/bbbbbbbbbbbbbbbb.pdf", Size: 99, SHA256: "cd"},
		},
		CreatedAt: evNow.Add(-30 * 24 * time.Hour).Add(time.Duration(seq) * time.Minute), UpdatedAt: evNow.Add(-30 * 24 * time.Hour),
		ExpiresAt: call.ClosesAt.Add(calls.Retention), Version: 1, TokenHash: "x",
	}
	if call.Kind == calls.KindCopil {
		c.WorkingGroups = nil
	}
	if seq > 0 {
		c.Status, c.Sequence, c.Reference, c.SubmittedAt = calls.CandidacySubmitted, seq, calls.FormatReference(call, seq), c.CreatedAt
	}
	if err := e.store.CreateCandidacy(context.Background(), c, ddbtest.Email("link-"+id, evNow), nil); err != nil {
		t.Fatal(err)
	}
	return c
}

func setStatus(t testing.TB, e evEnv, id string, s calls.Status) {
	t.Helper()
	ctx := context.Background()
	c, err := e.store.GetCall(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	prev := c.Version
	c.Status, c.Version = s, prev+1
	if err := e.store.UpdateCall(ctx, c, prev); err != nil {
		t.Fatal(err)
	}
}

func intp(i int) *int { return &i }

func scores(exp, plan int) calls.ScoreInput {
	return calls.ScoreInput{Scores: []calls.ScoreItem{
		{Criterion: "plan", Score: intp(plan), Comment: "Plan clair."},
		{Criterion: "experience", Score: intp(exp), Comment: "خبرة طويلة في تتبع الميزانيات."},
	}}
}

func wantCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != code {
		t.Fatalf("error = %v (%s), want %s", err, got, code)
	}
}

func TestScoreInputValidate(t *testing.T) {
	e := newEvEnv(t)
	call := evCall(t, e, "copil-2024", calls.KindCopil, calls.StatusEvaluating)
	cases := []struct {
		name   string
		in     calls.ScoreInput
		fields []string
	}{
		{"every criterion, in any order", scores(20, 0), nil},
		{"nothing", calls.ScoreInput{}, []string{"scores"}},
		{"a criterion missing", calls.ScoreInput{Scores: []calls.ScoreItem{{Criterion: "plan", Score: intp(3)}}}, []string{"scores"}},
		{"unknown criterion", calls.ScoreInput{Scores: []calls.ScoreItem{{Criterion: "plan", Score: intp(3)}, {Criterion: "budget", Score: intp(3)}}}, []string{"scores[1].criterion", "scores"}},
		{"twice", calls.ScoreInput{Scores: []calls.ScoreItem{{Criterion: "plan", Score: intp(3)}, {Criterion: "plan", Score: intp(4)}}}, []string{"scores[1].criterion", "scores"}},
		{"above the maximum", calls.ScoreInput{Scores: []calls.ScoreItem{{Criterion: "plan", Score: intp(11)}, {Criterion: "experience", Score: intp(20)}}}, []string{"scores[0].score"}},
		{"negative", calls.ScoreInput{Scores: []calls.ScoreItem{{Criterion: "plan", Score: intp(-1)}, {Criterion: "experience", Score: intp(0)}}}, []string{"scores[0].score"}},
		{"no score", calls.ScoreInput{Scores: []calls.ScoreItem{{Criterion: "plan"}, {Criterion: "experience", Score: intp(0)}}}, []string{"scores[0].score"}},
		{"comment too long", calls.ScoreInput{Scores: []calls.ScoreItem{{Criterion: "plan", Score: intp(1), Comment: strings.Repeat("ع", 2001)}, {Criterion: "experience", Score: intp(0)}}}, []string{"scores[0].comment"}},
		{"comment of 2000 Arabic letters", calls.ScoreInput{Scores: []calls.ScoreItem{{Criterion: "plan", Score: intp(1), Comment: strings.Repeat("ع", 2000)}, {Criterion: "experience", Score: intp(0)}}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.in.Validate(call)
			if c.fields == nil {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				if len(got) != 2 || got[0].Criterion != "experience" || got[1].Criterion != "plan" {
					t.Fatalf("scores = %+v, want the grid's order", got)
				}
				return
			}
			ae, ok := apperr.As(err)
			if !ok || ae.Code != apperr.Invalid {
				t.Fatalf("err = %v, want invalid", err)
			}
			var fields []string
			for _, f := range ae.Fields {
				fields = append(fields, f.Field)
			}
			if strings.Join(fields, ",") != strings.Join(c.fields, ",") {
				t.Errorf("fields = %v, want %v", fields, c.fields)
			}
		})
	}
}

func TestTally(t *testing.T) {
	call := calls.Call{Criteria: []calls.Criterion{{ID: "experience", Weight: 40, MaxScore: 20}, {ID: "plan", Weight: 60, MaxScore: 10}}}
	ev := func(status calls.EvaluationStatus, exp, plan int) calls.Evaluation {
		e := calls.Evaluation{Status: status}
		if status == calls.EvaluationScored {
			e.Scores = []calls.Score{{Criterion: "experience", Score: exp}, {Criterion: "plan", Score: plan}}
		}
		return e
	}
	cases := []struct {
		name            string
		evs             []calls.Evaluation
		total, percent  string
		scored, recused int
	}{
		{"none", nil, "", "", 0, 0},
		{"assigned only", []calls.Evaluation{ev(calls.EvaluationAssigned, 0, 0)}, "", "", 0, 0},
		// 40·20/20 + 60·5/10 = 70
		{"one", []calls.Evaluation{ev(calls.EvaluationScored, 20, 5)}, "70.00", "70.00", 1, 0},
		// (70 + 40·10/20 + 60·10/10 = 80) / 2 = 75; the recused one does not count
		{"two and a recusal", []calls.Evaluation{ev(calls.EvaluationScored, 20, 5), ev(calls.EvaluationScored, 10, 10), ev(calls.EvaluationRecused, 0, 0)}, "75.00", "75.00", 2, 1},
		// (40·7/20 + 60·3/10) = 14 + 18 = 32; (40·8/20 + 60·4/10) = 16 + 24 = 40; (32 + 40 + 0) / 3 = 24
		{"three", []calls.Evaluation{ev(calls.EvaluationScored, 7, 3), ev(calls.EvaluationScored, 8, 4), ev(calls.EvaluationScored, 0, 0)}, "24.00", "24.00", 3, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := calls.Tally(call, c.evs)
			f := func(p *float64) string {
				if p == nil {
					return ""
				}
				return fmt.Sprintf("%.2f", *p)
			}
			if f(got.Total) != c.total || f(got.Percent) != c.percent || got.Scored != c.scored || got.Recused != c.recused {
				t.Errorf("Tally = total %s percent %s scored %d recused %d, want %s %s %d %d", f(got.Total), f(got.Percent), got.Scored, got.Recused, c.total, c.percent, c.scored, c.recused)
			}
		})
	}
}

func TestEvaluationAccessAndScoring(t *testing.T) {
	e := newEvEnv(t)
	ctx := context.Background()
	call := evCall(t, e, "copil-2024", calls.KindCopil, calls.StatusOpen)
	a := evCandidacy(t, e, call, 1, "Association Tafra", i18n.FR)
	b := evCandidacy(t, e, call, 2, "جمعية النخيل", i18n.AR)
	draft := evCandidacy(t, e, call, 0, "Brouillon", i18n.FR)

	// Assignments: only submitted candidacies, only once the call is closed, valid subs only.
	_, err := e.ev.Assign(ctx, a.ID, "admin-1", calls.AssignInput{Evaluators: []string{"eval-1"}})
	wantCode(t, err, apperr.Conflict)
	setStatus(t, e, call.ID, calls.StatusClosed)
	for _, bad := range []calls.AssignInput{{}, {Evaluators: []string{"eval 1"}}, {Evaluators: []string{"eval-1", "eval-1"}}, {Evaluators: []string{"x", "../y"}},
		{Evaluators: strings.Fields("a b c d e f g h i j k")}} {
		_, err := e.ev.Assign(ctx, a.ID, "admin-1", bad)
		wantCode(t, err, apperr.Invalid)
	}
	if evs, _ := e.store.EvaluationsOf(ctx, a.ID); len(evs) != 0 {
		t.Fatalf("bad input stored %d assignments", len(evs))
	}
	_, err = e.ev.Assign(ctx, draft.ID, "admin-1", calls.AssignInput{Evaluators: []string{"eval-1"}})
	wantCode(t, err, apperr.Conflict)
	_, err = e.ev.Assign(ctx, "nope", "admin-1", calls.AssignInput{Evaluators: []string{"eval-1"}})
	wantCode(t, err, apperr.NotFound)
	// Only members of the evaluators group: a well-formed stranger is refused by name.
	_, err = e.ev.Assign(ctx, a.ID, "admin-1", calls.AssignInput{Evaluators: []string{"eval-1", "eval-9"}})
	wantCode(t, err, apperr.Invalid)
	if f := strings.Join(fields(err), " "); f != "evaluators[1]:calls.not_evaluator" {
		t.Errorf("a stranger's assignment: fields %q, want evaluators[1] not an evaluator", f)
	}
	if evs, _ := e.store.EvaluationsOf(ctx, a.ID); len(evs) != 0 {
		t.Fatalf("a refused assignment stored %d evaluations", len(evs))
	}
	got, err := e.ev.Assign(ctx, a.ID, "admin-1", calls.AssignInput{Evaluators: []string{"eval-1", "eval-2"}})
	if err != nil || len(got) != 2 {
		t.Fatalf("Assign = %d, %v", len(got), err)
	}
	// Assigning again keeps what exists.
	if got, err = e.ev.Assign(ctx, a.ID, "admin-1", calls.AssignInput{Evaluators: []string{"eval-1"}}); err != nil || len(got) != 2 {
		t.Fatalf("Assign again = %d, %v", len(got), err)
	}
	if _, err := e.ev.Assign(ctx, b.ID, "admin-1", calls.AssignInput{Evaluators: []string{"eval-2"}}); err != nil {
		t.Fatal(err)
	}

	// An evaluator sees only their assignments.
	list, _, err := e.ev.MyAssignments(ctx, "eval-1", 10, "")
	if err != nil || len(list) != 1 || list[0].CandidacyID != a.ID || list[0].Reference != "COPIL-2024-0001" {
		t.Fatalf("eval-1's list = %+v, %v", list, err)
	}
	list, _, _ = e.ev.MyAssignments(ctx, "eval-2", 10, "")
	if len(list) != 2 {
		t.Fatalf("eval-2's list: %d", len(list))
	}
	_, err = e.ev.ForEvaluator(ctx, "eval-1", b.ID, i18n.FR)
	wantCode(t, err, apperr.Forbidden)
	_, err = e.ev.ForEvaluator(ctx, "eval-1", "zzzzzzzzzzzzzzzzzzzzzzzzzz", i18n.FR)
	wantCode(t, err, apperr.Forbidden)
	v, err := e.ev.ForEvaluator(ctx, "eval-1", a.ID, i18n.AR)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Documents) != 2 || !strings.Contains(v.Documents[0].URL, "X-Amz-Expires=300") || v.Criteria[0].Label != "الخبرة" || v.CanScore {
		t.Fatalf("evaluator view = %+v", v)
	}
	for _, ttl := range e.bucket.TTLs() {
		if ttl > 5*time.Minute {
			t.Errorf("document link valid %v", ttl)
		}
	}

	// Scoring only while evaluating; never someone else's; never once recused.
	_, err = e.ev.Score(ctx, "eval-1", a.ID, scores(20, 5), i18n.FR)
	wantCode(t, err, apperr.Conflict)
	setStatus(t, e, call.ID, calls.StatusEvaluating)
	_, err = e.ev.Score(ctx, "eval-1", b.ID, scores(20, 5), i18n.FR)
	wantCode(t, err, apperr.Forbidden)
	_, err = e.ev.Score(ctx, "eval-1", a.ID, calls.ScoreInput{Scores: []calls.ScoreItem{{Criterion: "plan", Score: intp(99)}}}, i18n.FR)
	wantCode(t, err, apperr.Invalid)
	if ev, _ := e.store.GetEvaluation(ctx, a.ID, "eval-1"); ev.Status != calls.EvaluationAssigned || ev.Version != 1 {
		t.Fatalf("bad score stored: %+v", ev)
	}
	if _, err := e.ev.Score(ctx, "eval-1", a.ID, scores(10, 10), i18n.FR); err != nil {
		t.Fatal(err)
	}
	sv, err := e.ev.Score(ctx, "eval-1", a.ID, scores(20, 5), i18n.FR) // scored again: replaces
	if err != nil || sv.Total == nil || *sv.Total != 70 || sv.Status != calls.EvaluationScored {
		t.Fatalf("Score = %+v, %v", sv, err)
	}
	if _, err := e.ev.Score(ctx, "eval-2", a.ID, scores(10, 10), i18n.FR); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ev.Score(ctx, "eval-2", b.ID, scores(20, 10), i18n.FR); err != nil {
		t.Fatal(err)
	}
	_, err = e.ev.Recuse(ctx, "eval-2", b.ID, calls.RecuseInput{Reason: ""}, i18n.FR)
	wantCode(t, err, apperr.Invalid)
	if _, err := e.ev.Recuse(ctx, "eval-2", b.ID, calls.RecuseInput{Reason: "Je suis membre du bureau de cette association."}, i18n.FR); err != nil {
		t.Fatal(err)
	}
	_, err = e.ev.Score(ctx, "eval-2", b.ID, scores(20, 10), i18n.FR)
	wantCode(t, err, apperr.Conflict)
	rv, err := e.ev.ForEvaluator(ctx, "eval-2", b.ID, i18n.FR)
	if err != nil || rv.CanScore || len(rv.Documents) != 2 || rv.Documents[0].URL != "" {
		t.Fatalf("recused view = %+v, %v", rv, err)
	}

	// Admins: scores per evaluator, the weighted total (mean of 70 and 80) and the ranking.
	av, err := e.ev.ForAdmin(ctx, a.ID, i18n.FR)
	if err != nil || len(av.Evaluations) != 2 || av.Total == nil || *av.Total != 75 || av.Scored != 2 {
		t.Fatalf("ForAdmin = %+v, %v", av, err)
	}
	rk, err := e.ev.Ranking(ctx, call.ID)
	if err != nil || len(rk.Items) != 2 || rk.Items[0].CandidacyID != a.ID || rk.Items[1].Total != nil || rk.Items[1].Recused != 1 || rk.MaxTotal != 100 {
		t.Fatalf("Ranking = %+v, %v", rk, err)
	}
}

func TestRankingTiesKeepTheReferenceOrder(t *testing.T) {
	e := newEvEnv(t)
	ctx := context.Background()
	call := evCall(t, e, "copil-2024", calls.KindCopil, calls.StatusClosed)
	var ids []string
	for i := 1; i <= 4; i++ {
		c := evCandidacy(t, e, call, i, fmt.Sprintf("Association %d", i), i18n.FR)
		ids = append(ids, c.ID)
		if _, err := e.ev.Assign(ctx, c.ID, "admin", calls.AssignInput{Evaluators: []string{"eval-1"}}); err != nil {
			t.Fatal(err)
		}
	}
	setStatus(t, e, call.ID, calls.StatusEvaluating)
	// 3 and 1 tie at 70, 4 has 80, 2 is not scored.
	for _, s := range []struct {
		i, exp, plan int
	}{{3, 20, 5}, {1, 20, 5}, {4, 10, 10}} {
		if _, err := e.ev.Score(ctx, "eval-1", ids[s.i-1], scores(s.exp, s.plan), i18n.FR); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		rk, err := e.ev.Ranking(ctx, call.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range rk.Items {
			got = append(got, fmt.Sprintf("%d:%s", it.Rank, it.Reference))
		}
		want := "1:COPIL-2024-0004 2:COPIL-2024-0001 3:COPIL-2024-0003 4:COPIL-2024-0002"
		if strings.Join(got, " ") != want {
			t.Fatalf("ranking = %v, want %s", got, want)
		}
	}
}

func TestDecidePublishAndResults(t *testing.T) {
	e := newEvEnv(t)
	ctx := context.Background()
	call := evCall(t, e, "gt-2024", calls.KindGT, calls.StatusEvaluating)
	sel := evCandidacy(t, e, call, 1, "Association Tafra", i18n.FR)
	res := evCandidacy(t, e, call, 2, "جمعية النخيل", i18n.AR)
	no := evCandidacy(t, e, call, 3, "=HYPERLINK(\"http://evil\")", i18n.AR)

	// Nothing is public before publication.
	_, err := e.ev.PublicResults(ctx, call.ID, i18n.FR)
	wantCode(t, err, apperr.NotFound)
	// Bad decisions change nothing.
	for _, bad := range []string{"", "accepted", "SELECTED"} {
		_, err := e.ev.Decide(ctx, sel.ID, calls.DecisionInput{Outcome: bad}, i18n.FR)
		wantCode(t, err, apperr.Invalid)
	}
	if c, _ := e.store.GetCandidacy(ctx, sel.ID); c.Outcome != "" || c.Version != 1 {
		t.Fatalf("bad decision stored: %q v%d", c.Outcome, c.Version)
	}
	if _, err := e.ev.Decide(ctx, sel.ID, calls.DecisionInput{Outcome: "selected"}, i18n.FR); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ev.Decide(ctx, res.ID, calls.DecisionInput{Outcome: "reserve"}, i18n.FR); err != nil {
		t.Fatal(err)
	}
	// Publishing with an undecided candidacy: 409 listing it, nothing published.
	_, err = e.ev.PublishResults(ctx, call.ID)
	ae, _ := apperr.As(err)
	if ae == nil || ae.Code != apperr.Conflict || len(ae.Fields) != 1 || ae.Fields[0].Field != "candidacies.GT-2024-0003" {
		t.Fatalf("publish undecided = %v", err)
	}
	if c, _ := e.store.GetCall(ctx, call.ID); c.Status != calls.StatusEvaluating || len(e.sender.Sent()) != 0 {
		t.Fatalf("publish undecided changed the call (%s) or sent %d emails", c.Status, len(e.sender.Sent()))
	}
	if _, err := e.ev.Decide(ctx, no.ID, calls.DecisionInput{Outcome: "not_selected"}, i18n.FR); err != nil {
		t.Fatal(err)
	}
	// CSV export: BOM, Arabic intact, formulas neutralised, recorded.
	x, err := e.ev.ExportCSV(ctx, call.ID, "admin-1")
	if err != nil || x.Rows != 3 {
		t.Fatalf("ExportCSV = %+v, %v", x, err)
	}
	var body []byte
	for _, k := range e.bucket.Keys() {
		if strings.HasPrefix(k, "exports/calls/gt-2024/") {
			var typ, name string
			body, typ, name = e.bucket.Object(k)
			if typ != "text/csv; charset=utf-8" || name != "candidatures-gt-2024.csv" {
				t.Errorf("export stored as %q named %q", typ, name)
			}
		}
	}
	if !bytes.Contains(body, []byte("\r\n")) {
		t.Error("CSV lines do not end with CRLF")
	}
	if !bytes.HasPrefix(body, []byte("\uFEFF")) {
		t.Fatal("no BOM")
	}
	rows, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("csv: %d rows, %v", len(rows), err)
	}
	if rows[2][3] != "جمعية النخيل" || rows[3][3] != "'=HYPERLINK(\"http://evil\")" || rows[1][2] != "selected" {
		t.Errorf("csv rows = %q", rows[1:])
	}

	pv, err := e.ev.PublishResults(ctx, call.ID)
	if err != nil || pv.Notified != 3 || pv.Selected != 1 || pv.Memberships != 1 || pv.Status != calls.StatusResultsPublished {
		t.Fatalf("PublishResults = %+v, %v", pv, err)
	}
	sent := e.sender.SentOfKind(calls.KindOutcomeEmail)
	if len(sent) != 3 {
		t.Fatalf("%d outcome emails", len(sent))
	}
	byTo := map[string]outbox.Message{}
	for _, m := range sent {
		byTo[m.To] = m
	}
	if m := byTo[sel.Association.Email]; m.Lang != "fr" || !strings.Contains(m.Text, "a retenu") {
		t.Errorf("selected email: %s %q", m.Lang, m.Text)
	}
	if m := byTo[res.Association.Email]; m.Lang != "ar" || !strings.Contains(m.Text, "لائحة الانتظار") {
		t.Errorf("reserve email: %s %q", m.Lang, m.Text)
	}
	if m := byTo[no.Association.Email]; m.Lang != "ar" || !strings.Contains(m.Text, "لم تختر") || strings.Contains(m.HTML, "<a href=\"http://evil") {
		t.Errorf("not selected email: %s %q", m.Lang, m.Text)
	}
	// Publishing again resumes: nothing twice.
	pv, err = e.ev.PublishResults(ctx, call.ID)
	if err != nil || pv.Notified != 0 || pv.Already != 3 || len(e.sender.SentOfKind(calls.KindOutcomeEmail)) != 3 {
		t.Fatalf("publish again = %+v, %v, %d emails", pv, err, len(e.sender.Sent()))
	}
	// Decisions are frozen once published.
	_, err = e.ev.Decide(ctx, no.ID, calls.DecisionInput{Outcome: "selected"}, i18n.FR)
	wantCode(t, err, apperr.Conflict)

	rv, err := e.ev.PublicResults(ctx, call.ID, i18n.AR)
	if err != nil || len(rv.Selected) != 1 || rv.Selected[0].Name != "Association Tafra" || rv.Selected[0].City != "Agadir" ||
		len(rv.Selected[0].WorkingGroups) != 1 || rv.Title != "لجنة القيادة 2024-2027" {
		t.Fatalf("PublicResults = %+v, %v", rv, err)
	}
	members, err := e.store.MembersOf(ctx, "transparence")
	if err != nil || len(members) != 1 || members[0].CandidacyID != sel.ID || members[0].CallID != call.ID {
		t.Fatalf("members = %+v, %v", members, err)
	}
}

func TestDossierZipsTheVerifiedDocuments(t *testing.T) {
	e := newEvEnv(t)
	ctx := context.Background()
	call := evCall(t, e, "copil-2024", calls.KindCopil, calls.StatusEvaluating)
	c := evCandidacy(t, e, call, 7, "Association Tafra", i18n.FR)
	// A dossier without its objects (deleted meanwhile) exports nothing.
	if _, err := e.ev.Dossier(ctx, c.ID, "admin-1"); err == nil {
		t.Fatal("a dossier whose documents are gone was exported")
	}
	pdfs := map[string][]byte{}
	for _, d := range c.Documents {
		pdfs[d.Type] = []byte("%PDF-1.7\n" + d.Type + " " + c.ID)
		e.bucket.Upload(d.Key, pdfs[d.Type])
	}
	x, err := e.ev.Dossier(ctx, c.ID, "admin-1")
	if err != nil || x.Rows != 2 || !strings.Contains(x.URL, "X-Amz-Expires=600") {
		t.Fatalf("Dossier = %+v, %v", x, err)
	}
	var zipped []byte
	for _, k := range e.bucket.Keys() {
		if strings.HasPrefix(k, "exports/dossiers/"+c.ID+"/") {
			var typ, name string
			zipped, typ, name = e.bucket.Object(k)
			if typ != "application/zip" || name != "dossier-COPIL-2024-0007.zip" || !strings.Contains(x.URL, k) {
				t.Errorf("zip stored as %q named %q, link %s", typ, name, x.URL)
			}
		}
	}
	if zipped == nil || x.Bytes != int64(len(zipped)) {
		t.Fatalf("zip of %d bytes stored, answer says %d", len(zipped), x.Bytes)
	}
	zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r)
		r.Close()
		if typ := strings.TrimSuffix(f.Name, ".pdf"); !bytes.Equal(body, pdfs[typ]) || f.Method != zip.Store {
			t.Errorf("zip entry %s = %q (method %d), want %q stored", f.Name, body, f.Method, pdfs[typ])
		}
	}
	if got := strings.Join(names, ","); got != "statuts.pdf,recepisse.pdf" {
		t.Errorf("zip entries = %s, want the call's order", got)
	}
	_, err = e.ev.Dossier(ctx, "unknown", "admin-1")
	wantCode(t, err, apperr.NotFound)
}

// failingResults fails RecordResult after ok successful calls (a table
// outage in the middle of a publication).
type failingResults struct {
	calls.Store
	mu sync.Mutex
	ok int
}

func (f *failingResults) RecordResult(ctx context.Context, r calls.Result, e outbox.Email, s *calls.Selected, m []calls.Membership) error {
	f.mu.Lock()
	if f.ok == 0 {
		f.mu.Unlock()
		return apperr.Wrap(apperr.Unavailable, "", fmt.Errorf("table down"))
	}
	f.ok--
	f.mu.Unlock()
	return f.Store.RecordResult(ctx, r, e, s, m)
}

// Many candidacies: one transaction each; an outage in the middle and a
// failing SES lose nothing and send nothing twice.
func TestPublishResultsLosesNothing(t *testing.T) {
	e := newEvEnv(t)
	ctx := context.Background()
	call := evCall(t, e, "gt-2024", calls.KindGT, calls.StatusEvaluating)
	const n = 60
	for i := 1; i <= n; i++ {
		c := evCandidacy(t, e, call, i, fmt.Sprintf("Association %02d", i), []i18n.Lang{i18n.FR, i18n.AR}[i%2])
		outcome := []string{"selected", "reserve", "not_selected"}[i%3]
		if _, err := e.ev.Decide(ctx, c.ID, calls.DecisionInput{Outcome: outcome}, i18n.FR); err != nil {
			t.Fatal(err)
		}
	}
	quiet := slog.New(slog.DiscardHandler)
	e.sender.Fail(true)
	flaky := &failingResults{Store: e.store, ok: 25}
	ev := calls.NewService(calls.Config{Store: flaky, Mailer: outbox.New(e.table.Outbox(), e.sender, calls.Emails, quiet), Files: e.bucket, Log: quiet})
	if _, err := ev.PublishResults(ctx, call.ID); !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("publish during an outage: %v, want unavailable", err)
	}
	if c, _ := e.store.GetCall(ctx, call.ID); c.Status != calls.StatusResultsPublished {
		t.Fatalf("call %s", c.Status)
	}
	flaky.ok = n
	pv, err := ev.PublishResults(ctx, call.ID)
	if err != nil || pv.Notified != n-25 || pv.Already != 25 || pv.Selected != n/3 {
		t.Fatalf("publish again = %+v, %v", pv, err)
	}
	// SES was down: every outcome email waits in the outbox, one per candidacy.
	perRef := map[string]int{}
	cursor := ""
	for {
		page, next, err := e.table.Outbox().ListPending(ctx, 100, cursor)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range page {
			if m.Kind == calls.KindOutcomeEmail {
				perRef[m.RefID]++
			}
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if len(perRef) != n {
		t.Fatalf("%d candidacies have a pending outcome email, want %d", len(perRef), n)
	}
	for ref, k := range perRef {
		if k != 1 {
			t.Errorf("%s: %d outcome emails", ref, k)
		}
	}
	if sel, _ := e.store.SelectedOf(ctx, call.ID); len(sel) != n/3 {
		t.Errorf("%d selected published, want %d", len(sel), n/3)
	}
	if m, _ := e.store.MembersOf(ctx, "transparence"); len(m) != n/3 {
		t.Errorf("%d members, want %d", len(m), n/3)
	}
}

// BenchmarkPublishResults measures publishing the results of a call of 40
// candidacies (the 2019 call had 38 dossiers): one transaction per candidacy.
func BenchmarkPublishResults(b *testing.B) {
	for range b.N {
		b.StopTimer()
		e := newEvEnv(b)
		ctx := context.Background()
		call := evCall(b, e, "copil-2024", calls.KindCopil, calls.StatusEvaluating)
		for i := 1; i <= 40; i++ {
			c := evCandidacy(b, e, call, i, fmt.Sprintf("Association %02d", i), i18n.FR)
			if _, err := e.ev.Decide(ctx, c.ID, calls.DecisionInput{Outcome: "not_selected"}, i18n.FR); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		if pv, err := e.ev.PublishResults(ctx, call.ID); err != nil || pv.Notified != 40 {
			b.Fatalf("%+v %v", pv, err)
		}
	}
}

// BenchmarkRanking measures the ranking of 40 candidacies with 3 evaluators each.
func BenchmarkRanking(b *testing.B) {
	e := newEvEnv(b)
	ctx := context.Background()
	call := evCall(b, e, "copil-2024", calls.KindCopil, calls.StatusClosed)
	var ids []string
	for i := 1; i <= 40; i++ {
		c := evCandidacy(b, e, call, i, fmt.Sprintf("Association %02d", i), i18n.FR)
		if _, err := e.ev.Assign(ctx, c.ID, "admin", calls.AssignInput{Evaluators: []string{"eval-1", "eval-2", "eval-3"}}); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	setStatus(b, e, call.ID, calls.StatusEvaluating)
	for i, id := range ids {
		for _, sub := range []string{"eval-1", "eval-2", "eval-3"} {
			if _, err := e.ev.Score(ctx, sub, id, scores(i%21, i%11), i18n.FR); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	for range b.N {
		if rk, err := e.ev.Ranking(ctx, call.ID); err != nil || len(rk.Items) != 40 {
			b.Fatal(err)
		}
	}
}
