// Package icstest checks iCalendar files in tests with an independent
// validator: libical's iTIP (RFC 5546) restriction check, run by
// tools/ics-check/ics_check.py (Debian: gir1.2-ical-3.0 and python3-gi).
// Without libical a test skips on a developer's machine and fails in CI
// (shared/testenv).
package icstest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"

	"espaceosc/shared/testenv"
)

// Result is the validator's verdict on one file.
type Result struct {
	File   string   `json:"file"`
	Method string   `json:"method"`
	OK     bool     `json:"ok"`
	Errors []string `json:"errors"`
}

const how = "apt-get install -y gir1.2-ical-3.0 python3-gi"

// Check runs the validator on every file (name -> content) and returns its
// results by name. It fails t when the validator cannot run; it does not
// fail t for a file libical rejects (the caller asserts on the results).
func Check(t testing.TB, files map[string][]byte) map[string]Result {
	t.Helper()
	script := scriptPath(t)
	python := interpreter(t)
	dir := t.TempDir()
	var names []string
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	args := []string{script}
	paths := map[string]string{}
	for i, name := range names {
		p := filepath.Join(dir, fmt.Sprintf("%03d.ics", i))
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			t.Fatal(err)
		}
		paths[p] = name
		args = append(args, p)
	}
	var out, stderr bytes.Buffer
	cmd := exec.Command(python, args...)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		t.Fatalf("ics_check.py: %v\n%s", err, stderr.String())
	}
	results := map[string]Result{}
	dec := json.NewDecoder(&out)
	for dec.More() {
		var r Result
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("ics_check.py output: %v", err)
		}
		results[paths[r.File]] = r
	}
	if len(results) != len(files) {
		t.Fatalf("ics_check.py judged %d files of %d:\n%s\n%s", len(results), len(files), out.String(), stderr.String())
	}
	return results
}

// Valid fails t for every file libical rejects, naming its errors.
func Valid(t testing.TB, files map[string][]byte) {
	t.Helper()
	for name, r := range Check(t, files) {
		if !r.OK {
			t.Errorf("%s (METHOD %s) fails libical's iTIP check: %v\n%s", name, r.Method, r.Errors, files[name])
		}
	}
}

// scriptPath finds tools/ics-check/ics_check.py above the working directory.
func scriptPath(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		p := filepath.Join(dir, "tools", "ics-check", "ics_check.py")
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("tools/ics-check/ics_check.py not found above the working directory")
		}
		dir = parent
	}
}

// interpreter returns a Python 3 that can load libical's introspection
// data: the system's (python3-gi is a Debian package, which a Python
// installed elsewhere, e.g. by pyenv, does not see), else the first on PATH.
func interpreter(t testing.TB) string {
	t.Helper()
	var candidates []string
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if path, err := exec.LookPath(p); err == nil {
			candidates = append(candidates, path)
		}
	}
	probe := `import gi; gi.require_version("ICalGLib", "3.0"); from gi.repository import ICalGLib`
	for _, py := range candidates {
		if exec.Command(py, "-c", probe).Run() == nil {
			return py
		}
	}
	testenv.Missing(t, "libical (ICalGLib 3.0 for python3)", how)
	return ""
}
