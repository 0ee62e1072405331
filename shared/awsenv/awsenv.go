// Package awsenv is the wiring every function's main.go shares: required
// environment variables and the AWS configuration, loaded once per cold start.
// Endpoints are never special-cased here: the SDK reads
// AWS_ENDPOINT_URL_<SERVICE> itself, in AWS and on the local cloud alike.
package awsenv

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Require returns the values of the named environment variables, or exits
// with one clear message naming every missing one.
func Require(names ...string) map[string]string {
	vals, err := lookup(os.LookupEnv, names...)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	return vals
}

func lookup(get func(string) (string, bool), names ...string) (map[string]string, error) {
	vals := make(map[string]string, len(names))
	var missing []string
	for _, n := range names {
		v, ok := get(n)
		if !ok || strings.TrimSpace(v) == "" {
			missing = append(missing, n)
			continue
		}
		vals[n] = v
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing required environment variables: %s", strings.Join(missing, ", "))
	}
	return vals, nil
}

// Load returns the AWS configuration of a Lambda function, or exits with a
// clear message.
//
// It is what config.LoadDefaultConfig resolves inside Lambda, read from the
// same environment variables by the SDK's own config.EnvConfig: the region
// (AWS_REGION), the function role's credentials (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, which Lambda sets for the life of
// the execution environment and which LoadDefaultConfig would also take as
// static credentials) and the endpoints (AWS_ENDPOINT_URL and
// AWS_ENDPOINT_URL_<SERVICE>, which each service client reads through
// ConfigSources). It leaves out what Lambda never uses (shared config files,
// SSO, assume-role, web identity, process and IMDS credentials): linking
// those providers made every function binary about 2.5 MB larger and its
// cold start slower.
func Load(ctx context.Context) aws.Config {
	cfg, err := fromEnv(config.NewEnvConfig)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load AWS configuration:", err)
		os.Exit(1)
	}
	return cfg
}

func fromEnv(read func() (config.EnvConfig, error)) (aws.Config, error) {
	env, err := read()
	if err != nil {
		return aws.Config{}, err
	}
	if env.Region == "" {
		return aws.Config{}, fmt.Errorf("no region: AWS_REGION is not set")
	}
	if !env.Credentials.HasKeys() {
		return aws.Config{}, fmt.Errorf("no credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
	}
	cfg := aws.Config{
		Region:        env.Region,
		Credentials:   aws.NewCredentialsCache(credentials.StaticCredentialsProvider{Value: env.Credentials}),
		ConfigSources: []any{env},
	}
	if env.BaseEndpoint != "" {
		cfg.BaseEndpoint = aws.String(env.BaseEndpoint)
	}
	return cfg, nil
}

// S3PathStyle reports whether S3_USE_PATH_STYLE asks for path-style
// addressing (the one explicit setting S3 emulators need).
func S3PathStyle() bool {
	b, _ := strconv.ParseBool(os.Getenv("S3_USE_PATH_STYLE"))
	return b
}
