package cloud

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
)

// tc is the cloud shared by the tests of this package (started by TestMain).
var tc *Cloud

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "localcloud")
	if err != nil {
		panic(err)
	}
	c, err := Start(context.Background(), testConfig(dir))
	if err != nil {
		fmt.Fprintln(os.Stderr, "start:", err)
		os.Exit(1)
	}
	tc = c
	code := m.Run()
	_ = c.Close()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func testConfig(dataDir string) Config {
	return Config{
		Addr:         "127.0.0.1:0",
		DataDir:      dataDir,
		TemplatePath: filepath.Join("testdata", "template.yaml"),
		NoSchedules:  true,
		MaxInstances: 4,
	}
}

// do sends a request to the shared cloud and returns the status and body.
func do(t *testing.T, method, path, token, body string, headers ...string) (int, string, http.Header) {
	t.Helper()
	status, b, h, err := send(method, path, token, body, headers...)
	if err != nil {
		t.Fatal(err)
	}
	return status, b, h
}

// send is do without the test: goroutines call it (t.Fatal must run on the
// test's goroutine) and report its error with t.Errorf.
func send(method, path, token, body string, headers ...string) (int, string, http.Header, error) {
	req, err := http.NewRequest(method, tc.URL()+path, strings.NewReader(body))
	if err != nil {
		return 0, "", nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header, nil
}

func token(t *testing.T, role string) string {
	t.Helper()
	tok, err := tc.Token(role, "")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// awsConfig is an SDK configuration for the local services with the
// operator's credentials, without retries so that tests see the first error
// as is.
func awsConfig(c *Cloud) aws.Config {
	ak, sk := c.OperatorCredentials()
	return aws.Config{
		Region:           Region,
		Credentials:      credentials.NewStaticCredentialsProvider(ak, sk, ""),
		RetryMaxAttempts: 1,
	}
}

func ddbClient(c *Cloud) *dynamodb.Client {
	return dynamodb.NewFromConfig(awsConfig(c), func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(c.dynamo.url) })
}

func sesClient(c *Cloud) *sesv2.Client {
	return sesv2.NewFromConfig(awsConfig(c), func(o *sesv2.Options) { o.BaseEndpoint = aws.String(c.ses.url) })
}

func s3Client(c *Cloud) *s3.Client {
	return s3.NewFromConfig(awsConfig(c), func(o *s3.Options) {
		o.BaseEndpoint = aws.String(c.s3.url)
		o.UsePathStyle = true
	})
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func setFault(t *testing.T, service, mode string) {
	t.Helper()
	if err := tc.SetFault(service, mode); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tc.SetFault(service, faultNone) })
}
