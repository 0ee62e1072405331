// Package testenv decides what a test does when a tool it needs (moto_server,
// Chromium, cfn-lint) is missing: skip on a developer's machine, fail in CI
// (CI=true), so a skip can never stand in for a pass there.
package testenv

import (
	"os"
	"strconv"
	"testing"
)

// CI reports whether the tests run in CI.
func CI() bool {
	b, _ := strconv.ParseBool(os.Getenv("CI"))
	return b
}

// Missing skips t because a required tool is missing, or fails it in CI.
func Missing(t testing.TB, tool, how string) {
	t.Helper()
	if CI() {
		t.Fatalf("%s is required in CI but missing: %s", tool, how)
	}
	t.Skipf("%s not available (%s); skipping", tool, how)
}
