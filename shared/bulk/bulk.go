// Package bulk tells many people of one fact — an event cancelled or moved,
// its reminders, a call's results — without doing it inside the request
// that made the fact. The request records a Job in the same transaction as
// the fact and starts the notifier asynchronously; the notifier runs the
// job: the capability's Source records the emails of the next recipients
// (each with the mark that it was told, so that nobody is told twice) and
// the Runner delivers them in parallel, paced to the account's SES sending
// rate, waiting and retrying when SES throttles, until every recipient is
// told. Before its invocation's deadline it hands the job over to a new
// invocation; a scheduled sweep resumes any job left behind.
package bulk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/outbox"

	"golang.org/x/time/rate"
)

// Job is one fan-out.
type Job struct {
	ID        string // JobID(kind, ref, occurrence): a fact is fanned out once
	Kind      string // the Source that expands it, e.g. "events.cancelled"
	Ref       string // its subject (an event's or a call's ID)
	Cursor    string // where the expansion stands ("" at the start)
	Recorded  int    // emails recorded so far
	Done      bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Retention is how long a job's record is kept (it holds no personal data:
// its kind, subject and counts).
const Retention = 90 * 24 * time.Hour

// JobID names the fan-out of kind about ref; occurrence tells apart the
// same fact happening again (e.g. an event's sequence when it moves twice).
func JobID(kind, ref string, occurrence int) string {
	return fmt.Sprintf("%s.%s.%d", kind, ref, occurrence)
}

// New returns a job to record with its fact.
func New(kind, ref string, occurrence int, now time.Time) Job {
	return Job{ID: JobID(kind, ref, occurrence), Kind: kind, Ref: ref, CreatedAt: now, UpdatedAt: now}
}

// Source expands the jobs of one kind.
type Source interface {
	// Expand records the emails of at most limit further recipients of job
	// after cursor, each with the mark that it was told in the same
	// transaction (a recipient already marked is skipped), and returns them
	// and the cursor to go on from, "" when every recipient is recorded.
	Expand(ctx context.Context, job Job, cursor string, limit int) (emails []outbox.Email, next string, err error)
}

// Store keeps jobs.
type Store interface {
	// GetJob returns the job id, or apperr.NotFound.
	GetJob(ctx context.Context, id string) (Job, error)
	// SaveJob counts recorded more emails of job (whatever else happens:
	// they were recorded) and records its progress (cursor, done) if its
	// cursor is still prevCursor; apperr.Conflict when another invocation
	// moved it meanwhile.
	SaveJob(ctx context.Context, job Job, prevCursor string, recorded int) error
	// OpenJobs returns up to limit jobs not done, oldest first.
	OpenJobs(ctx context.Context, limit int) ([]Job, error)
}

// Starter starts an invocation of the notifier for a job (asynchronously).
type Starter interface {
	Start(ctx context.Context, jobID string) error
}

// Mailer delivers recorded emails (outbox.Outbox).
type Mailer interface {
	Deliver(ctx context.Context, e outbox.Email) error
}

// Pace tells how many emails per second the account may send (SES's
// maximum send rate).
type Pace interface {
	MaxSendRate(ctx context.Context) (float64, error)
}

// Runner runs jobs.
type Runner struct {
	Store   Store
	Sources map[string]Source
	Mailer  Mailer
	Pace    Pace
	Starter Starter
	Log     *slog.Logger
	Now     func() time.Time
	// Batch is how many recipients one expansion records (default 100).
	Batch int
	// Workers send in parallel (default 8).
	Workers int
	// Margin is the time before the invocation's deadline at which the
	// runner stops expanding and hands over (default 30 s).
	Margin time.Duration
	// Share of the account's rate used (default 0.8: other functions send too).
	Share float64
}

// Result counts what a run did.
type Result struct {
	Recorded  int  `json:"recorded"`
	Sent      int  `json:"sent"`
	Deferred  int  `json:"deferred"` // left pending in the outbox for the sweeper
	Done      bool `json:"done"`
	HandedOff bool `json:"handedOff"`
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now().UTC()
	}
	return time.Now().UTC()
}

func (r *Runner) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default()
}

func orDefault[T int | float64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Run works the job id: expansion after expansion, each batch delivered
// before the next, until the job is done or the invocation's deadline
// nears, when it records its progress and starts a new invocation.
func (r *Runner) Run(ctx context.Context, id string) (Result, error) {
	var res Result
	job, err := r.Store.GetJob(ctx, id)
	if err != nil {
		return res, fmt.Errorf("run job %s: %w", id, err)
	}
	src, ok := r.Sources[job.Kind]
	if !ok {
		return res, fmt.Errorf("run job %s: no source for kind %q", id, job.Kind)
	}
	limiter, err := r.limiter(ctx)
	if err != nil {
		return res, err
	}
	for !job.Done {
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < orDefault(r.Margin, 30*time.Second) {
			if err := r.Starter.Start(context.WithoutCancel(ctx), job.ID); err != nil {
				// The sweep will resume it.
				r.log().Warn("job hand-over failed", "jobId", job.ID, "code", apperr.CodeOf(err))
			}
			res.HandedOff = true
			return res, nil
		}
		prev := job.Cursor
		emails, next, err := src.Expand(ctx, job, job.Cursor, orDefault(r.Batch, 100))
		if err != nil {
			return res, fmt.Errorf("run job %s: expand: %w", id, err)
		}
		res.Recorded += len(emails)
		sent, deferred := r.deliver(ctx, limiter, emails)
		res.Sent += sent
		res.Deferred += deferred
		job.Cursor, job.Recorded, job.UpdatedAt = next, job.Recorded+len(emails), r.now()
		job.Done = next == ""
		if err := r.Store.SaveJob(ctx, job, prev, len(emails)); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				// Another invocation runs it: it goes on from its own cursor.
				r.log().Info("job moved by another invocation", "jobId", job.ID)
				return res, nil
			}
			return res, fmt.Errorf("run job %s: save: %w", id, err)
		}
	}
	res.Done = true
	r.log().Info("job done", "jobId", job.ID, "kind", job.Kind, "recorded", job.Recorded, "sent", res.Sent, "deferred", res.Deferred)
	return res, nil
}

// limiter paces sends to a share of the account's rate.
func (r *Runner) limiter(ctx context.Context) (*rate.Limiter, error) {
	perSecond := 1.0
	if r.Pace != nil {
		max, err := r.Pace.MaxSendRate(ctx)
		if err != nil {
			r.log().Warn("sending rate unknown: one email per second", "code", apperr.CodeOf(err))
		} else if max > 0 {
			perSecond = max * orDefault(r.Share, 0.8)
		}
	}
	return rate.NewLimiter(rate.Limit(perSecond), 1), nil
}

// throttleRetries bounds the attempts of one email that SES keeps
// throttling; after them it stays pending for the outbox sweeper.
const throttleRetries = 8

// deliver sends emails with the workers, paced by limiter; an email SES
// throttles or cannot take now is retried after a wait, then left pending.
func (r *Runner) deliver(ctx context.Context, limiter *rate.Limiter, emails []outbox.Email) (sent, deferred int) {
	var nSent, nDeferred atomic.Int64
	work := make(chan outbox.Email)
	var wg sync.WaitGroup
	for range orDefault(r.Workers, 8) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range work {
				if r.deliverOne(ctx, limiter, e) {
					nSent.Add(1)
				} else {
					nDeferred.Add(1)
				}
			}
		}()
	}
	for _, e := range emails {
		work <- e
	}
	close(work)
	wg.Wait()
	return int(nSent.Load()), int(nDeferred.Load())
}

func (r *Runner) deliverOne(ctx context.Context, limiter *rate.Limiter, e outbox.Email) bool {
	backoff := 200 * time.Millisecond
	for attempt := 0; attempt < throttleRetries; attempt++ {
		if err := limiter.Wait(ctx); err != nil {
			return false
		}
		err := r.Mailer.Deliver(ctx, e)
		switch {
		case err == nil:
			return true
		case errors.Is(err, outbox.ErrClaimed):
			return true // someone else sent it (or is sending it)
		case apperr.Is(err, apperr.Unavailable):
			// Throttled or down: the lease was released; wait, then claim
			// it again.
			e = e.Unleased()
			t := time.NewTimer(backoff)
			select {
			case <-ctx.Done():
				t.Stop()
				return false
			case <-t.C:
			}
			backoff = min(2*backoff, 5*time.Second)
		default:
			r.log().Warn("email deferred to the sweeper", "emailId", e.ID, "kind", e.Kind, "code", apperr.CodeOf(err))
			return false
		}
	}
	return false
}

// staleAfter is how long a job may go unmoved before a sweep resumes it.
const staleAfter = 2 * time.Minute

// Sweep starts a new invocation for every open job that has not moved for a
// while (its start was lost, or its invocation died). It returns how many
// it restarted.
func (r *Runner) Sweep(ctx context.Context) (int, error) {
	jobs, err := r.Store.OpenJobs(ctx, 100)
	if err != nil {
		return 0, fmt.Errorf("sweep jobs: %w", err)
	}
	n := 0
	for _, j := range jobs {
		if r.now().Sub(j.UpdatedAt) < staleAfter {
			continue
		}
		if err := r.Starter.Start(ctx, j.ID); err != nil {
			r.log().Warn("job restart failed", "jobId", j.ID, "code", apperr.CodeOf(err))
			continue
		}
		n++
	}
	return n, nil
}
