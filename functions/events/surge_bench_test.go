package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/events"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// txCounting counts transactions (attempts, won or lost).
type txCounting struct {
	ddbstore.Client
	tx atomic.Int64
}

func (c *txCounting) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.tx.Add(1)
	return c.Client.TransactWriteItems(ctx, in, o...)
}

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
	db, table := ddbtest.Minidyn(b)
	calls := &txCounting{Client: db}
	log := httpapi.NewLogger(discard{})
	store := ddbstore.New(calls, table)
	ob := outbox.New(store.Outbox(), &outboxtest.Sender{}, nil, log)
	svc := events.NewService(store.Events(), ob, nil, "http://portal.test", "2026-11-01", log).WithRetryPolicy(policy)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	in := events.Input{
		Kind: "workshop", Title: events.Localized{FR: "Atelier de co-création", AR: "ورشة الإنشاء المشترك"},
		StartsAt: now.Add(72 * time.Hour).Format(time.RFC3339), EndsAt: now.Add(75 * time.Hour).Format(time.RFC3339),
		Venue: &events.Venue{Address: "12 rue Tarik", City: "Casablanca"}, Capacity: seats, WaitlistSize: people,
		RegistrationOpensAt: now.Add(-time.Hour).Format(time.RFC3339), RegistrationClosesAt: now.Add(70 * time.Hour).Format(time.RFC3339),
	}
	e, err := svc.Create(ctx, in)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Publish(ctx, e.ID); err != nil {
		b.Fatal(err)
	}
	yes := true
	calls.tx.Store(0)
	positions := make([]int, people)
	next := atomic.Int64{}
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < people; i = int(next.Add(1)) - 1 {
				rc, err := svc.Register(ctx, e.ID, events.RegistrationInput{
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
	b.ReportMetric(float64(calls.tx.Load())/people, "tx/registration")
	slices.Sort(positions)
	for i, p := range positions[seats:] {
		if p != i+1 {
			b.Fatalf("waitlist positions are not 1..%d without gaps or repeats (at %d: %d)", people-seats, i, p)
		}
	}
}
