// Package e2e drives the whole system through the local cloud over HTTP, as a
// browser or a script would: the real template routes and JWT authorizer, the
// functions' real bootstrap binaries, minidyn, the local SES mailbox.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"espaceosc/infra/local/cloud"
	"espaceosc/infra/seed"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

var lc *cloud.Cloud

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "espace-osc-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	lc, err = cloud.Start(ctx, cloud.Config{Addr: "127.0.0.1:0", DataDir: dir, NoSchedules: true, Seed: seed.Apply})
	cancel()
	if err != nil {
		fmt.Fprintln(os.Stderr, "start local cloud:", err)
		os.Exit(1)
	}
	code := m.Run()
	_ = lc.Close()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// call is one HTTP exchange with the local gateway.
type call struct {
	method, path string
	body         any // marshalled as JSON unless a string
	headers      map[string]string
	token        string
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func do(t *testing.T, c call) reply {
	t.Helper()
	return doOn(t, lc, c)
}

// doOn is do against any cloud (the openapi test starts its own), for tests
// and benchmarks alike. It stops the test on a transport error, so it must
// run on the test's goroutine: goroutines use doAsync.
func doOn(t testing.TB, c *cloud.Cloud, x call) reply {
	t.Helper()
	r, err := sendOn(c, x)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// doAsync is do for goroutines, where t.Fatal is not allowed (FailNow must
// run on the test's goroutine): a transport error is reported with t.Errorf
// and ok is false; the caller returns, and its checks on the test's
// goroutine see the missing reply.
func doAsync(t testing.TB, x call) (r reply, ok bool) {
	t.Helper()
	r, err := sendOn(lc, x)
	if err != nil {
		t.Errorf("%v", err)
		return reply{}, false
	}
	return r, true
}

// sendOn performs one exchange with the gateway of c. It never stops the
// test, so any goroutine may call it.
func sendOn(c *cloud.Cloud, x call) (reply, error) {
	var body io.Reader
	switch b := x.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return reply{}, fmt.Errorf("%s %s: encode body: %w", x.method, x.path, err)
		}
		body = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(x.method, c.URL()+x.path, body)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: %w", x.method, x.path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if x.token != "" {
		req.Header.Set("Authorization", "Bearer "+x.token)
	}
	for k, v := range x.headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: %w", x.method, x.path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: read body: %w", x.method, x.path, err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

func expectStatus(t testing.TB, r reply, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status = %d, want %d; body: %s", r.status, want, r.body)
	}
}

func token(t *testing.T, role string) string {
	t.Helper()
	return tokenFor(t, lc, role, "")
}

// tokenFor is a JWT of role for subject sub from cloud c.
func tokenFor(t testing.TB, c *cloud.Cloud, role, sub string) string {
	t.Helper()
	tok, err := c.Token(role, sub)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// problem is the RFC 9457 body every error carries.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

func expectProblem(t *testing.T, r reply, status int, field string) problem {
	t.Helper()
	expectStatus(t, r, status)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("content-type = %q, want application/problem+json; body %s", ct, r.body)
	}
	var p problem
	r.json(t, &p)
	if p.Status != status || p.Title == "" || p.Type == "" {
		t.Fatalf("problem = %+v", p)
	}
	if field != "" {
		found := false
		for _, e := range p.Errors {
			found = found || (e.Field == field && e.Message != "")
		}
		if !found {
			t.Fatalf("problem has no error for field %q: %s", field, r.body)
		}
	}
	return p
}

// mailTo returns the local mailbox's messages to addr.
func mailTo(addr string) []cloud.Message {
	var out []cloud.Message
	for _, m := range lc.Mail() {
		for _, to := range m.To {
			if strings.EqualFold(to, addr) {
				out = append(out, m)
			}
		}
	}
	return out
}

// setFault switches a local fault and always switches it back off at cleanup.
func setFault(t *testing.T, service, mode string) {
	t.Helper()
	r := do(t, call{method: "POST", path: "/_local/faults", body: map[string]string{"service": service, "mode": mode}})
	if r.status/100 != 2 {
		t.Fatalf("set fault %s=%s: %d %s", service, mode, r.status, r.body)
	}
	t.Cleanup(func() {
		_ = lc.SetFault(service, "none")
	})
}

// operatorConfig is an SDK configuration for the local cloud's services with
// the account operator's credentials (allowed everything), for tests that
// look at the table or the bucket directly.
func operatorConfig(c *cloud.Cloud) aws.Config {
	ak, sk := c.OperatorCredentials()
	return aws.Config{Region: cloud.Region, Credentials: credentials.NewStaticCredentialsProvider(ak, sk, ""), RetryMaxAttempts: 1}
}

func operatorS3(c *cloud.Cloud) *s3.Client {
	return s3.NewFromConfig(operatorConfig(c), func(o *s3.Options) {
		o.BaseEndpoint = aws.String(c.Endpoints()["s3"])
		o.UsePathStyle = true
	})
}

func operatorDynamo(c *cloud.Cloud) *dynamodb.Client {
	return dynamodb.NewFromConfig(operatorConfig(c), func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(c.Endpoints()["dynamodb"]) })
}
