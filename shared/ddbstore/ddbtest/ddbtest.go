// Package ddbtest gives store tests a real DynamoDB protocol peer: minidyn in
// process (always), and moto_server (when MOTO_ENDPOINT is set; `make test`
// starts one) to cross-check fidelity. Moto runs sequentially only: its
// transactions are not safe under concurrency.
package ddbtest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"espaceosc/shared/ddbstore"
	"espaceosc/shared/i18n"
	"espaceosc/shared/outbox"
	"espaceosc/shared/testenv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	minidyn "github.com/truora/minidyn/aws-v2/client"
)

// Client is what a store needs plus table management.
type Client interface {
	ddbstore.Client
	CreateTable(ctx context.Context, in *dynamodb.CreateTableInput, opts ...func(*dynamodb.Options)) (*dynamodb.CreateTableOutput, error)
}

// TableInput is the table of template.yaml (keys, GSIs) named name.
// infra/consistency checks that it matches the template.
func TableInput(name string) *dynamodb.CreateTableInput {
	s := func(n string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(n), AttributeType: types.ScalarAttributeTypeS}
	}
	key := func(h, r string) []types.KeySchemaElement {
		return []types.KeySchemaElement{
			{AttributeName: aws.String(h), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String(r), KeyType: types.KeyTypeRange},
		}
	}
	return &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			s("PK"), s("SK"), s("GSI1PK"), s("GSI1SK"), s("GSI2PK"), s("GSI2SK"), s("EmailHash"),
		},
		KeySchema: key("PK", "SK"),
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
			{IndexName: aws.String("GSI1"), KeySchema: key("GSI1PK", "GSI1SK"), Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}},
			{IndexName: aws.String("GSI2"), KeySchema: key("GSI2PK", "GSI2SK"), Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}},
			{IndexName: aws.String("ByEmail"), KeySchema: key("EmailHash", "PK"), Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly}},
		},
	}
}

var seq atomic.Int64

// Minidyn returns an in-process minidyn client holding a fresh table, and the
// table's name. Use client.EmulateFailure-style helpers of minidyn for faults.
func Minidyn(t testing.TB) (*minidyn.Client, string) {
	t.Helper()
	c := minidyn.NewClient()
	name := "test"
	if _, err := c.CreateTable(context.Background(), TableInput(name)); err != nil {
		t.Fatalf("create minidyn table: %v", err)
	}
	return c, name
}

// Moto returns a client of the moto_server at MOTO_ENDPOINT with a fresh
// table of its own, deleted at cleanup. Without MOTO_ENDPOINT it skips (fails in CI).
func Moto(t testing.TB) (*dynamodb.Client, string) {
	t.Helper()
	endpoint := os.Getenv("MOTO_ENDPOINT")
	if endpoint == "" {
		testenv.Missing(t, "moto_server", "set MOTO_ENDPOINT, as `make test` does")
	}
	c := dynamodb.New(dynamodb.Options{
		Region:       "eu-west-3",
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	name := fmt.Sprintf("test-%d-%d", time.Now().UnixNano(), seq.Add(1))
	ctx := context.Background()
	if _, err := c.CreateTable(ctx, TableInput(name)); err != nil {
		t.Fatalf("create moto table: %v", err)
	}
	t.Cleanup(func() {
		_, _ = c.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	})
	return c, name
}

// Each runs fn against minidyn and then, sequentially, against moto.
func Each(t *testing.T, fn func(t *testing.T, c Client, table string)) {
	t.Helper()
	t.Run("minidyn", func(t *testing.T) {
		c, table := Minidyn(t)
		fn(t, c, table)
	})
	t.Run("moto", func(t *testing.T) {
		c, table := Moto(t)
		fn(t, c, table)
	})
}

// Email is an outbox email for store tests: recorded as a template name and
// its data, as every capability records its emails.
func Email(id string, created time.Time) outbox.Email {
	return outbox.Email{
		ID: id, To: "amina@example.org", Lang: i18n.FR, Kind: "test.kind",
		Data: []byte(`{"name":"Amina"}`), RefID: "ref-" + id, CreatedAt: created,
	}
}

// IDs lists the emails' IDs, for failure messages.
func IDs(es []outbox.Email) string {
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	return strings.Join(ids, ",")
}
