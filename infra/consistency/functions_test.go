package consistency

import (
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// buildTarget matches a Makefile rule `build-<LogicalId>:` and, on its first recipe
// line, the package it builds.
var buildTarget = regexp.MustCompile(`(?m)^build-([A-Za-z0-9]+):[^\n]*\n\t[^\n]*?-o \$\(ARTIFACTS_DIR\)/bootstrap (\S+)`)

// Every function folder has its template resource and its Makefile target, and
// every function resource and build target has its folder.
func TestFunctionsFoldersResourcesAndBuildTargets(t *testing.T) {
	tpl := loadTemplate(t)

	makefile, err := os.ReadFile(repoPath(t, "Makefile"))
	if err != nil {
		t.Fatalf("read Makefile: %v", err)
	}
	targets := map[string]string{} // LogicalId -> package built, e.g. ./functions/portal
	for _, m := range buildTarget.FindAllStringSubmatch(string(makefile), -1) {
		targets[m[1]] = m[2]
	}

	entries, err := os.ReadDir(repoPath(t, "functions"))
	if err != nil {
		t.Fatalf("read functions/: %v (the functions of template.yaml live in functions/<name>)", err)
	}
	folders := map[string]bool{} // "functions/<name>"
	for _, e := range entries {
		if e.IsDir() {
			folders[path.Join("functions", e.Name())] = true
		}
	}

	resources := map[string]bool{} // LogicalId
	dirs := map[string]bool{}      // Dir of a resource
	for _, fn := range tpl.Functions {
		resources[fn.LogicalID] = true
		dirs[fn.Dir] = true
		t.Run(fn.LogicalID, func(t *testing.T) {
			if !folders[fn.Dir] {
				t.Errorf("template.yaml has %s but there is no folder %s", fn.LogicalID, fn.Dir)
			} else if _, err := os.Stat(repoPath(t, path.Join(fn.Dir, "main.go"))); err != nil {
				t.Errorf("%s: no main.go (%v)", fn.Dir, err)
			}
			pkg, ok := targets[fn.LogicalID]
			switch {
			case !ok:
				t.Errorf("Makefile has no target build-%s (SAM BuildMethod: makefile calls it)", fn.LogicalID)
			case pkg != "./"+fn.Dir:
				t.Errorf("Makefile target build-%s builds %s, want ./%s", fn.LogicalID, pkg, fn.Dir)
			}
			if got, want := fn.BuildMethod, "makefile"; got != want {
				t.Errorf("%s: Metadata.BuildMethod = %q, want %q", fn.LogicalID, got, want)
			}
			if got, want := fn.Handler, "bootstrap"; got != want {
				t.Errorf("%s: Handler = %q, want %q", fn.LogicalID, got, want)
			}
			if got, want := fn.Runtime, "provided.al2023"; got != want {
				t.Errorf("%s: Runtime = %q, want %q", fn.LogicalID, got, want)
			}
		})
	}

	for _, f := range sortedKeys(folders) {
		if !dirs[f] {
			t.Errorf("folder %s has no AWS::Serverless::Function in template.yaml (folder = functions/<lowercase LogicalId without \"Function\">)", f)
		}
	}
	for _, id := range sortedKeys(targets) {
		if !resources[id] {
			t.Errorf("Makefile target build-%s has no function %s in template.yaml", id, id)
		}
	}
}

// The `make build` list names every function too.
func TestMakeBuildListsEveryFunction(t *testing.T) {
	tpl := loadTemplate(t)
	makefile, err := os.ReadFile(repoPath(t, "Makefile"))
	if err != nil {
		t.Fatalf("read Makefile: %v", err)
	}
	m := regexp.MustCompile(`(?m)^FUNCTIONS := ((?:.*\\\n)*.*)$`).FindStringSubmatch(string(makefile))
	if m == nil {
		t.Fatal("Makefile: no FUNCTIONS := list")
	}
	var got []string
	for _, f := range strings.Fields(strings.ReplaceAll(m[1], "\\", " ")) {
		got = append(got, f)
	}
	var want []string
	for _, fn := range tpl.Functions {
		want = append(want, fn.LogicalID+":"+strings.TrimPrefix(fn.Dir, "functions/"))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Makefile FUNCTIONS = %v, want %v", got, want)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
