package handler

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/observationsdb"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/observations"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	minidyn "github.com/truora/minidyn/aws-v2/client"
)

const portalOrigin = "http://portal.test"

// counting counts the DynamoDB calls a request makes.
type counting struct {
	ddbstore.Client
	n atomic.Int64
}

func (c *counting) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.n.Add(1)
	return c.Client.GetItem(ctx, in, o...)
}
func (c *counting) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	c.n.Add(1)
	return c.Client.PutItem(ctx, in, o...)
}
func (c *counting) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, o ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	c.n.Add(1)
	return c.Client.UpdateItem(ctx, in, o...)
}
func (c *counting) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	c.n.Add(1)
	return c.Client.DeleteItem(ctx, in, o...)
}
func (c *counting) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.n.Add(1)
	return c.Client.Query(ctx, in, o...)
}
func (c *counting) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.n.Add(1)
	return c.Client.TransactWriteItems(ctx, in, o...)
}

// env is the function wired as main.go wires it, on minidyn and a recording sender.
type env struct {
	db     *minidyn.Client
	table  string
	calls  *counting
	sender *outboxtest.Sender
	outbox *outbox.Outbox
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
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	e := &env{db: db, table: table, calls: &counting{Client: db}, sender: &outboxtest.Sender{}, logs: &syncBuffer{}}
	log := httpapi.NewLogger(e.logs)
	store := ddbstore.New(e.calls, table)
	e.outbox = outbox.New(store.Outbox(), e.sender, observations.Emails, log)
	svc := observations.NewService(observations.Config{
		Store: observationsdb.New(store), Mailer: e.outbox, Log: log, PortalOrigin: portalOrigin, NoticeVersion: "2026-11-01",
	})
	e.router = New(svc, log)
	return e
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

func (e *env) serve(t testing.TB, req events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, err := e.router.Serve(context.Background(), req)
	if err != nil {
		t.Fatalf("Serve returned an error: %v", err)
	}
	return resp
}

// submitRequest is testdata/submit.json with body (if not empty) and extra headers.
func submitRequest(t testing.TB, body string, headers ...string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	req := httpapitest.Load(t, "submit.json")
	if body != "" {
		req.Body = body
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Headers[strings.ToLower(headers[i])] = headers[i+1]
	}
	return req
}

func followUpRequest(t testing.TB, id, token string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	req := httpapitest.Load(t, "followup.json")
	req.PathParameters["id"] = id
	req.RawPath = "/api/observations/" + id
	req.RequestContext.HTTP.Path = req.RawPath
	if token == "" {
		delete(req.QueryStringParameters, "token")
		req.RawQueryString = ""
	} else {
		req.QueryStringParameters["token"] = token
		req.RawQueryString = "token=" + token
	}
	return req
}

// validBody returns the submission of submit.json with changes applied.
func validBody(t testing.TB, change func(m map[string]any)) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(httpapitest.Load(t, "submit.json").Body), &m); err != nil {
		t.Fatal(err)
	}
	if change != nil {
		change(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
