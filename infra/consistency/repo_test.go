package consistency

import (
	"path/filepath"
	"sync"
	"testing"

	"espaceosc/infra/template"
)

var (
	rootOnce sync.Once
	rootDir  string
	rootErr  error
)

// repoPath returns name joined to the repository root (the folder with go.mod).
func repoPath(t *testing.T, name string) string {
	t.Helper()
	rootOnce.Do(func() { rootDir, rootErr = template.FindRepoRoot() })
	if rootErr != nil {
		t.Fatalf("find repository root: %v", rootErr)
	}
	return filepath.Join(rootDir, name)
}

// loadTemplate parses template.yaml.
func loadTemplate(t *testing.T) *template.Template {
	t.Helper()
	tpl, err := template.Load(repoPath(t, "template.yaml"))
	if err != nil {
		t.Fatalf("load template.yaml: %v", err)
	}
	return tpl
}
