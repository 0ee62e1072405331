package cloud

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"espaceosc/infra/template"
)

// Errors of an invocation that never produced a function result.
var (
	errTimeout = errors.New("task timed out")
	errCrash   = errors.New("runtime exited")
)

const initTimeout = 10 * time.Second

// invokeError is an error reported by the function (POST .../error or /init/error).
type invokeError struct {
	Type    string `json:"errorType"`
	Message string `json:"errorMessage"`
}

func (e *invokeError) Error() string { return e.Type + ": " + e.Message }

// result is a completed invocation: a response payload, or the function's error.
type result struct {
	payload []byte
	err     *invokeError
}

type invocation struct {
	id        string
	payload   []byte
	timeout   time.Duration
	delivered chan struct{} // closed when the process took it (GET /next)
	done      chan result   // buffered 1
}

// function is the pool of warm processes of one Lambda function.
type function struct {
	def     template.Function
	bin     string
	env     []string
	logFile *os.File
	slots   chan struct{} // one token per allowed concurrent instance

	mu      sync.Mutex
	idle    []*instance
	all     map[*instance]bool
	closed  bool
	started int // processes started so far (cold starts)
}

func newFunction(def template.Function, bin string, env []string, max int, logPath string) (*function, error) {
	lf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("function %s: open log: %w", def.LogicalID, err)
	}
	return &function{def: def, bin: bin, env: env, logFile: lf, slots: make(chan struct{}, max), all: map[*instance]bool{}}, nil
}

// invoke runs payload on a warm instance, starting one when none is idle and the
// cap allows, else waiting for one. The returned error is set when the invocation
// produced no result (timeout, crash, cancelled); a function error is in result.err.
func (f *function) invoke(ctx context.Context, payload []byte) (result, error) {
	select {
	case f.slots <- struct{}{}:
	case <-ctx.Done():
		return result{}, ctx.Err()
	}
	defer func() { <-f.slots }()

	inst, err := f.acquire()
	if err != nil {
		return result{}, err
	}
	inv := &invocation{
		id:        newID(),
		payload:   payload,
		timeout:   time.Duration(f.def.Timeout) * time.Second,
		delivered: make(chan struct{}),
		done:      make(chan result, 1),
	}
	res, err := inst.run(ctx, inv)
	if err != nil {
		inst.kill()
		f.forget(inst)
		return result{}, err
	}
	f.release(inst)
	return res, nil
}

func (f *function) acquire() (*instance, error) {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		return nil, errors.New("function closed")
	}
	for len(f.idle) > 0 {
		inst := f.idle[len(f.idle)-1]
		f.idle = f.idle[:len(f.idle)-1]
		if inst.alive() {
			f.mu.Unlock()
			return inst, nil
		}
		delete(f.all, inst)
	}
	f.started++
	f.mu.Unlock()
	inst, err := startInstance(f)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.all[inst] = true
	f.mu.Unlock()
	return inst, nil
}

func (f *function) release(inst *instance) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed || !inst.alive() {
		delete(f.all, inst)
		return
	}
	f.idle = append(f.idle, inst)
}

func (f *function) forget(inst *instance) {
	f.mu.Lock()
	delete(f.all, inst)
	f.mu.Unlock()
}

// stats returns the number of live processes and of cold starts so far.
func (f *function) stats() (live, coldStarts int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.all), f.started
}

func (f *function) close() {
	f.mu.Lock()
	f.closed = true
	all := f.all
	f.all = map[*instance]bool{}
	f.idle = nil
	f.mu.Unlock()
	for inst := range all {
		inst.kill()
	}
	_ = f.logFile.Close()
}

// instance is one bootstrap process with its own Runtime API endpoint.
type instance struct {
	fn     *function
	cmd    *exec.Cmd
	server *http.Server
	next   chan *invocation
	dead   chan struct{} // closed when the process exited

	mu      sync.Mutex
	current *invocation
	initErr *invokeError
}

func startInstance(f *function) (*instance, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("function %s: runtime API listener: %w", f.def.LogicalID, err)
	}
	inst := &instance{fn: f, next: make(chan *invocation), dead: make(chan struct{})}
	inst.server = &http.Server{Handler: inst.runtimeAPI()}
	go func() { _ = inst.server.Serve(ln) }()

	cmd := exec.Command(f.bin)
	cmd.Env = append(append([]string{}, f.env...), "AWS_LAMBDA_RUNTIME_API="+ln.Addr().String())
	cmd.Stdout = f.logFile
	cmd.Stderr = f.logFile
	cmd.Dir = os.TempDir()
	dieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		_ = inst.server.Close()
		return nil, fmt.Errorf("function %s: start %s: %w", f.def.LogicalID, f.bin, err)
	}
	inst.cmd = cmd
	go func() {
		_ = cmd.Wait()
		close(inst.dead)
		_ = inst.server.Close()
	}()
	return inst, nil
}

func (i *instance) pid() int { return i.cmd.Process.Pid }

func (i *instance) alive() bool {
	select {
	case <-i.dead:
		return false
	default:
		return true
	}
}

func (i *instance) kill() {
	if i.cmd != nil && i.cmd.Process != nil {
		_ = i.cmd.Process.Kill()
	}
}

// run hands inv to the process and waits for its result, enforcing init and function timeouts.
func (i *instance) run(ctx context.Context, inv *invocation) (result, error) {
	initTimer := time.NewTimer(initTimeout)
	defer initTimer.Stop()
	select {
	case i.next <- inv:
	case <-i.dead:
		return result{}, i.deathError()
	case <-initTimer.C:
		return result{}, errTimeout
	case <-ctx.Done():
		return result{}, ctx.Err()
	}
	timer := time.NewTimer(inv.timeout)
	defer timer.Stop()
	select {
	case res := <-inv.done:
		return res, nil
	case <-i.dead:
		return result{}, i.deathError()
	case <-timer.C:
		return result{}, fmt.Errorf("%w after %s", errTimeout, inv.timeout)
	case <-ctx.Done():
		return result{}, ctx.Err()
	}
}

func (i *instance) deathError() error {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.initErr != nil {
		return fmt.Errorf("%w: init error %s", errCrash, i.initErr)
	}
	return errCrash
}

// runtimeAPI implements the Lambda Runtime API for this process.
func (i *instance) runtimeAPI() http.Handler {
	const prefix = "/2018-06-01/runtime/"
	arn := "arn:aws:lambda:" + Region + ":" + AccountID + ":function:" + i.fn.def.LogicalID
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := strings.TrimPrefix(r.URL.Path, prefix)
		switch {
		case r.Method == http.MethodGet && path == "invocation/next":
			var inv *invocation
			select {
			case inv = <-i.next:
			case <-i.dead:
				return
			case <-r.Context().Done():
				return
			}
			i.mu.Lock()
			i.current = inv
			i.mu.Unlock()
			deadline := time.Now().Add(inv.timeout)
			h := w.Header()
			h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
			h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(deadline.UnixMilli(), 10))
			h.Set("Lambda-Runtime-Invoked-Function-Arn", arn)
			h.Set("Lambda-Runtime-Trace-Id", "Root=1-"+strconv.FormatInt(time.Now().Unix(), 16)+"-"+newID()[:24]+";Parent="+newID()[:16]+";Sampled=0")
			h.Set("Content-Type", "application/json")
			_, _ = w.Write(inv.payload)
		case r.Method == http.MethodPost && path == "init/error":
			ie := readInvokeError(r)
			i.mu.Lock()
			i.initErr = ie
			i.mu.Unlock()
			w.WriteHeader(http.StatusAccepted)
			_, _ = io.WriteString(w, `{"status":"OK"}`)
			i.kill() // AWS stops the environment after an init error
		case r.Method == http.MethodPost && strings.HasPrefix(path, "invocation/"):
			rest := strings.TrimPrefix(path, "invocation/")
			id, kind, ok := strings.Cut(rest, "/")
			i.mu.Lock()
			inv := i.current
			if ok && inv != nil && inv.id == id {
				i.current = nil
			} else {
				inv = nil
			}
			i.mu.Unlock()
			if inv == nil {
				w.WriteHeader(http.StatusBadRequest)
				_, _ = io.WriteString(w, `{"errorType":"InvalidRequestID","errorMessage":"unknown request ID"}`)
				return
			}
			switch kind {
			case "response":
				b, err := io.ReadAll(io.LimitReader(r.Body, 6<<20+1))
				if err != nil || len(b) > 6<<20 {
					inv.done <- result{err: &invokeError{Type: "Function.ResponseSizeTooLarge", Message: "response payload too large"}}
				} else {
					inv.done <- result{payload: b}
				}
			case "error":
				inv.done <- result{err: readInvokeError(r)}
			default:
				http.NotFound(w, r)
				return
			}
			w.WriteHeader(http.StatusAccepted)
			_, _ = io.WriteString(w, `{"status":"OK"}`)
		default:
			http.NotFound(w, r)
		}
	})
}

func readInvokeError(r *http.Request) *invokeError {
	b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var ie invokeError
	if json.Unmarshal(b, &ie) != nil || ie.Type == "" {
		ie.Type = r.Header.Get("Lambda-Runtime-Function-Error-Type")
		if ie.Type == "" {
			ie.Type = "Unhandled"
		}
	}
	return &ie
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	s := hex.EncodeToString(b[:])
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}
