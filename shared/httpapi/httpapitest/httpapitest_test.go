package httpapitest_test

import (
	"testing"

	"espaceosc/shared/httpapi/httpapitest"
)

func TestLoad(t *testing.T) {
	req := httpapitest.Load(t, "get.json")
	if got, want := req.RouteKey, "GET /api/things/{id}"; got != want {
		t.Errorf("RouteKey = %q, want %q", got, want)
	}
	if got, want := req.RequestContext.HTTP.Method, "GET"; got != want {
		t.Errorf("method = %q, want %q", got, want)
	}
	if got, want := req.Headers["accept-language"], "ar"; got != want {
		t.Errorf("accept-language = %q, want %q", got, want)
	}
	if got, want := req.PathParameters["id"], "ID"; got != want {
		t.Errorf("id = %q, want %q", got, want)
	}
}

// failing records whether the helper failed the test, without failing ours.
type failing struct {
	testing.TB
	failed bool
}

func (f *failing) Helper()               {}
func (f *failing) Fatal(...any)          { f.failed = true; panic(f) }
func (f *failing) Fatalf(string, ...any) { f.failed = true; panic(f) }

func TestLoadFailsOnBadFiles(t *testing.T) {
	for _, name := range []string{"missing.json", "broken.json"} {
		t.Run(name, func(t *testing.T) {
			f := &failing{TB: t}
			func() {
				defer func() {
					if r := recover(); r != nil && r != f {
						panic(r)
					}
				}()
				httpapitest.Load(f, name)
			}()
			if !f.failed {
				t.Errorf("Load(%q) did not fail the test", name)
			}
		})
	}
}
