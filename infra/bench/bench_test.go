// Package bench measures what every function of template.yaml costs before it
// serves anything, its binary size and its cold start, side by side with a
// reference program (infra/bench/reference): `make bench` prints the table and
// fails when a function is over 1.25× the reference on either.
package bench

import (
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"
	"time"

	"espaceosc/infra/template"
)

const (
	// maxRatio is the acceptance bound: size and cold start ≤ 1.25× the reference.
	maxRatio = 1.25
	// rounds of cold starts; each function's start is paired with one of the
	// reference right before or right after it (alternately), and the ratio
	// is the median of the pairs' ratios. A start takes about 10 ms: the
	// machine's noise (2 cores, shared) is of that order, hence many rounds.
	rounds = 31
	// startTimeout bounds one cold start.
	startTimeout = 20 * time.Second
)

// buildFlags are the Makefile's (GOBUILD) but for GOOS and GOARCH.
var buildFlags = []string{"-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w"}

// program is one binary the benchmark builds, sizes and starts.
type program struct {
	name string // LogicalId, or the reference's name
	pkg  string // ./functions/portal
	out  string // the binary's name in the build folders
	env  []string
	ref  bool

	size      int64           // linux/arm64 binary, bytes
	bin       string          // host binary
	starts    []time.Duration // cold starts
	refStarts []time.Duration // the reference's, each measured right before one of starts
}

var (
	benchOnce sync.Once
	benchErr  error
	benchRes  []*program
)

// BenchmarkFunctions builds every function of template.yaml and the two
// references for linux/arm64 with the Makefile's flags (their sizes), and for
// the host (their cold starts: from exec to the first GET
// /2018-06-01/runtime/invocation/next on a Lambda Runtime API served here,
// with the function's environment from the template, dummy credentials and
// AWS endpoints on a dead loopback port).
func BenchmarkFunctions(b *testing.B) {
	benchOnce.Do(func() { benchRes, benchErr = measure(b) })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	b.ResetTimer() // the builds and starts are not what ns/op would mean
	ref := benchRes[0]
	printTable(os.Stdout, benchRes)
	for _, p := range benchRes[1:] {
		if p.ref {
			continue
		}
		if r := sizeRatio(p, ref); r > maxRatio {
			b.Errorf("%s: binary %.2f MiB is %.2f× the reference's %.2f MiB (max %.2f×)", p.name, mib(p.size), r, mib(ref.size), maxRatio)
		}
		if r := startRatio(p); r > maxRatio {
			b.Errorf("%s: cold start %.1f ms is %.2f× the reference's (%.1f ms) measured beside it (max %.2f×)",
				p.name, ms(median(p.starts)), r, ms(median(p.refStarts)), maxRatio)
		}
	}
	var worstSize, worstStart float64
	for _, p := range benchRes[1:] {
		if !p.ref {
			worstSize, worstStart = max(worstSize, sizeRatio(p, ref)), max(worstStart, startRatio(p))
		}
	}
	b.ReportMetric(mib(ref.size), "ref-MiB")
	b.ReportMetric(ms(median(ref.starts)), "ref-coldstart-ms")
	b.ReportMetric(worstSize, "max-size-ratio")
	b.ReportMetric(worstStart, "max-coldstart-ratio")
	for range b.N {
	}
	b.ReportMetric(0, "ns/op")
}

func measure(b *testing.B) ([]*program, error) {
	root, err := template.FindRepoRoot()
	if err != nil {
		return nil, err
	}
	tpl, err := template.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		return nil, err
	}
	dead, err := deadEndpoint()
	if err != nil {
		return nil, err
	}
	common := baseEnv(dead)
	progs := []*program{
		{name: "reference (LoadDefaultConfig)", pkg: "./infra/bench/reference", out: "reference", env: common, ref: true},
		{name: "reference (awsenv.Load)", pkg: "./infra/bench/reference/awsenv", out: "awsenv", env: common, ref: true},
	}
	for _, f := range tpl.Functions {
		env, err := functionEnv(tpl, f)
		if err != nil {
			return nil, err
		}
		progs = append(progs, &program{
			name: f.LogicalID, pkg: "./" + filepath.ToSlash(f.Dir), out: filepath.Base(f.Dir),
			env: append(append(slices.Clip(common), env...), "AWS_LAMBDA_FUNCTION_NAME="+f.LogicalID,
				fmt.Sprintf("AWS_LAMBDA_FUNCTION_MEMORY_SIZE=%d", f.MemorySize)),
		})
	}

	// Sizes: linux/arm64, exactly as `make build` builds them.
	tmp := b.TempDir()
	arm := filepath.Join(tmp, "linux-arm64")
	if err := build(root, arm, "linux", "arm64", progs); err != nil {
		return nil, err
	}
	for _, p := range progs {
		st, err := os.Stat(filepath.Join(arm, p.out))
		if err != nil {
			return nil, err
		}
		p.size = st.Size()
	}
	// Cold starts: the same build for this machine.
	host := arm
	if runtime.GOOS != "linux" || runtime.GOARCH != "arm64" {
		host = filepath.Join(tmp, "host")
		if err := build(root, host, runtime.GOOS, runtime.GOARCH, progs); err != nil {
			return nil, err
		}
	}
	for _, p := range progs {
		p.bin = filepath.Join(host, p.out)
	}

	// One start of each first, not counted (page cache, first exec).
	for _, p := range progs {
		if _, err := coldStart(p); err != nil {
			return nil, err
		}
	}
	ref := progs[0]
	for i := range rounds {
		for _, p := range progs[1:] {
			first, second := ref, p
			if i%2 == 1 {
				first, second = p, ref
			}
			d1, err := coldStart(first)
			if err != nil {
				return nil, err
			}
			d2, err := coldStart(second)
			if err != nil {
				return nil, err
			}
			r, d := d1, d2
			if i%2 == 1 {
				r, d = d2, d1
			}
			ref.starts = append(ref.starts, r)
			p.refStarts, p.starts = append(p.refStarts, r), append(p.starts, d)
		}
	}
	ref.refStarts = ref.starts
	return progs, nil
}

// build builds every program into dir (one go build: the packages share
// their compiled dependencies).
func build(root, dir, goos, goarch string, progs []*program) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	args := append([]string{"build"}, buildFlags...)
	args = append(args, "-o", dir+string(filepath.Separator))
	for _, p := range progs {
		args = append(args, p.pkg)
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+goos, "GOARCH="+goarch)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build (%s/%s): %v\n%s", goos, goarch, err, out)
	}
	return nil
}

// coldStart runs p's host binary once against a Runtime API served on
// loopback and returns the time from exec to its first request for an
// invocation; then it stops the process.
func coldStart(p *program) (time.Duration, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	asked := make(chan time.Time, 1)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == "/2018-06-01/runtime/invocation/next" {
			select {
			case asked <- time.Now():
			default:
			}
			<-r.Context().Done() // no invocation: hold the request until the process stops
			return
		}
		http.NotFound(w, r)
	})}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	var stderr strings.Builder
	cmd := exec.Command(p.bin)
	cmd.Env = append(slices.Clip(p.env), "AWS_LAMBDA_RUNTIME_API="+ln.Addr().String())
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	exited := make(chan error, 1)
	began := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("%s: %w", p.name, err)
	}
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		_ = cmd.Process.Kill()
		<-exited
	}
	select {
	case at := <-asked:
		stop()
		return at.Sub(began), nil
	case err := <-exited:
		return 0, fmt.Errorf("%s exited before asking for an invocation (%v): %s", p.name, err, strings.TrimSpace(stderr.String()))
	case <-time.After(startTimeout):
		stop()
		return 0, fmt.Errorf("%s did not ask for an invocation within %v: %s", p.name, startTimeout, strings.TrimSpace(stderr.String()))
	}
}

// deadEndpoint returns an http URL on a loopback port nothing listens on.
func deadEndpoint() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		return "", err
	}
	return "http://" + addr, nil
}

// baseEnv is what Lambda sets for every function, with dummy credentials and
// every AWS endpoint on a dead port (nothing is called before the first
// invocation; if something were, it would fail fast rather than leave).
func baseEnv(dead string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"TZ=:UTC",
		"LANG=en_US.UTF-8",
		"AWS_REGION=eu-west-3",
		"AWS_DEFAULT_REGION=eu-west-3",
		"AWS_ACCESS_KEY_ID=BENCHACCESSKEY",
		"AWS_SECRET_ACCESS_KEY=bench-secret-key",
		"AWS_SESSION_TOKEN=bench-session-token",
		"AWS_CONFIG_FILE=" + os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_ENDPOINT_URL=" + dead,
		"AWS_ENDPOINT_URL_DYNAMODB=" + dead,
		"AWS_ENDPOINT_URL_S3=" + dead,
		"AWS_ENDPOINT_URL_SESV2=" + dead,
		"AWS_LAMBDA_FUNCTION_NAME=reference",
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/bench",
		"AWS_LAMBDA_LOG_STREAM_NAME=bench",
		"AWS_EXECUTION_ENV=AWS_Lambda_provided.al2023",
		"_HANDLER=bootstrap",
	}
}

// functionEnv is f's environment from the template (Globals included), with
// dummy values of the right shape: parameters take their default, resources
// a made-up name.
func functionEnv(tpl *template.Template, f template.Function) ([]string, error) {
	ref := func(name string) (string, bool) {
		switch name {
		case "AWS::Region":
			return "eu-west-3", true
		case "AWS::AccountId":
			return "000000000000", true
		case "AWS::Partition":
			return "aws", true
		case "AWS::StackName":
			return "espace-osc-bench", true
		}
		if p, ok := tpl.Parameters[name]; ok && p.Default != "" {
			return p.Default, true
		}
		return "dummy" + strings.ToLower(strings.NewReplacer(".", "", ":", "").Replace(name)), true
	}
	var env []string
	for _, k := range slices.Sorted(maps.Keys(f.Env)) {
		v, err := f.Env[k].Resolve(ref)
		if err != nil {
			return nil, fmt.Errorf("%s: env %s: %w", f.LogicalID, k, err)
		}
		env = append(env, k+"="+v)
	}
	return env, nil
}

func printTable(w io.Writer, progs []*program) {
	ref := progs[0]
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "function\tsize MiB\tsize ratio\tcold start ms\tratio\t\n")
	for _, p := range progs {
		fmt.Fprintf(tw, "%s\t%.2f\t%.2f\t%.1f\t%.2f\t\n", p.name, mib(p.size), sizeRatio(p, ref), ms(median(p.starts)), startRatio(p))
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "linux/arm64 sizes (%s); cold starts on %s/%s from exec to the first GET .../invocation/next, median of %d; ratio: median of the ratios to the reference started beside each (max %.2f×)\n",
		strings.Join(buildFlags, " "), runtime.GOOS, runtime.GOARCH, rounds, maxRatio)
}

func sizeRatio(p, ref *program) float64 { return float64(p.size) / float64(ref.size) }

// startRatio is the median of p's cold start over the reference's started
// beside it, pair by pair (a pair shares the machine's load of the moment).
func startRatio(p *program) float64 {
	ratios := make([]float64, len(p.starts))
	for i := range p.starts {
		ratios[i] = float64(p.starts[i]) / float64(p.refStarts[i])
	}
	slices.Sort(ratios)
	if n := len(ratios); n == 0 {
		return 0
	} else if n%2 == 1 {
		return ratios[n/2]
	} else {
		return (ratios[n/2-1] + ratios[n/2]) / 2
	}
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(ds))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func mib(n int64) float64        { return float64(n) / (1 << 20) }
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
