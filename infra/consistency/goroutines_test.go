package consistency

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// fatalDirs are the folders whose Go files are checked.
var fatalDirs = []string{"functions", "infra", "shared"}

// No test goroutine calls t.Fatal, t.FailNow or t.Skip, directly or through
// a helper of its package: FailNow must run on the test's goroutine (see
// testing.T). Goroutines use helpers that return an error or report with
// t.Errorf (e2e's doAsync).
//
// The check reads the syntax only: a call is a helper's when it names a
// function of the package (f(...)) or a method of one of its types by its
// name (x.m(...)); a helper stops the test when it calls
// <ident>.Fatal/Fatalf/FailNow/Skip/Skipf/SkipNow (ident not an imported
// package) or another such helper. Function literals given to t.Run or
// t.Cleanup run on their own test's goroutine and are left out.
func TestNoFatalFromGoroutines(t *testing.T) {
	var problems []string
	for _, d := range fatalDirs {
		root := repoPath(t, d)
		err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil || !e.IsDir() {
				return err
			}
			if n := e.Name(); p != root && (n == "testdata" || n == "node_modules" || strings.HasPrefix(n, ".")) {
				return filepath.SkipDir
			}
			found, err := fatalFromGoroutines(p)
			problems = append(problems, found...)
			return err
		})
		if err != nil {
			t.Fatalf("walk %s: %v", d, err)
		}
	}
	if len(problems) > 0 {
		t.Errorf("test goroutines that can stop the test (FailNow must run on the test's goroutine):\n%s", strings.Join(problems, "\n"))
	}
}

// The check finds what it is meant to find.
func TestNoFatalFromGoroutinesFinds(t *testing.T) {
	dir := t.TempDir()
	src := `package x

import (
	"log"
	"sync"
	"testing"
)

type reply struct{}

func (reply) decode(t *testing.T) { t.Fatalf("bad") }

func must(t *testing.T)  { t.Helper(); t.FailNow() }
func via(t *testing.T)   { must(t) }
func safe(t *testing.T)  { t.Errorf("reported"); log.Fatal("not a test") }
func sub(t *testing.T)   { t.Run("s", func(t *testing.T) { t.Fatal("own goroutine") }) }
func get[T any](t *testing.T) T { var v T; t.Skip(); return v }

func TestX(t *testing.T) {
	var wg sync.WaitGroup
	var r reply
	go func() { t.Fatal("direct") }()           // 1
	go via(t)                                    // 2
	wg.Go(func() { r.decode(t) })                // 3
	wg.Go(func() { _ = get[int](t) })            // 4
	go func() { safe(t); sub(t) }()
	go func() { t.Run("s", func(t *testing.T) { t.Fatal("ok") }) }()
	must(t)
}
`
	if err := os.WriteFile(filepath.Join(dir, "x_test.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	found, err := fatalFromGoroutines(dir)
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, f := range found {
		parts := strings.Split(f, ":")
		n, _ := strconv.Atoi(parts[1])
		lines = append(lines, n)
	}
	if want := []int{22, 23, 24, 25}; !slices.Equal(lines, want) {
		t.Errorf("found %q, want lines %v", found, want)
	}
}

// fatalFromGoroutines checks the Go files of one folder (a package and its
// tests) and returns "file:line: what" for every goroutine that can stop
// the test.
func fatalFromGoroutines(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	pkgs := map[string][]*ast.File{} // a package and its external tests (x_test) apart, as compiled
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		pkgs[f.Name.Name] = append(pkgs[f.Name.Name], f)
	}
	var problems []string
	for _, name := range sortedKeys(pkgs) {
		problems = append(problems, checkPackage(fset, pkgs[name])...)
	}
	return problems, nil
}

type fatalChecker struct {
	fset    *token.FileSet
	imports map[*ast.File]map[string]bool
	// funcs and methods by name (methods: any receiver), and which of them
	// can stop the test.
	decls map[string][]*ast.FuncDecl
	fatal map[string]bool
}

func declKey(d *ast.FuncDecl) string {
	if d.Recv != nil {
		return "." + d.Name.Name
	}
	return d.Name.Name
}

func checkPackage(fset *token.FileSet, files []*ast.File) []string {
	c := &fatalChecker{fset: fset, imports: map[*ast.File]map[string]bool{}, decls: map[string][]*ast.FuncDecl{}, fatal: map[string]bool{}}
	for _, f := range files {
		imp := map[string]bool{}
		for _, s := range f.Imports {
			p, _ := strconv.Unquote(s.Path.Value)
			n := p[strings.LastIndex(p, "/")+1:]
			if s.Name != nil {
				n = s.Name.Name
			}
			imp[n] = true
		}
		c.imports[f] = imp
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				c.decls[declKey(fd)] = append(c.decls[declKey(fd)], fd)
			}
		}
	}
	// Which helpers can stop the test: a fixed point over the calls.
	fileOf := map[*ast.FuncDecl]*ast.File{}
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				fileOf[fd] = f
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for key, ds := range c.decls {
			if c.fatal[key] {
				continue
			}
			for _, d := range ds {
				if c.stops(fileOf[d], d.Body) != "" {
					c.fatal[key] = true
					changed = true
					break
				}
			}
		}
	}
	var problems []string
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			var body ast.Node
			switch n := n.(type) {
			case *ast.GoStmt:
				if lit, ok := n.Call.Fun.(*ast.FuncLit); ok {
					body = lit.Body
				} else {
					body = n.Call
				}
			case *ast.CallExpr:
				// wg.Go(func() {...}), errgroup's g.Go(func() error {...})
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Go" && len(n.Args) == 1 {
					if lit, ok := n.Args[0].(*ast.FuncLit); ok {
						body = lit.Body
					}
				}
			}
			if body != nil {
				if what := c.stops(f, body); what != "" {
					pos := fset.Position(n.Pos())
					problems = append(problems, fmt.Sprintf("%s:%d: a goroutine calls %s", relPath(pos.Filename), pos.Line, what))
				}
			}
			return true
		})
	}
	return problems
}

var stopMethods = map[string]bool{"Fatal": true, "Fatalf": true, "FailNow": true, "Skip": true, "Skipf": true, "SkipNow": true}

// stops returns what in n can stop the test ("t.Fatalf", "helper doOn"), or "".
func (c *fatalChecker) stops(f *ast.File, n ast.Node) string {
	what := ""
	ast.Inspect(n, func(n ast.Node) bool {
		if what != "" {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		fun := call.Fun
		switch x := fun.(type) {
		case *ast.IndexExpr:
			fun = x.X
		case *ast.IndexListExpr:
			fun = x.X
		}
		switch x := fun.(type) {
		case *ast.Ident:
			if c.fatal[x.Name] {
				what = "helper " + x.Name
			}
		case *ast.SelectorExpr:
			recv, isIdent := x.X.(*ast.Ident)
			if isIdent && c.imports[f][recv.Name] {
				return true // a package's function, e.g. log.Fatal
			}
			switch {
			case x.Sel.Name == "Run" || x.Sel.Name == "Cleanup":
				// t.Run(name, func(t) {...}), t.Cleanup(func() {...}): the
				// literal runs on a test goroutine of its own; look at the
				// other arguments only.
				for _, a := range call.Args {
					if _, lit := a.(*ast.FuncLit); !lit {
						if w := c.stops(f, a); w != "" {
							what = w
						}
					}
				}
				return false
			case stopMethods[x.Sel.Name]:
				what = types.ExprString(x)
			case c.fatal["."+x.Sel.Name]:
				what = "method " + x.Sel.Name
			}
		}
		return true
	})
	return what
}

func relPath(p string) string {
	root, err := filepath.Abs(rootDir)
	if err != nil {
		return p
	}
	if r, err := filepath.Rel(root, p); err == nil {
		return filepath.ToSlash(r)
	}
	return p
}
