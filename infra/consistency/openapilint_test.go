package consistency

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/testenv"
)

// lintProblem is a line of Redocly's stylish report: "  100:17  error  rule  message".
var lintProblem = regexp.MustCompile(`(?m)^\s*\d+:\d+\s+(error|warning)\s+.*$`)

// openapi.yaml passes a standard OpenAPI linter, Redocly CLI (pinned in
// tools/openapi-lint, rules in its redocly.yaml), with no error. Warnings are
// logged.
func TestOpenAPILint(t *testing.T) {
	t.Parallel()
	const how = "npm ci in tools/openapi-lint (Node.js 20.19 or later)"
	if _, err := exec.LookPath("node"); err != nil {
		testenv.Missing(t, "node", how)
	}
	bin := repoPath(t, "tools/openapi-lint/node_modules/.bin/redocly")
	if _, err := os.Stat(bin); err != nil {
		testenv.Missing(t, "redocly", how)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "lint", "openapi.yaml", "--config", "tools/openapi-lint/redocly.yaml", "--format", "stylish")
	cmd.Dir = repoPath(t, ".")
	// No telemetry and no update check: the tests reach no server.
	cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "NO_COLOR=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	problems := lintProblem.FindAllString(out.String(), -1)
	var errs, warnings []string
	for _, p := range problems {
		if strings.Fields(p)[1] == "error" {
			errs = append(errs, strings.TrimSpace(p))
		} else {
			warnings = append(warnings, strings.TrimSpace(p))
		}
	}
	if len(warnings) > 0 {
		t.Logf("redocly lint openapi.yaml: %d warnings:\n%s", len(warnings), strings.Join(warnings, "\n"))
	}
	if err != nil || len(errs) > 0 {
		t.Fatalf("redocly lint openapi.yaml: %v, %d errors:\n%s", err, len(errs), out.String())
	}
}
