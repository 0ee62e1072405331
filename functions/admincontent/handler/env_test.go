package handler

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/ddbstore/linksdb"
	"espaceosc/shared/ddbstore/newsdb"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/links"
	"espaceosc/shared/news"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	minidyn "github.com/truora/minidyn/aws-v2/client"
)

var clock = func() time.Time { return time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC) }

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

// env is the function wired as main.go wires it, on minidyn.
type env struct {
	db     *minidyn.Client
	calls  *counting
	news   *news.Service
	links  *links.Service
	router *httpapi.Router
	logs   *syncBuffer
}

func newEnv(t testing.TB) *env { t.Helper(); return newEnvWith(t, clock) }

func newEnvWith(t testing.TB, now func() time.Time) *env {
	t.Helper()
	db, table := ddbtest.Minidyn(t)
	e := &env{db: db, calls: &counting{Client: db}, logs: &syncBuffer{}}
	log := httpapi.NewLogger(e.logs)
	store := ddbstore.New(e.calls, table)
	e.news = news.NewService(news.Config{Store: newsdb.New(store), Log: log, Now: now})
	e.links = links.NewService(links.Config{Store: linksdb.New(store), Log: log, Now: now})
	e.router = New(e.news, e.links, log)
	return e
}

// serve routes ev, checks the status and decodes the body into out (if not
// nil). It resets the DynamoDB call count first, so that e.calls.n counts
// this request's.
func (e *env) serve(t *testing.T, ev events.APIGatewayV2HTTPRequest, wantStatus int, out any) events.APIGatewayV2HTTPResponse {
	t.Helper()
	e.calls.n.Store(0)
	resp, err := e.router.Serve(context.Background(), ev)
	if err != nil {
		t.Fatalf("Serve returned an error: %v", err)
	}
	if resp.StatusCode != wantStatus {
		t.Fatalf("%s: status = %d, want %d: %s", ev.RouteKey, resp.StatusCode, wantStatus, resp.Body)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(resp.Body), out); err != nil {
			t.Fatalf("body %q: %v", resp.Body, err)
		}
	}
	return resp
}
