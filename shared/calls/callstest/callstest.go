// Package callstest provides an in-memory dossier bucket (calls.Uploads) for tests.
package callstest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"
)

// Bucket is an in-memory calls.Uploads. Its presigned "form" carries the
// key in Fields["key"]; Put stands for the browser's upload.
type Bucket struct {
	mu      sync.Mutex
	objects map[string][]byte
	deleted []string
}

var _ calls.Uploads = (*Bucket)(nil)

// NewBucket returns an empty bucket.
func NewBucket() *Bucket { return &Bucket{objects: map[string][]byte{}} }

// PresignUpload implements calls.Uploads.
func (b *Bucket) PresignUpload(_ context.Context, key string, max int64, ttl time.Duration) (calls.UploadForm, error) {
	return calls.UploadForm{
		URL:       "https://bucket.example",
		Fields:    map[string]string{"key": key, "Content-Type": "application/pdf", "max": fmt.Sprint(max)},
		ExpiresAt: time.Now().UTC().Add(ttl).Truncate(time.Second),
	}, nil
}

// Put stores an object as an upload would.
func (b *Bucket) Put(key string, data []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.objects[key] = data
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

// Inspect implements calls.Uploads.
func (b *Bucket) Inspect(_ context.Context, key string, n int) (int64, []byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	d, ok := b.objects[key]
	if !ok {
		return 0, nil, apperr.New(apperr.NotFound, "")
	}
	return int64(len(d)), d[:min(n, len(d))], nil
}

// Digest implements calls.Uploads.
func (b *Bucket) Digest(_ context.Context, key string) (string, int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	d, ok := b.objects[key]
	if !ok {
		return "", 0, apperr.New(apperr.NotFound, "")
	}
	s := sha256.Sum256(d)
	return hex.EncodeToString(s[:]), int64(len(d)), nil
}

// Delete implements calls.Uploads.
func (b *Bucket) Delete(_ context.Context, key string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.objects, key)
	b.deleted = append(b.deleted, key)
	return nil
}
