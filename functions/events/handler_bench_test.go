package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/events"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	lambdaevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// counting counts DynamoDB calls and keeps the last transaction's input.
type counting struct {
	ddbstore.Client
	n, outboxCalls atomic.Int64
	lastTx         atomic.Pointer[dynamodb.TransactWriteItemsInput]
}

func (c *counting) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.n.Add(1)
	return c.Client.GetItem(ctx, in, o...)
}
func (c *counting) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	c.outboxCalls.Add(1) // the only PutItem of a registration: the outbox marks the email sent
	return c.Client.PutItem(ctx, in, o...)
}
func (c *counting) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, o ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	c.outboxCalls.Add(1) // the only UpdateItem of a registration: the outbox claims the email
	return c.Client.UpdateItem(ctx, in, o...)
}
func (c *counting) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.n.Add(1)
	return c.Client.Query(ctx, in, o...)
}
func (c *counting) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.n.Add(1)
	c.lastTx.Store(in)
	return c.Client.TransactWriteItems(ctx, in, o...)
}

func registerRequest(tb testing.TB, email string) lambdaevents.APIGatewayV2HTTPRequest {
	tb.Helper()
	raw, err := os.ReadFile("testdata/register.json")
	if err != nil {
		tb.Fatal(err)
	}
	var req lambdaevents.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		tb.Fatal(err)
	}
	req.Body = strings.Replace(req.Body, "salma.idrissi@example.org", email, 1)
	return req
}

// renamed copies a transaction with every new item's key made unique by
// suffix (the event's counter update stays: capacity is large).
func renamed(in *dynamodb.TransactWriteItemsInput, suffix string) *dynamodb.TransactWriteItemsInput {
	out := &dynamodb.TransactWriteItemsInput{}
	for _, it := range in.TransactItems {
		if it.Put != nil {
			p := *it.Put
			item := make(map[string]types.AttributeValue, len(p.Item))
			for k, v := range p.Item {
				item[k] = v
			}
			for _, k := range []string{"PK", "SK"} {
				if s, ok := item[k].(*types.AttributeValueMemberS); ok && !strings.HasPrefix(s.Value, "EVENT#") || k == "SK" {
					if s, ok := item[k].(*types.AttributeValueMemberS); ok && s.Value != "REG" && s.Value != "OUTBOX" && s.Value != "IDEM" {
						item[k] = &types.AttributeValueMemberS{Value: s.Value + suffix}
					}
				}
			}
			p.Item = item
			it = types.TransactWriteItem{Put: &p}
		}
		out.TransactItems = append(out.TransactItems, it)
	}
	return out
}

// BenchmarkRegistration is acceptance 6: one registration through the
// handler (decode, validate, read the event, one transaction, deliver the
// email to a fake SES) against the bare TransactWriteItems it performs, on
// the same minidyn, interleaved so both see the same table size.
func BenchmarkRegistration(b *testing.B) {
	db, table := ddbtest.Minidyn(b)
	calls := &counting{Client: db}
	log := httpapi.NewLogger(discard{})
	store := ddbstore.New(calls, table)
	ob := outbox.New(store.Outbox(), &outboxtest.Sender{}, nil, log)
	svc := events.NewService(store.Events(), ob, nil, "http://portal.test", "2026-11-01", log)
	rt := newRouter(svc, log)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	in := events.Input{
		ID: "atelier-cocreation-pan", Kind: "workshop",
		Title:    events.Localized{FR: "Atelier de co-création", AR: "ورشة الإنشاء المشترك"},
		StartsAt: now.Add(72 * time.Hour).Format(time.RFC3339), EndsAt: now.Add(75 * time.Hour).Format(time.RFC3339),
		Venue: &events.Venue{Address: "12 rue Tarik", City: "Casablanca"}, Capacity: events.MaxCapacity,
		RegistrationOpensAt: now.Add(-time.Hour).Format(time.RFC3339), RegistrationClosesAt: now.Add(70 * time.Hour).Format(time.RFC3339),
		Questions: []events.Question{{ID: "role", Type: events.SingleChoice, Required: true, Label: events.Localized{FR: "Rôle", AR: "الصفة"},
			Options: []events.Option{{ID: "association", Label: events.Localized{FR: "Association", AR: "جمعية"}}, {ID: "citoyen", Label: events.Localized{FR: "Citoyen", AR: "مواطن"}}}}},
	}
	if _, err := svc.Create(ctx, in); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Publish(ctx, in.ID); err != nil {
		b.Fatal(err)
	}
	var handlerTime, txTime time.Duration
	var regCalls, outboxCalls int64
	b.ResetTimer()
	for i := range b.N {
		req := registerRequest(b, fmt.Sprintf("bench-%d@example.org", i))
		calls.n.Store(0)
		calls.outboxCalls.Store(0)
		start := time.Now()
		resp, _ := rt.Serve(ctx, req)
		handlerTime += time.Since(start)
		if resp.StatusCode != 201 {
			b.Fatalf("registration %d: %d %s", i, resp.StatusCode, resp.Body)
		}
		regCalls += calls.n.Load()
		outboxCalls += calls.outboxCalls.Load()

		tx := renamed(calls.lastTx.Load(), fmt.Sprintf("-bare-%d", i))
		start = time.Now()
		if _, err := db.TransactWriteItems(ctx, tx); err != nil {
			b.Fatalf("bare transaction %d: %v", i, err)
		}
		txTime += time.Since(start)
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(float64(handlerTime.Microseconds())/n, "handler-µs/op")
	b.ReportMetric(float64(txTime.Microseconds())/n, "bare-tx-µs/op")
	b.ReportMetric(float64(handlerTime)/float64(txTime), "handler/tx")
	b.ReportMetric(float64(regCalls)/n, "ddb-calls/registration")
	b.ReportMetric(float64(outboxCalls)/n, "ddb-calls/email-delivery")
	if got := float64(regCalls) / n; got > 2 {
		b.Errorf("%.1f DynamoDB calls per registration, want at most 2", got)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
