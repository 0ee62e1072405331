package template

import (
	"path/filepath"
	"slices"
	"testing"
)

// CheckRoutes fails t unless the set of route keys served (e.g. from the function's
// router) equals the template's routes for logicalID. An empty templatePath means
// template.yaml at the repository root.
func CheckRoutes(t testing.TB, templatePath, logicalID string, served []string) {
	t.Helper()
	if templatePath == "" {
		root, err := FindRepoRoot()
		if err != nil {
			t.Fatalf("CheckRoutes: %v", err)
		}
		templatePath = filepath.Join(root, "template.yaml")
	}
	tpl, err := Load(templatePath)
	if err != nil {
		t.Fatalf("CheckRoutes: %v", err)
	}
	fn, ok := tpl.Function(logicalID)
	if !ok {
		t.Fatalf("CheckRoutes: no function %s in %s", logicalID, templatePath)
	}
	want := map[string]bool{}
	for _, r := range fn.Routes {
		want[r.Key()] = true
	}
	got := map[string]bool{}
	for _, k := range served {
		got[k] = true
	}
	var missing, extra []string
	for k := range want {
		if !got[k] {
			missing = append(missing, k)
		}
	}
	for k := range got {
		if !want[k] {
			extra = append(extra, k)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	if len(missing) > 0 {
		t.Errorf("%s: routes of the template not served: %q", logicalID, missing)
	}
	if len(extra) > 0 {
		t.Errorf("%s: routes served but absent from the template: %q", logicalID, extra)
	}
}
