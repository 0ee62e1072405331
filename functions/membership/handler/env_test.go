package handler

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/membershipdb"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/i18n"
	"espaceosc/shared/membership"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	minidyn "github.com/truora/minidyn/aws-v2/client"
)

const portalOrigin = "http://portal.test"

// counting counts the DynamoDB calls a request makes, by operation.
type counting struct {
	ddbstore.Client
	mu  sync.Mutex
	ops []string
}

func (c *counting) add(op string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ops = append(c.ops, op)
}

// take returns the calls since the last take.
func (c *counting) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	ops := c.ops
	c.ops = nil
	return ops
}

func (c *counting) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.add("GetItem")
	return c.Client.GetItem(ctx, in, o...)
}
func (c *counting) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	c.add("PutItem")
	return c.Client.PutItem(ctx, in, o...)
}
func (c *counting) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, o ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	c.add("UpdateItem")
	return c.Client.UpdateItem(ctx, in, o...)
}
func (c *counting) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	c.add("DeleteItem")
	return c.Client.DeleteItem(ctx, in, o...)
}
func (c *counting) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.add("Query")
	return c.Client.Query(ctx, in, o...)
}
func (c *counting) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.add("TransactWriteItems")
	return c.Client.TransactWriteItems(ctx, in, o...)
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

// env is the function wired as main.go wires it, on minidyn, a recording
// sender and a clock the test moves.
type env struct {
	db     *minidyn.Client
	table  string
	calls  *counting
	sender *outboxtest.Sender
	svc    *membership.Service
	router *httpapi.Router
	logs   *syncBuffer
	mu     sync.Mutex
	now    time.Time
}

func newEnv(t testing.TB) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	e := &env{db: db, table: table, calls: &counting{Client: db}, sender: &outboxtest.Sender{}, logs: &syncBuffer{},
		now: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	log := httpapi.NewLogger(e.logs)
	store := ddbstore.New(e.calls, table).WithClock(e.clock)
	e.svc = membership.NewService(membership.Config{
		Store: membershipdb.New(store), Mailer: outbox.New(store.Outbox(), e.sender, membership.Emails, log), Log: log,
		PortalOrigin: portalOrigin, NoticeVersion: "2026-11-01", Now: e.clock,
	})
	e.router = New(e.svc, log)
	return e
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
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

// request loads testdata/name with the path parameter id, the token (if the
// payload has one), a body (if not empty) and extra headers.
func request(t testing.TB, name, id, token, body string, headers ...string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	req := httpapitest.Load(t, name)
	if id != "" {
		req.PathParameters["id"] = id
		req.RawPath = strings.Replace(req.RawPath, "ID", id, 1)
		req.RequestContext.HTTP.Path = req.RawPath
	}
	if _, ok := req.QueryStringParameters["token"]; ok {
		if token == "" {
			delete(req.QueryStringParameters, "token")
			req.RawQueryString = ""
		} else {
			req.QueryStringParameters["token"] = token
			req.RawQueryString = "token=" + token
		}
	}
	if body != "" {
		req.Body = body
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Headers[strings.ToLower(headers[i])] = headers[i+1]
	}
	return req
}

// body returns the body of testdata/name with changes applied.
func body(t testing.TB, name string, change func(m map[string]any)) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(httpapitest.Load(t, name).Body), &m); err != nil {
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

// member makes an approved member organisation (through the service, as the
// admin function would) from join.json with changes; it returns its id and token.
func (e *env) member(t testing.TB, change func(m map[string]any)) (string, string) {
	t.Helper()
	id, token := e.join(t, change)
	ctx := context.Background()
	if _, err := e.svc.Confirm(ctx, id, token); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Decide(ctx, id, membership.Decision{Decision: "approved"}); err != nil {
		t.Fatal(err)
	}
	return id, token
}

// join requests membership from join.json with changes.
func (e *env) join(t testing.TB, change func(m map[string]any)) (string, string) {
	t.Helper()
	var in membership.JoinRequest
	if err := json.Unmarshal([]byte(body(t, "join.json", change)), &in); err != nil {
		t.Fatal(err)
	}
	r, err := e.svc.Join(context.Background(), in, "")
	if err != nil {
		t.Fatal(err)
	}
	sent := e.sender.SentOfKind(membership.KindConfirm)
	m := linkRE.FindStringSubmatch(sent[len(sent)-1].Text)
	if m == nil || m[2] != r.ID {
		t.Fatalf("no private link of %s", r.ID)
	}
	return r.ID, m[3]
}

// group creates a working group through the service.
func (e *env) group(t testing.TB, id, kind, region, fr, ar string) {
	t.Helper()
	_, err := e.svc.CreateGroup(context.Background(), membership.NewGroup{ID: id, Kind: kind, Region: region, Name: i18n.Text{FR: fr, AR: ar}})
	if err != nil {
		t.Fatal(err)
	}
}
