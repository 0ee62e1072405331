// Package callstest helps the tests of the calls capability: an in-memory
// dossier bucket (calls.Uploads and calls.Files), a DynamoDB client that
// counts the calls a request makes, and a log buffer.
package callstest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// Bucket is an in-memory dossier bucket. Its presigned "form" carries the
// key in Fields["key"]; Upload stands for the browser's upload.
type Bucket struct {
	mu      sync.Mutex
	objects map[string]object
	ttls    []time.Duration
}

type object struct {
	data        []byte
	contentType string
	filename    string
	modified    time.Time
}

var (
	_ calls.Uploads = (*Bucket)(nil)
	_ calls.Files   = (*Bucket)(nil)
)

// NewBucket returns an empty bucket.
func NewBucket() *Bucket { return &Bucket{objects: map[string]object{}} }

// PresignUpload implements calls.Uploads.
func (b *Bucket) PresignUpload(_ context.Context, key, contentType string, max int64, ttl time.Duration) (string, map[string]string, time.Time, error) {
	return "https://bucket.example", map[string]string{"key": key, "Content-Type": contentType, "max": fmt.Sprint(max)},
		time.Now().UTC().Add(ttl).Truncate(time.Second), nil
}

// Upload stores an object as a browser's upload would.
func (b *Bucket) Upload(key string, data []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.objects[key] = object{data: data, contentType: calls.DocumentContentType, modified: time.Now().UTC()}
}

// Has reports whether key is stored.
func (b *Bucket) Has(key string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, ok := b.objects[key]
	return ok
}

// Len returns how many objects are stored.
func (b *Bucket) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.objects)
}

// Object returns the bytes stored under key, their content type and
// download name (nil if there is none).
func (b *Bucket) Object(key string) (data []byte, contentType, filename string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	o := b.objects[key]
	return o.data, o.contentType, o.filename
}

// Keys lists the stored keys.
func (b *Bucket) Keys() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	keys := make([]string, 0, len(b.objects))
	for k := range b.objects {
		keys = append(keys, k)
	}
	return keys
}

// TTLs lists the lifetimes of the links signed so far.
func (b *Bucket) TTLs() []time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]time.Duration(nil), b.ttls...)
}

func (b *Bucket) get(key string) (object, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	o, ok := b.objects[key]
	if !ok {
		return object{}, apperr.Wrap(apperr.NotFound, "", fmt.Errorf("no object %s", key))
	}
	return o, nil
}

// Inspect implements calls.Uploads.
func (b *Bucket) Inspect(_ context.Context, key string, n int) (int64, []byte, error) {
	o, err := b.get(key)
	if err != nil {
		return 0, nil, err
	}
	return int64(len(o.data)), o.data[:min(n, len(o.data))], nil
}

// Digest implements calls.Uploads (the bucket keeps no versions).
func (b *Bucket) Digest(_ context.Context, key, _ string) (string, int64, string, error) {
	o, err := b.get(key)
	if err != nil {
		return "", 0, "", err
	}
	s := sha256.Sum256(o.data)
	return hex.EncodeToString(s[:]), int64(len(o.data)), "", nil
}

// Delete implements calls.Uploads.
func (b *Bucket) Delete(_ context.Context, key string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.objects, key)
	return nil
}

// PresignGet implements calls.Files: a fake link naming the key and its
// lifetime as S3's would (X-Amz-Expires).
func (b *Bucket) PresignGet(_ context.Context, key, _, _ string, ttl time.Duration) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.ttls = append(b.ttls, ttl)
	return fmt.Sprintf("https://bucket.example/%s?X-Amz-Expires=%d", key, int(ttl.Seconds())), nil
}

// Read implements calls.Files.
func (b *Bucket) Read(_ context.Context, key, _ string) (io.ReadCloser, int64, time.Time, error) {
	o, err := b.get(key)
	if err != nil {
		return nil, 0, time.Time{}, err
	}
	return io.NopCloser(bytes.NewReader(o.data)), int64(len(o.data)), o.modified, nil
}

// Put implements calls.Files.
func (b *Bucket) Put(_ context.Context, key, contentType, filename string, body io.Reader, size int64) error {
	data, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	if int64(len(data)) != size {
		return fmt.Errorf("put %s: %d bytes, announced %d", key, len(data), size)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.objects[key] = object{data: data, contentType: contentType, filename: filename, modified: time.Now().UTC()}
	return nil
}

// Counting is a DynamoDB client that counts the calls made through it.
type Counting struct {
	ddbstore.Client
	n, tx atomic.Int64
}

// Count returns a counting client in front of c.
func Count(c ddbstore.Client) *Counting { return &Counting{Client: c} }

// Calls returns the calls made since the last Reset.
func (c *Counting) Calls() int64 { return c.n.Load() }

// Transactions returns the TransactWriteItems calls made since the last Reset.
func (c *Counting) Transactions() int64 { return c.tx.Load() }

// Reset sets the counts to zero.
func (c *Counting) Reset() { c.n.Store(0); c.tx.Store(0) }

func (c *Counting) GetItem(ctx context.Context, in *dynamodb.GetItemInput, o ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.n.Add(1)
	return c.Client.GetItem(ctx, in, o...)
}

func (c *Counting) PutItem(ctx context.Context, in *dynamodb.PutItemInput, o ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	c.n.Add(1)
	return c.Client.PutItem(ctx, in, o...)
}

func (c *Counting) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, o ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	c.n.Add(1)
	return c.Client.UpdateItem(ctx, in, o...)
}

func (c *Counting) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, o ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	c.n.Add(1)
	return c.Client.DeleteItem(ctx, in, o...)
}

func (c *Counting) Query(ctx context.Context, in *dynamodb.QueryInput, o ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	c.n.Add(1)
	return c.Client.Query(ctx, in, o...)
}

func (c *Counting) TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, o ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error) {
	c.n.Add(1)
	c.tx.Add(1)
	return c.Client.TransactWriteItems(ctx, in, o...)
}

// Logs is a log destination safe for concurrent requests.
type Logs struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *Logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns what was logged.
func (l *Logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Directory is a fixed evaluators group (calls.Directory); Fail makes it
// answer as a directory that is down.
type Directory struct {
	Members []calls.Evaluator
	Fail    bool
}

var _ calls.Directory = (*Directory)(nil)

// Evaluators implements calls.Directory.
func (d *Directory) Evaluators(context.Context) ([]calls.Evaluator, error) {
	if d.Fail {
		return nil, apperr.Wrap(apperr.Unavailable, "", fmt.Errorf("emulated directory outage"))
	}
	return append([]calls.Evaluator(nil), d.Members...), nil
}

// Evaluators is a directory of the given subs, named after them.
func Evaluators(subs ...string) *Directory {
	d := &Directory{}
	for _, s := range subs {
		d.Members = append(d.Members, calls.Evaluator{Sub: s, Name: "Évaluateur " + s, Email: s + "@evaluation.example"})
	}
	return d
}
