package cloud

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"
)

// The Lambda API's Invoke, as functions call it (AWS_ENDPOINT_URL_LAMBDA):
// a synchronous invocation answers with the function's result; an
// asynchronous one (X-Amz-Invocation-Type: Event) answers 202 at once and
// runs as Lambda runs asynchronous invocations — retried twice on an error
// (with a pause), then recorded as failed, the local twin of an on-failure
// destination. S3 events and schedules are asynchronous invocations too.

// asyncRetries is Lambda's default MaximumRetryAttempts.
const asyncRetries = 2

// Failure is an asynchronous invocation that failed every attempt: what an
// on-failure destination (an SQS queue in AWS) receives.
type Failure struct {
	ID        string          `json:"id"`
	Function  string          `json:"function"`
	Condition string          `json:"condition"` // RetriesExhausted
	Error     string          `json:"error"`
	Attempts  int             `json:"attempts"`
	At        time.Time       `json:"at"`
	Payload   json.RawMessage `json:"requestPayload"`
}

type lambdaAPI struct {
	srv   *http.Server
	url   string
	iam   *iam
	byArn func(name string) (string, bool) // function name, ARN or logical ID -> logical ID
	run   func(ctx context.Context, logicalID string, payload []byte) (result, error)
	pause time.Duration // between retries (Lambda waits a minute, then two)

	mu       sync.Mutex
	failures []Failure
	pending  sync.WaitGroup
}

func startLambdaAPI(a *lambdaAPI) error {
	srv, u, err := serveLoopback(http.HandlerFunc(a.serveHTTP))
	if err != nil {
		return fmt.Errorf("lambda listener: %w", err)
	}
	a.srv, a.url = srv, u
	return nil
}

func writeLambdaError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Errortype", typ)
	w.Header().Set("X-Amzn-Requestid", newID())
	w.WriteHeader(status)
	_, _ = fmt.Fprintf(w, `{"Type":"User","message":%q}`, msg)
}

func (a *lambdaAPI) serveHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/2015-03-31/functions/")
	name, ok2 := strings.CutSuffix(rest, "/invocations")
	if !ok || !ok2 || r.Method != http.MethodPost {
		writeLambdaError(w, http.StatusNotFound, "ResourceNotFoundException", "operation not implemented by the local Lambda API")
		return
	}
	p, _, err := a.iam.authenticate(r, "lambda")
	if err != nil {
		ae := err.(*authError)
		code := map[string]string{"InvalidClientTokenId": "UnrecognizedClientException", "SignatureDoesNotMatch": "InvalidSignatureException"}[ae.code]
		if code == "" {
			code = ae.code
		}
		writeLambdaError(w, http.StatusForbidden, code, ae.message)
		return
	}
	id, found := a.byArn(name)
	arn := "arn:aws:lambda:" + Region + ":" + AccountID + ":function:" + name
	if denied := p.authorize(iamRequest{action: "lambda:InvokeFunction", resource: arn}); denied != nil {
		writeLambdaError(w, http.StatusForbidden, "AccessDeniedException", p.deniedMessage(denied))
		return
	}
	if !found {
		writeLambdaError(w, http.StatusNotFound, "ResourceNotFoundException", "Function not found: "+arn)
		return
	}
	payload, err := io.ReadAll(io.LimitReader(r.Body, 6<<20+1))
	if err != nil || len(payload) > 6<<20 {
		writeLambdaError(w, http.StatusRequestEntityTooLarge, "RequestTooLargeException", "Request must be smaller than 6291456 bytes for the InvokeFunction operation")
		return
	}
	if len(payload) == 0 {
		payload = []byte("{}")
	}
	switch r.Header.Get("X-Amz-Invocation-Type") {
	case "Event":
		if len(payload) > 1<<20 {
			writeLambdaError(w, http.StatusRequestEntityTooLarge, "RequestTooLargeException", "Request must be smaller than 1048576 bytes for the InvokeFunction operation")
			return
		}
		a.async(id, payload)
		w.Header().Set("X-Amzn-Requestid", newID())
		w.WriteHeader(http.StatusAccepted)
	case "", "RequestResponse":
		res, err := a.run(r.Context(), id, payload)
		w.Header().Set("X-Amzn-Requestid", newID())
		w.Header().Set("X-Amz-Executed-Version", "$LATEST")
		switch {
		case err != nil:
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			w.WriteHeader(http.StatusOK)
			_, _ = fmt.Fprintf(w, `{"errorType":"Runtime.ExitError","errorMessage":%q}`, err.Error())
		case res.err != nil:
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			w.WriteHeader(http.StatusOK)
			b, _ := json.Marshal(res.err)
			_, _ = w.Write(b)
		default:
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(res.payload)
		}
	default:
		writeLambdaError(w, http.StatusBadRequest, "InvalidParameterValueException", "unsupported invocation type")
	}
}

// async runs an asynchronous invocation: up to 1+asyncRetries attempts, then
// a recorded failure.
func (a *lambdaAPI) async(logicalID string, payload []byte) {
	a.pending.Add(1)
	go func() {
		defer a.pending.Done()
		var last string
		for attempt := 0; attempt <= asyncRetries; attempt++ {
			if attempt > 0 {
				time.Sleep(a.pause)
			}
			res, err := a.run(context.Background(), logicalID, payload)
			switch {
			case err != nil:
				last = err.Error()
			case res.err != nil:
				last = res.err.Error()
			default:
				return
			}
			log.Printf("async invoke %s (attempt %d): %s", logicalID, attempt+1, last)
		}
		a.mu.Lock()
		a.failures = append(a.failures, Failure{
			ID: newID(), Function: logicalID, Condition: "RetriesExhausted", Error: last,
			Attempts: 1 + asyncRetries, At: time.Now().UTC(), Payload: json.RawMessage(payload),
		})
		a.mu.Unlock()
	}()
}

func (a *lambdaAPI) listFailures() []Failure {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]Failure{}, a.failures...)
}

// takeFailure removes and returns the failure id (for a replay).
func (a *lambdaAPI) takeFailure(id string) (Failure, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, f := range a.failures {
		if f.ID == id {
			a.failures = append(a.failures[:i], a.failures[i+1:]...)
			return f, true
		}
	}
	return Failure{}, false
}

func (a *lambdaAPI) close() {
	if a.srv != nil {
		_ = a.srv.Close()
	}
}
