package cloud

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"

	"espaceosc/infra/template"
)

// buildAll builds every function's bootstrap for the host, one go build per function,
// in parallel. It returns the binary path of each function by logical ID.
func buildAll(ctx context.Context, fns []template.Function, srcRoot, binDir string) (map[string]string, error) {
	for _, f := range fns {
		dir := filepath.Join(srcRoot, filepath.FromSlash(f.Dir))
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("function %s: source directory %s does not exist", f.LogicalID, dir)
		}
	}
	bins := map[string]string{}
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	sem := make(chan struct{}, 4)
	for _, f := range fns {
		out := filepath.Join(binDir, f.LogicalID, "bootstrap")
		bins[f.LogicalID] = out
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			cmd := exec.CommandContext(ctx, "go", "build", "-tags", "lambda.norpc", "-o", out, "./"+filepath.ToSlash(f.Dir))
			cmd.Dir = srcRoot
			cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
			if b, err := cmd.CombinedOutput(); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("build function %s (%s): %w\n%s", f.LogicalID, f.Dir, err, b))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return bins, nil
}
