package ddbstore_test

import (
	"context"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/bulk"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
)

// Two invocations running one job each count what they recorded; only the
// first to move the cursor moves it; a done job leaves the open jobs.
func TestJobsCountEveryRunAndMoveOnce(t *testing.T) {
	ddbtest.Each(t, func(t *testing.T, c ddbtest.Client, table string) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		tb := ddbstore.New(c, table).WithClock(func() time.Time { return now })
		jobs := tb.Jobs()
		j := bulk.New("events.cancelled", "atelier", 1, now)
		if err := tb.Tx("create").Job(j).Run(ctx); err != nil {
			t.Fatal(err)
		}
		if err := jobs.CreateJob(ctx, j); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("creating the job twice: %v, want conflict", err)
		}
		if open, err := jobs.OpenJobs(ctx, 10); err != nil || len(open) != 1 {
			t.Fatalf("open jobs = %v, %v", open, err)
		}
		a, b := j, j
		a.Cursor, b.Cursor = "confirmed|x", "confirmed|x"
		if err := jobs.SaveJob(ctx, a, "", 3); err != nil {
			t.Fatal(err)
		}
		if err := jobs.SaveJob(ctx, b, "", 2); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("a second move from the same cursor: %v, want conflict", err)
		}
		a.Cursor, a.Done = "", true
		if err := jobs.SaveJob(ctx, a, "confirmed|x", 4); err != nil {
			t.Fatal(err)
		}
		got, err := jobs.GetJob(ctx, j.ID)
		if err != nil || got.Recorded != 9 || !got.Done || got.Kind != "events.cancelled" || got.Ref != "atelier" {
			t.Errorf("job = %+v, %v; want done with 9 recorded (3 + 2 + 4)", got, err)
		}
		if open, err := jobs.OpenJobs(ctx, 10); err != nil || len(open) != 0 {
			t.Errorf("open jobs after done = %v, %v", open, err)
		}
		if _, err := jobs.GetJob(ctx, "none"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("unknown job: %v", err)
		}
	})
}
