package handler

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/eventsdb"
	"espaceosc/shared/events"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/i18n"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	lambdaevents "github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	minidyn "github.com/truora/minidyn/aws-v2/client"
)

const portalOrigin = "http://portal.test"

// counting counts the DynamoDB calls of a request: those of the
// registration itself (reads and transactions) apart from the outbox's
// (claim and mark sent are single-item writes), and keeps the last
// transaction's input.
type counting struct {
	ddbstore.Client
	reads, txs, writes atomic.Int64
	lastTx             atomic.Pointer[dynamodb.TransactWriteItemsInput]
}

func (c *counting) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.reads.Add(1)
	return c.Client.GetItem(ctx, in, o...)
}
func (c *counting) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.reads.Add(1)
	return c.Client.Query(ctx, in, o...)
}
func (c *counting) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	c.writes.Add(1)
	return c.Client.PutItem(ctx, in, o...)
}
func (c *counting) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, o ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	c.writes.Add(1)
	return c.Client.UpdateItem(ctx, in, o...)
}
func (c *counting) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	c.writes.Add(1)
	return c.Client.DeleteItem(ctx, in, o...)
}
func (c *counting) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.txs.Add(1)
	c.lastTx.Store(in)
	return c.Client.TransactWriteItems(ctx, in, o...)
}

// reset zeroes the counts.
func (c *counting) reset() { c.reads.Store(0); c.txs.Store(0); c.writes.Store(0) }

// own is the count of reads and transactions (what a request does itself,
// the outbox's delivery apart).
func (c *counting) own() int64 { return c.reads.Load() + c.txs.Load() }

// env is the function wired as main.go wires it, on minidyn and a recording sender.
type env struct {
	db     *minidyn.Client
	table  string
	calls  *counting
	sender *outboxtest.Sender
	svc    *events.Service
	store  eventsdb.Store
	router *httpapi.Router
	logs   *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newEnv(t testing.TB) *env {
	logs := &syncBuffer{}
	e := newEnvLogging(t, "", logs)
	e.logs = logs
	return e
}

// newEnvLogging is newEnv with a retry policy, logging to w (benchmarks
// discard their logs).
func newEnvLogging(t testing.TB, policy events.RetryPolicy, w io.Writer) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	e := &env{db: db, table: table, calls: &counting{Client: db}, sender: &outboxtest.Sender{}}
	log := httpapi.NewLogger(w)
	st := ddbstore.New(e.calls, table)
	e.store = eventsdb.New(st)
	e.svc = events.NewService(events.Config{
		Store: e.store, Mailer: outbox.New(st.Outbox(), e.sender, events.Emails, log), Log: log,
		PortalOrigin: portalOrigin, NoticeVersion: "2026-11-01", RetryPolicy: policy,
	})
	e.router = New(e.svc, log)
	return e
}

// eventInput is an event starting in 3 days with registrations open, and
// the question register.json answers.
func eventInput(id string, capacity, waitlist int) events.Input {
	now := time.Now().UTC().Truncate(time.Second)
	return events.Input{
		ID: id, Kind: "workshop",
		Title:       i18n.Text{FR: "Atelier de co-création", AR: "ورشة الإنشاء المشترك"},
		Description: i18n.Text{FR: "Plan d'action national", AR: "خطة العمل الوطنية"},
		StartsAt:    now.Add(72 * time.Hour).Format(time.RFC3339), EndsAt: now.Add(75 * time.Hour).Format(time.RFC3339),
		Venue:    &events.Venue{Address: "12 rue Tarik", City: "Casablanca"},
		Capacity: capacity, WaitlistSize: waitlist,
		RegistrationOpensAt: now.Add(-time.Hour).Format(time.RFC3339), RegistrationClosesAt: now.Add(70 * time.Hour).Format(time.RFC3339),
		Questions: []events.Question{{ID: "role", Type: events.SingleChoice, Required: true, Label: i18n.Text{FR: "Rôle", AR: "الصفة"},
			Options: []events.Option{{ID: "association", Label: i18n.Text{FR: "Association", AR: "جمعية"}}, {ID: "citoyen", Label: i18n.Text{FR: "Citoyen", AR: "مواطن"}}}}},
	}
}

// published creates and publishes an event as an administrator would.
func (e *env) published(t testing.TB, in events.Input) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.svc.Create(ctx, in); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Publish(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
}

func (e *env) serve(t testing.TB, req lambdaevents.APIGatewayV2HTTPRequest) lambdaevents.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, err := e.router.Serve(context.Background(), req)
	if err != nil {
		t.Fatalf("Serve returned an error: %v", err)
	}
	return resp
}

// items counts the table's items (tests may scan; the application never does).
func (e *env) items(t testing.TB) int {
	t.Helper()
	out, err := e.db.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String(e.table)})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	return len(out.Items)
}

// registerRequest is testdata/register.json for eventID, with email (if
// not empty) and extra headers.
func registerRequest(t testing.TB, eventID, email string, headers ...string) lambdaevents.APIGatewayV2HTTPRequest {
	t.Helper()
	req := httpapitest.Load(t, "register.json")
	req.PathParameters["id"] = eventID
	req.RawPath = "/api/events/" + eventID + "/registrations"
	req.RequestContext.HTTP.Path = req.RawPath
	if email != "" {
		req.Body = strings.Replace(req.Body, "salma.idrissi@example.org", email, 1)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Headers[strings.ToLower(headers[i])] = headers[i+1]
	}
	return req
}

// privateRequest is testdata/name (manage.json, withdraw.json) for a
// registration and token.
func privateRequest(t testing.TB, name, id, token string) lambdaevents.APIGatewayV2HTTPRequest {
	t.Helper()
	req := httpapitest.Load(t, name)
	req.PathParameters["id"] = id
	req.RawPath = "/api/registrations/" + id
	req.RequestContext.HTTP.Path = req.RawPath
	req.QueryStringParameters["token"] = token
	req.RawQueryString = "token=" + token
	return req
}

func decode[T any](t testing.TB, resp lambdaevents.APIGatewayV2HTTPResponse, status int) T {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, status, resp.Body)
	}
	var v T
	if err := json.Unmarshal([]byte(resp.Body), &v); err != nil {
		t.Fatalf("body %s: %v", resp.Body, err)
	}
	return v
}
