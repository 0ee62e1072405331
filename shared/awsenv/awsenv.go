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

// Load returns the default AWS configuration or exits with a clear message.
func Load(ctx context.Context) aws.Config {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load AWS configuration:", err)
		os.Exit(1)
	}
	return cfg
}

// S3PathStyle reports whether S3_USE_PATH_STYLE asks for path-style
// addressing (the one explicit setting S3 emulators need).
func S3PathStyle() bool {
	b, _ := strconv.ParseBool(os.Getenv("S3_USE_PATH_STYLE"))
	return b
}
