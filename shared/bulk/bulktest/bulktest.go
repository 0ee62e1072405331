// Package bulktest runs bulk jobs in the test's process: a Starter whose
// Start runs the job to its end before it returns, as the notifier function
// would asynchronously.
package bulktest

import (
	"context"
	"sync"

	"espaceosc/shared/bulk"
)

// Inline is a bulk.Starter running each started job with Runner.
type Inline struct {
	Runner *bulk.Runner

	mu      sync.Mutex
	Started []string // job IDs, in start order
	Results []bulk.Result
}

var _ bulk.Starter = (*Inline)(nil)

// Start implements bulk.Starter.
func (i *Inline) Start(ctx context.Context, id string) error {
	res, err := i.Runner.Run(ctx, id)
	i.mu.Lock()
	defer i.mu.Unlock()
	i.Started = append(i.Started, id)
	i.Results = append(i.Results, res)
	return err
}

// Pace is a fixed sending rate.
type Pace float64

// MaxSendRate implements bulk.Pace.
func (p Pace) MaxSendRate(context.Context) (float64, error) { return float64(p), nil }
