package cloud

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/truora/minidyn/server"

	"espaceosc/infra/template"
)

// Fault modes of the local services.
const (
	faultNone     = "none"
	faultFail     = "fail"
	faultThrottle = "throttle"
)

// dynamo is minidyn behind its own loopback listener, with fault injection, a TTL
// sweep (minidyn has none) and a JSON snapshot for persistence across restarts.
type dynamo struct {
	mini   *server.Server
	srv    *http.Server
	url    string
	path   string // snapshot file
	delay  time.Duration
	tables []dynamoTable

	// iam checks every request's signature and the caller's role (nil: no
	// checks, for the cloud's own tests of minidyn).
	iam *iam

	mu      sync.Mutex
	fault   string
	timer   *time.Timer
	snapMu  sync.Mutex // serialises snapshots
	stopTTL chan struct{}
	ttlDone chan struct{}
}

type dynamoTable struct {
	name, hash, rng, ttl string
}

var dynamoWrites = map[string]bool{"PutItem": true, "UpdateItem": true, "DeleteItem": true, "BatchWriteItem": true, "TransactWriteItems": true}

func startDynamo(dataDir string, delay, ttlEvery time.Duration) (*dynamo, error) {
	d := &dynamo{mini: server.NewServer(), path: filepath.Join(dataDir, "dynamodb.json"), delay: delay, fault: faultNone,
		stopTTL: make(chan struct{}), ttlDone: make(chan struct{})}
	srv, url, err := serveLoopback(http.HandlerFunc(d.serveHTTP))
	if err != nil {
		return nil, fmt.Errorf("dynamodb listener: %w", err)
	}
	d.srv, d.url = srv, url
	go d.ttlLoop(ttlEvery)
	return d, nil
}

func (d *dynamo) setFault(mode string) {
	d.mu.Lock()
	d.fault = mode
	d.mu.Unlock()
}

func (d *dynamo) serveHTTP(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	fault := d.fault
	d.mu.Unlock()
	op := r.Header.Get("X-Amz-Target")
	op = op[strings.LastIndex(op, ".")+1:]
	if d.iam != nil {
		if !d.authorize(w, r, op) {
			return
		}
	}
	// Faults are answered here rather than through minidyn's EmulateFailure so that the
	// snapshot and TTL sweep, which call minidyn directly, keep working.
	switch fault {
	case faultThrottle:
		writeDynamoError(w, http.StatusBadRequest, "ThrottlingException", "Rate of requests exceeds the allowed throughput.")
		return
	case faultFail:
		writeDynamoError(w, http.StatusInternalServerError, "InternalServerError", "Internal server error")
		return
	}
	// DynamoDB signs every response body with a CRC32 (X-Amz-Crc32), which
	// the SDK checks: buffer minidyn's answer to add it.
	rec := httptest.NewRecorder()
	d.mini.ServeHTTP(rec, r)
	for k, vs := range rec.Header() {
		w.Header()[k] = vs
	}
	w.Header().Set("X-Amz-Crc32", strconv.FormatUint(uint64(crc32.ChecksumIEEE(rec.Body.Bytes())), 10))
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
	if dynamoWrites[op] && rec.Code < 300 {
		d.scheduleSnapshot()
	}
}

func writeDynamoError(w http.ResponseWriter, status int, typ, msg string) {
	body := fmt.Sprintf(`{"__type":"com.amazonaws.dynamodb.v20120810#%s","message":%q}`, typ, msg)
	if strings.HasSuffix(typ, "AccessDeniedException") || typ == "UnrecognizedClientException" || typ == "InvalidSignatureException" ||
		typ == "MissingAuthenticationTokenException" || typ == "IncompleteSignatureException" {
		body = fmt.Sprintf(`{"__type":"com.amazon.coral.service#%s","Message":%q}`, typ, msg)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.Header().Set("X-Amzn-Requestid", newID())
	w.Header().Set("X-Amz-Crc32", strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(body))), 10))
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// authorize checks the request's signature and the caller's role for op;
// on refusal it writes DynamoDB's error and returns false.
func (d *dynamo) authorize(w http.ResponseWriter, r *http.Request, op string) bool {
	p, _, err := d.iam.authenticate(r, "dynamodb")
	if err != nil {
		ae := err.(*authError)
		code := map[string]string{
			"MissingAuthenticationToken": "MissingAuthenticationTokenException",
			"IncompleteSignature":        "IncompleteSignatureException",
			"InvalidClientTokenId":       "UnrecognizedClientException",
			"SignatureDoesNotMatch":      "InvalidSignatureException",
			"RequestTimeTooSkewed":       "InvalidSignatureException",
		}[ae.code]
		if code == "" {
			code = "UnrecognizedClientException"
		}
		writeDynamoError(w, http.StatusBadRequest, code, ae.message)
		return false
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeDynamoError(w, http.StatusBadRequest, "SerializationException", "unreadable body")
		return false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	reqs, err := dynamoActions(op, body)
	if err != nil {
		writeDynamoError(w, http.StatusBadRequest, "SerializationException", err.Error())
		return false
	}
	if denied := p.authorize(reqs...); denied != nil {
		writeDynamoError(w, http.StatusBadRequest, "AccessDeniedException", p.deniedMessage(denied))
		return false
	}
	return true
}

// dynamoActions lists the IAM actions a DynamoDB call needs: its own on its
// table (or index), and for a transaction or a batch, each item's.
func dynamoActions(op string, body []byte) ([]iamRequest, error) {
	var in struct {
		TableName     string
		IndexName     string
		RequestItems  map[string]json.RawMessage
		TransactItems []map[string]struct{ TableName string }
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, fmt.Errorf("invalid request body")
	}
	arn := func(table string) string {
		return "arn:aws:dynamodb:" + Region + ":" + AccountID + ":table/" + table
	}
	var reqs []iamRequest
	switch op {
	case "TransactWriteItems", "TransactGetItems":
		for _, item := range in.TransactItems {
			for kind, target := range item {
				action := map[string]string{"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "ConditionCheck": "ConditionCheckItem", "Get": "GetItem"}[kind]
				if action == "" {
					return nil, fmt.Errorf("unknown transaction item %q", kind)
				}
				reqs = append(reqs, iamRequest{action: "dynamodb:" + action, resource: arn(target.TableName)})
			}
		}
	case "BatchGetItem", "BatchWriteItem":
		for table := range in.RequestItems {
			reqs = append(reqs, iamRequest{action: "dynamodb:" + op, resource: arn(table)})
		}
	default:
		res := arn(in.TableName)
		if in.IndexName != "" {
			res += "/index/" + in.IndexName
		}
		if in.TableName == "" {
			res = "*"
		}
		reqs = append(reqs, iamRequest{action: "dynamodb:" + op, resource: res})
	}
	return reqs, nil
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// call runs one DynamoDB operation against minidyn in process (no faults).
func (d *dynamo) call(op string, in any, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	rec := httptest.NewRecorder()
	d.mini.ServeHTTP(rec, req)
	if rec.Code >= 300 {
		return fmt.Errorf("dynamodb %s: %d %s", op, rec.Code, strings.TrimSpace(rec.Body.String()))
	}
	if out != nil {
		return json.Unmarshal(rec.Body.Bytes(), out)
	}
	return nil
}

// ensureTable creates a table of the template with its keys and GSIs.
func (d *dynamo) ensureTable(t template.Table, name string) error {
	keySchema := func(hash, rng string) []map[string]string {
		ks := []map[string]string{{"AttributeName": hash, "KeyType": "HASH"}}
		if rng != "" {
			ks = append(ks, map[string]string{"AttributeName": rng, "KeyType": "RANGE"})
		}
		return ks
	}
	var defs []map[string]string
	for n, typ := range t.AttributeTypes {
		defs = append(defs, map[string]string{"AttributeName": n, "AttributeType": typ})
	}
	in := map[string]any{
		"TableName":            name,
		"BillingMode":          "PAY_PER_REQUEST",
		"AttributeDefinitions": defs,
		"KeySchema":            keySchema(t.HashKey, t.RangeKey),
	}
	var gsis []map[string]any
	for _, g := range t.GSIs {
		proj := g.Projection
		if proj == "" {
			proj = "ALL"
		}
		gsis = append(gsis, map[string]any{
			"IndexName":  g.Name,
			"KeySchema":  keySchema(g.HashKey, g.RangeKey),
			"Projection": map[string]string{"ProjectionType": proj},
		})
	}
	if len(gsis) > 0 {
		in["GlobalSecondaryIndexes"] = gsis
	}
	if err := d.call("CreateTable", in, nil); err != nil {
		return fmt.Errorf("create table %s: %w", name, err)
	}
	d.tables = append(d.tables, dynamoTable{name: name, hash: t.HashKey, rng: t.RangeKey, ttl: t.TTLAttribute})
	return nil
}

// scan returns every item of a table as raw DynamoDB JSON.
func (d *dynamo) scan(table string) ([]map[string]json.RawMessage, error) {
	var items []map[string]json.RawMessage
	var start map[string]json.RawMessage
	for {
		in := map[string]any{"TableName": table}
		if start != nil {
			in["ExclusiveStartKey"] = start
		}
		var out struct {
			Items            []map[string]json.RawMessage
			LastEvaluatedKey map[string]json.RawMessage
		}
		if err := d.call("Scan", in, &out); err != nil {
			return nil, err
		}
		items = append(items, out.Items...)
		if len(out.LastEvaluatedKey) == 0 {
			return items, nil
		}
		start = out.LastEvaluatedKey
	}
}

func (d *dynamo) scheduleSnapshot() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		return
	}
	d.timer = time.AfterFunc(d.delay, func() {
		d.mu.Lock()
		d.timer = nil
		d.mu.Unlock()
		if err := d.snapshot(); err != nil {
			log.Printf("dynamodb snapshot: %v", err)
		}
	})
}

// snapshot writes every table's items to the snapshot file (atomically).
func (d *dynamo) snapshot() error {
	d.snapMu.Lock()
	defer d.snapMu.Unlock()
	all := map[string][]map[string]json.RawMessage{}
	for _, t := range d.tables {
		items, err := d.scan(t.name)
		if err != nil {
			return err
		}
		all[t.name] = items
	}
	b, err := json.Marshal(all)
	if err != nil {
		return err
	}
	tmp := d.path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, d.path)
}

// restore loads the snapshot file, if any, into the tables.
func (d *dynamo) restore() error {
	b, err := os.ReadFile(d.path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read dynamodb snapshot: %w", err)
	}
	var all map[string][]map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return fmt.Errorf("read dynamodb snapshot %s: %w", d.path, err)
	}
	for _, t := range d.tables {
		for _, item := range all[t.name] {
			if err := d.call("PutItem", map[string]any{"TableName": t.name, "Item": item}, nil); err != nil {
				return fmt.Errorf("restore dynamodb snapshot: %w", err)
			}
		}
	}
	return nil
}

func (d *dynamo) ttlLoop(every time.Duration) {
	defer close(d.ttlDone)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-d.stopTTL:
			return
		case <-tick.C:
			if n, err := d.sweepTTL(time.Now()); err != nil {
				log.Printf("dynamodb TTL sweep: %v", err)
			} else if n > 0 {
				d.scheduleSnapshot()
			}
		}
	}
}

// sweepTTL deletes the items whose TTL attribute (epoch seconds) is before now, as
// DynamoDB's TTL eventually does. It returns the number of items deleted.
func (d *dynamo) sweepTTL(now time.Time) (int, error) {
	deleted := 0
	for _, t := range d.tables {
		if t.ttl == "" {
			continue
		}
		items, err := d.scan(t.name)
		if err != nil {
			return deleted, err
		}
		for _, item := range items {
			var av struct{ N string }
			if json.Unmarshal(item[t.ttl], &av) != nil || av.N == "" {
				continue
			}
			exp, err := strconv.ParseFloat(av.N, 64)
			if err != nil || exp >= float64(now.Unix()) {
				continue
			}
			key := map[string]json.RawMessage{t.hash: item[t.hash]}
			if t.rng != "" {
				key[t.rng] = item[t.rng]
			}
			if err := d.call("DeleteItem", map[string]any{"TableName": t.name, "Key": key}, nil); err != nil {
				return deleted, err
			}
			deleted++
		}
	}
	return deleted, nil
}

func (d *dynamo) close() error {
	close(d.stopTTL)
	<-d.ttlDone
	_ = d.srv.Close()
	d.mu.Lock()
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	d.mu.Unlock()
	if err := d.snapshot(); err != nil {
		return fmt.Errorf("dynamodb snapshot: %w", err)
	}
	return nil
}
