package awsenv

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestLookup(t *testing.T) {
	env := map[string]string{"A": "1", "B": " ", "C": "3"}
	get := func(k string) (string, bool) { v, ok := env[k]; return v, ok }

	vals, err := lookup(get, "A", "C")
	if err != nil || vals["A"] != "1" || vals["C"] != "3" {
		t.Fatalf("lookup(A, C) = %v, %v", vals, err)
	}
	_, err = lookup(get, "A", "B", "D")
	if err == nil {
		t.Fatal("lookup with blank and missing variables succeeded")
	}
	if got := err.Error(); !strings.Contains(got, "B, D") {
		t.Fatalf("error %q does not name B and D", got)
	}
}

// TestLoadTakesWhatLambdaSets checks the configuration a function gets from
// the variables Lambda (and the local cloud) sets: a call goes to the
// service's AWS_ENDPOINT_URL_<SERVICE>, signed for AWS_REGION with the
// session credentials.
func TestLoadTakesWhatLambdaSets(t *testing.T) {
	var auth, token string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth, token = r.Header.Get("Authorization"), r.Header.Get("X-Amz-Security-Token")
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	for k, v := range map[string]string{
		"AWS_REGION": "eu-west-3", "AWS_ACCESS_KEY_ID": "AKIDLAMBDA", "AWS_SECRET_ACCESS_KEY": "secret",
		"AWS_SESSION_TOKEN": "session-token", "AWS_ENDPOINT_URL_DYNAMODB": srv.URL, "AWS_ENDPOINT_URL": "",
	} {
		t.Setenv(k, v)
	}
	cfg, err := fromEnv(config.NewEnvConfig)
	if err != nil {
		t.Fatal(err)
	}
	_, err = dynamodb.NewFromConfig(cfg).GetItem(context.Background(), &dynamodb.GetItemInput{
		TableName: aws.String("t"), Key: map[string]types.AttributeValue{"PK": &types.AttributeValueMemberS{Value: "x"}},
	})
	if err != nil {
		t.Fatalf("GetItem through AWS_ENDPOINT_URL_DYNAMODB: %v", err)
	}
	if !strings.Contains(auth, "Credential=AKIDLAMBDA/") || !strings.Contains(auth, "/eu-west-3/dynamodb/") || token != "session-token" {
		t.Errorf("request signed with %q (token %q), want the session credentials for eu-west-3", auth, token)
	}

	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	if _, err := fromEnv(config.NewEnvConfig); err == nil || !strings.Contains(err.Error(), "AWS_REGION") {
		t.Errorf("without a region: %v, want an error naming AWS_REGION", err)
	}
}
