package consistency

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/testenv"
)

// cfn-lint expands the SAM transform (samtranslator), so it also catches what only
// shows after the transform, such as circular references between a bucket's events
// and Globals.
func TestCfnLintReportsNothing(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("cfn-lint")
	if err != nil {
		testenv.Missing(t, "cfn-lint", "pip install cfn-lint")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "template.yaml")
	cmd.Dir = repoPath(t, ".")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if report := strings.TrimSpace(out.String()); err != nil || report != "" {
		t.Fatalf("cfn-lint template.yaml: %v\n%s", err, report)
	}
}
