package handler

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"espaceosc/shared/cocreation"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/cocreationdb"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/i18n"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	minidyn "github.com/truora/minidyn/aws-v2/client"
)

const portalOrigin = "http://portal.test"

// counting counts the DynamoDB calls of a request, by operation.
type counting struct {
	ddbstore.Client
	mu sync.Mutex
	n  map[string]int
}

func (c *counting) add(op string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[op]++
}

// reset forgets the counts.
func (c *counting) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n = map[string]int{}
}

// total and of: the calls counted since the last reset.
func (c *counting) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.n {
		n += v
	}
	return n
}

func (c *counting) of(op string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[op]
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
	if in.FilterExpression != nil {
		c.add("Filter")
	}
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

// env is the function wired as main.go wires it, on minidyn and a recording
// sender, with a clock in the proposals phase of the plan pan-2026-2028.
type env struct {
	db     *minidyn.Client
	table  string
	calls  *counting
	sender *outboxtest.Sender
	svc    *cocreation.Service
	router *httpapi.Router
	logs   *syncBuffer
	mu     sync.Mutex
	now    time.Time
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) setClock(t time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = t
}

func newEnv(t testing.TB) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	e := &env{db: db, table: table, calls: &counting{Client: db}, sender: &outboxtest.Sender{}, logs: &syncBuffer{},
		now: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)}
	log := httpapi.NewLogger(e.logs)
	store := ddbstore.New(e.calls, table).WithClock(e.clock)
	ob := outbox.New(store.Outbox(), e.sender, cocreation.Emails, log)
	ob.Now = e.clock
	e.svc = cocreation.NewService(cocreation.Config{
		Store: cocreationdb.New(store), Mailer: ob, Log: log, PortalOrigin: portalOrigin, NoticeVersion: "2026-11-01", Now: e.clock,
	})
	e.router = New(e.svc, log)
	_, err := e.svc.CreatePlan(context.Background(), cocreation.NewPlan{ID: "pan-2026-2028", PlanInput: cocreation.PlanInput{
		Title: i18n.Text{FR: "PAN 2026-2028", AR: "خطة العمل الوطنية 2026-2028"},
		Phases: []cocreation.PhaseInput{
			{Kind: "preparation", StartsOn: "2026-02-01", EndsOn: "2026-02-28"},
			{Kind: "proposals", StartsOn: "2026-03-01", EndsOn: "2026-03-31"},
			{Kind: "analysis", StartsOn: "2026-04-01", EndsOn: "2026-04-30"},
		},
		Themes: []cocreation.ThemeInput{
			{ID: "transparence", Label: i18n.Text{FR: "Transparence budgétaire", AR: "شفافية الميزانية"}},
			{ID: "participation", Label: i18n.Text{FR: "Participation citoyenne", AR: "المشاركة المواطنة"}},
		},
	}})
	if err != nil {
		t.Fatal(err)
	}
	e.calls.reset()
	return e
}

// items counts the table's items (tests may scan; the application never does).
func (e *env) items(t testing.TB) int {
	t.Helper()
	return len(e.keys(t, ""))
}

// keys returns "PK SK" of the table's items whose SK begins with prefix.
func (e *env) keys(t testing.TB, prefix string) []string {
	t.Helper()
	out, err := e.db.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String(e.table)})
	if err != nil {
		t.Fatalf("scan: %v", err)
	}
	var keys []string
	for _, it := range out.Items {
		pk, _ := it["PK"].(*types.AttributeValueMemberS)
		sk, _ := it["SK"].(*types.AttributeValueMemberS)
		if pk != nil && sk != nil && strings.HasPrefix(sk.Value, prefix) {
			keys = append(keys, pk.Value+" "+sk.Value)
		}
	}
	return keys
}

func (e *env) serve(t testing.TB, req events.APIGatewayV2HTTPRequest) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, err := e.router.Serve(context.Background(), req)
	if err != nil {
		t.Fatalf("Serve returned an error: %v", err)
	}
	return resp
}

// load is testdata/name with its ID placeholder replaced by id.
func load(t testing.TB, name, id string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	req := httpapitest.Load(t, name)
	if id != "" {
		req.RawPath = strings.Replace(req.RawPath, "ID", id, 1)
		req.RequestContext.HTTP.Path = req.RawPath
		req.PathParameters["id"] = id
	}
	return req
}

// withBody returns req with body (a JSON string or a value to marshal).
func withBody(t testing.TB, req events.APIGatewayV2HTTPRequest, body any) events.APIGatewayV2HTTPRequest {
	t.Helper()
	if s, ok := body.(string); ok {
		req.Body = s
		return req
	}
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req.Body = string(b)
	return req
}

// withQuery returns req with the query parameters kv (a "" value removes one).
func withQuery(req events.APIGatewayV2HTTPRequest, kv ...string) events.APIGatewayV2HTTPRequest {
	q := map[string]string{}
	for k, v := range req.QueryStringParameters {
		q[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(q, kv[i])
		} else {
			q[kv[i]] = kv[i+1]
		}
	}
	req.QueryStringParameters = q
	var parts []string
	for k, v := range q {
		parts = append(parts, k+"="+v)
	}
	req.RawQueryString = strings.Join(parts, "&")
	return req
}

// body returns the submission of submit.json with changes applied.
func body(t testing.TB, change func(m map[string]any)) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(httpapitest.Load(t, "submit.json").Body), &m); err != nil {
		t.Fatal(err)
	}
	if change != nil {
		change(m)
	}
	return m
}

func decode[T any](t testing.TB, resp events.APIGatewayV2HTTPResponse, status int) T {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, status, resp.Body)
	}
	var v T
	if err := json.Unmarshal([]byte(resp.Body), &v); err != nil {
		t.Fatalf("decode %s: %v", resp.Body, err)
	}
	return v
}

var tokenRE = regexp.MustCompile(`/(?:propositions|soutiens)/([a-z0-9]{26})\?token=([A-Za-z0-9_-]{43})`)

// link returns the ID and token of the last email of kind to addr.
func (e *env) link(t testing.TB, kind, addr string) (id, token string) {
	t.Helper()
	sent := e.sender.SentOfKind(kind)
	for i := len(sent) - 1; i >= 0; i-- {
		if strings.EqualFold(sent[i].To, strings.TrimSpace(addr)) {
			m := tokenRE.FindStringSubmatch(sent[i].Text)
			if m == nil {
				t.Fatalf("no link in %s", sent[i].Text)
			}
			return m[1], m[2]
		}
	}
	t.Fatalf("no %s email to %s", kind, addr)
	return "", ""
}

// published submits the proposal of submit.json changed by change, by addr,
// and publishes it.
func (e *env) published(t testing.TB, addr string, change func(m map[string]any)) cocreation.Receipt {
	t.Helper()
	b := body(t, change)
	b["proposer"].(map[string]any)["email"] = addr
	r := decode[cocreation.Receipt](t, e.serve(t, withBody(t, load(t, "submit.json", ""), b)), 201)
	if _, err := e.svc.Moderate(context.Background(), r.ID, cocreation.ModerationInput{Action: cocreation.ActionPublish}, "admin-1"); err != nil {
		t.Fatal(err)
	}
	return r
}
