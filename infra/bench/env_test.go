package bench

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"espaceosc/infra/template"
)

// Every function's environment resolves to values of the right shape, so
// that the benchmark's cold starts are the functions' real ones (a function
// that refused its environment would exit, not start).
func TestFunctionEnvResolves(t *testing.T) {
	root, err := template.FindRepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := template.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range tpl.Functions {
		env, err := functionEnv(tpl, f)
		if err != nil {
			t.Errorf("%s: %v", f.LogicalID, err)
			continue
		}
		vals := map[string]string{}
		for _, kv := range env {
			k, v, _ := strings.Cut(kv, "=")
			vals[k] = v
		}
		for k := range f.Env {
			if vals[k] == "" {
				t.Errorf("%s: %s is empty", f.LogicalID, k)
			}
		}
		if f.LogicalID == "PortalFunction" {
			if got := vals["AUTH_DOMAIN"]; got != "dummyuserpooldomain.auth.eu-west-3.amazoncognito.com" {
				t.Errorf("AUTH_DOMAIN = %q", got)
			}
			if got := vals["UPLOAD_ORIGIN"]; got != "https://espace-osc-dossiers-dev-000000000000.s3.eu-west-3.amazonaws.com" {
				t.Errorf("UPLOAD_ORIGIN = %q", got)
			}
		}
	}
}

func TestMedian(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		var out []time.Duration
		for _, v := range n {
			out = append(out, time.Duration(v)*time.Millisecond)
		}
		return out
	}
	for _, tc := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{ms(3), 3 * time.Millisecond},
		{ms(9, 1, 5), 5 * time.Millisecond},
		{ms(4, 1, 2, 9), 3 * time.Millisecond},
	} {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
