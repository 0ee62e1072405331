package handler

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

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
	e := newEnvLogging(b, "", io.Discard)
	in := eventInput("atelier-cocreation-pan", 100000, 0)
	e.published(b, in)
	ctx := context.Background()
	var handlerTime, txTime time.Duration
	var regCalls, outboxCalls int64
	b.ResetTimer()
	for i := range b.N {
		req := registerRequest(b, in.ID, fmt.Sprintf("bench-%d@example.org", i))
		e.calls.reset()
		start := time.Now()
		resp, _ := e.router.Serve(ctx, req)
		handlerTime += time.Since(start)
		if resp.StatusCode != 201 {
			b.Fatalf("registration %d: %d %s", i, resp.StatusCode, resp.Body)
		}
		regCalls += e.calls.own()
		outboxCalls += e.calls.writes.Load()

		tx := renamed(e.calls.lastTx.Load(), fmt.Sprintf("-bare-%d", i))
		start = time.Now()
		if _, err := e.db.TransactWriteItems(ctx, tx); err != nil {
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
