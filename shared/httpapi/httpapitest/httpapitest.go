// Package httpapitest helps the functions' handler tests: it reads the real
// API Gateway payloads they keep in testdata.
package httpapitest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-lambda-go/events"
)

// Load reads testdata/name (relative to the test's package) as an API
// Gateway HTTP API request; it fails the test if the file is missing or is
// not such a payload.
func Load(t testing.TB, name string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var req events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(b, &req); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return req
}
