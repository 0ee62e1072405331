package handler

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"espaceosc/shared/events"
)

// BenchmarkSurgeRetryPolicies compares the retry policies of a lost
// waitlist race side by side, in process on minidyn (whose transactions
// are serialised and copy the table, like the local cloud's): 1,000
// registrations by 10 workers (the local cloud's instances per function)
// on 100 seats and a waitlist of 1,000, each policy on a fresh table.
// Reports registrations/s and transactions per registration, and checks
// the positions are 1..900.
func BenchmarkSurgeRetryPolicies(b *testing.B) {
	for _, policy := range []events.RetryPolicy{events.RetryAdaptive, events.RetryLinear} {
		b.Run(string(policy), func(b *testing.B) {
			for range b.N {
				surgeInProcess(b, policy)
			}
		})
	}
}

func surgeInProcess(b *testing.B, policy events.RetryPolicy) {
	const people, seats, workers = 1000, 100, 10
	e := newEnvLogging(b, policy, io.Discard)
	in := eventInput("atelier-surge", seats, people)
	in.Questions = nil
	e.published(b, in)
	ctx := context.Background()
	yes := true
	e.calls.reset()
	positions := make([]int, people)
	next := atomic.Int64{}
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < people; i = int(next.Add(1)) - 1 {
				rc, err := e.svc.Register(ctx, in.ID, events.RegistrationInput{
					FullName: "Salma Benali", Email: fmt.Sprintf("surge-%d@example.ma", i), Lang: "fr", Consent: &yes,
				}, "")
				if err != nil {
					b.Errorf("registration %d: %v", i, err)
					return
				}
				positions[i] = rc.Position
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	b.ReportMetric(people/elapsed.Seconds(), "registrations/s")
	b.ReportMetric(float64(e.calls.txs.Load())/people, "tx/registration")
	slices.Sort(positions)
	for i, p := range positions[seats:] {
		if p != i+1 {
			b.Fatalf("waitlist positions are not 1..%d without gaps or repeats (at %d: %d)", people-seats, i, p)
		}
	}
}
