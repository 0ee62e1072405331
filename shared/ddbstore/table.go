// Package ddbstore is the single DynamoDB table (see docs/data.md for its
// items and access patterns): what every capability's store shares. It
// takes a narrow client interface, never loads configuration itself, never
// scans, and speaks the apperr vocabulary: throttling and service errors
// are Unavailable (503, retry later), a missing item is NotFound, a failed
// condition is Conflict unless the capability's store says more. It holds
// no user-facing message keys and no domain rule.
//
// Each capability's store lives in a package of its own below this one
// (newsdb, linksdb, observationsdb, eventsdb, callsdb), so that a function
// links only the stores it uses. The outbox and idempotency records, which
// every capability writes inside its own transactions, live here.
package ddbstore

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Client is the part of the DynamoDB API the stores use: no Scan, no Batch*.
type Client interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// Index names of the table (template.yaml).
const (
	IndexGSI1    = "GSI1"
	IndexGSI2    = "GSI2"
	IndexByEmail = "ByEmail"
)

// Table is the table: its client, its name and a clock.
type Table struct {
	DB   Client
	Name string
	now  func() time.Time
}

// New returns the table name.
func New(db Client, name string) *Table {
	return &Table{DB: db, Name: name, now: func() time.Time { return time.Now().UTC() }}
}

// WithClock returns a copy of t reading time from now (tests).
func (t *Table) WithClock(now func() time.Time) *Table {
	c := *t
	c.now = now
	return &c
}

// Now is the table's clock (UTC).
func (t *Table) Now() time.Time { return t.now().UTC() }

// JoinKey builds a key from parts: JoinKey("NEWS", slug) = "NEWS#slug".
func JoinKey(parts ...string) string { return strings.Join(parts, "#") }

// Key is the primary key (PK, SK).
func Key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"PK": S(pk), "SK": S(sk)}
}

// S is a string attribute value.
func S(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }

// N is a number attribute value.
func N(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}

// timeLayout is the one format of stored instants: UTC, fixed width with
// nanoseconds, so that strings sort (in sort keys and in condition
// expressions such as `leaseUntil < :now`) as the instants do.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

// Time is the stored form of an instant; the zero time is "".
func Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(timeLayout)
}

// ParseTime reads a stored instant (any RFC 3339 form); "" or a malformed
// value is the zero time.
func ParseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// Expiry is the TTL attribute's value (expiresAt): epoch seconds, the one
// number form of an instant, because DynamoDB's TTL reads only that.
func Expiry(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// ParseExpiry reverses Expiry.
func ParseExpiry(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0).UTC()
}
