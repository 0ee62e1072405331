// Package handler is NotifierFunction's handler: an asynchronous
// invocation with a job runs that job; a scheduled one resumes the jobs
// left behind.
package handler

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"espaceosc/shared/asyncinvoke"
	"espaceosc/shared/bulk"
	"espaceosc/shared/events"
	"espaceosc/shared/mail"
)

// Templates renders the emails the notifier's sources record.
var Templates = mail.Merge(events.Emails)

// Sources merges the capabilities' bulk sources; a kind defined twice
// panics (a programming error caught at start-up).
func Sources(all ...map[string]bulk.Source) map[string]bulk.Source {
	out := map[string]bulk.Source{}
	for _, m := range all {
		for k, v := range m {
			if _, dup := out[k]; dup {
				panic("notifier: source defined twice: " + k)
			}
			out[k] = v
		}
	}
	return out
}

// Runner runs and sweeps jobs (bulk.Runner).
type Runner interface {
	Run(ctx context.Context, id string) (bulk.Result, error)
	Sweep(ctx context.Context) (int, error)
}

// Result is what an invocation returns (and logs).
type Result struct {
	Job       string       `json:"job,omitempty"`
	Run       *bulk.Result `json:"run,omitempty"`
	Restarted int          `json:"restarted"`
}

// New returns the handler.
func New(r Runner, log *slog.Logger) func(context.Context, json.RawMessage) (Result, error) {
	return func(ctx context.Context, payload json.RawMessage) (Result, error) {
		var p struct {
			asyncinvoke.Payload
			Source string `json:"source"` // aws.scheduler for the sweep
		}
		if err := json.Unmarshal(payload, &p); err != nil {
			return Result{}, fmt.Errorf("notifier: unreadable event: %w", err)
		}
		if p.JobID == "" {
			n, err := r.Sweep(ctx)
			log.Info("jobs swept", "restarted", n)
			return Result{Restarted: n}, err
		}
		res, err := r.Run(ctx, p.JobID)
		if err != nil {
			log.Error("job failed", "jobId", p.JobID, "error", err.Error())
			return Result{Job: p.JobID, Run: &res}, err
		}
		log.Info("job ran", "jobId", p.JobID, "recorded", res.Recorded, "sent", res.Sent, "deferred", res.Deferred, "done", res.Done, "handedOff", res.HandedOff)
		return Result{Job: p.JobID, Run: &res}, nil
	}
}
