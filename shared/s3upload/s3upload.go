// Package s3upload is the dossier bucket: presigned POSTs for browsers to
// upload documents straight to S3, and the reads and deletes the upload
// check needs. It implements calls.Uploads on narrow S3 client interfaces
// and never loads configuration itself.
package s3upload

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// Client is the part of the S3 API the bucket uses.
type Client interface {
	HeadObject(ctx context.Context, in *s3.HeadObjectInput, opts ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, opts ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
}

// Presigner signs POST uploads (s3.PresignClient).
type Presigner interface {
	PresignPostObject(ctx context.Context, in *s3.PutObjectInput, opts ...func(*s3.PresignPostOptions)) (*s3.PresignedPostRequest, error)
}

// ContentType is the only type a dossier document may be uploaded as.
const ContentType = "application/pdf"

// Bucket is one dossier bucket.
type Bucket struct {
	client    Client
	presigner Presigner
	name      string
	now       func() time.Time
}

var _ calls.Uploads = (*Bucket)(nil)

// New returns the bucket name. presigner may be nil for a function that
// only checks uploads, client for one that only signs them.
func New(client Client, presigner Presigner, name string) *Bucket {
	return &Bucket{client: client, presigner: presigner, name: name, now: func() time.Time { return time.Now().UTC() }}
}

// Conditions are the policy conditions of an upload of key: that exact
// key, the PDF content type and 1..maxBytes bytes. (The SDK adds the
// bucket, algorithm, credential and date.)
func Conditions(key string, maxBytes int64) []any {
	return []any{
		map[string]string{"key": key},
		map[string]string{"Content-Type": ContentType},
		[]any{"content-length-range", 1, maxBytes},
	}
}

// PresignUpload implements calls.Uploads.
func (b *Bucket) PresignUpload(ctx context.Context, key string, maxBytes int64, ttl time.Duration) (calls.UploadForm, error) {
	signedAt := b.now()
	req, err := b.presigner.PresignPostObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(b.name), Key: aws.String(key), ContentType: aws.String(ContentType),
	}, func(o *s3.PresignPostOptions) {
		o.Expires = ttl
		o.Conditions = Conditions(key, maxBytes)
	})
	if err != nil {
		return calls.UploadForm{}, fmt.Errorf("presign upload: %w", err)
	}
	fields := make(map[string]string, len(req.Values)+1)
	for k, v := range req.Values {
		fields[k] = v
	}
	fields["Content-Type"] = ContentType // the browser must send what the policy pins
	return calls.UploadForm{URL: req.URL, Fields: fields, ExpiresAt: signedAt.Add(ttl).Truncate(time.Second)}, nil
}

// Inspect implements calls.Uploads: HEAD for the size, then a ranged GET of
// the first n bytes (none for an empty object).
func (b *Bucket) Inspect(ctx context.Context, key string, n int) (int64, []byte, error) {
	head, err := b.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(b.name), Key: aws.String(key)})
	if err != nil {
		return 0, nil, classify("head object", err)
	}
	size := aws.ToInt64(head.ContentLength)
	if size == 0 || n <= 0 {
		return size, nil, nil
	}
	out, err := b.client.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(b.name), Key: aws.String(key), Range: aws.String("bytes=0-" + strconv.Itoa(n-1)),
	})
	if err != nil {
		return 0, nil, classify("get object head", err)
	}
	defer out.Body.Close()
	buf, err := io.ReadAll(io.LimitReader(out.Body, int64(n)))
	if err != nil {
		return 0, nil, classify("read object head", err)
	}
	return size, buf, nil
}

// Digest implements calls.Uploads: it streams the object through SHA-256.
func (b *Bucket) Digest(ctx context.Context, key string) (string, int64, error) {
	out, err := b.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b.name), Key: aws.String(key)})
	if err != nil {
		return "", 0, classify("get object", err)
	}
	defer out.Body.Close()
	h := sha256.New()
	n, err := io.Copy(h, out.Body)
	if err != nil {
		return "", 0, classify("read object", err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// Delete implements calls.Uploads.
func (b *Bucket) Delete(ctx context.Context, key string) error {
	_, err := b.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(b.name), Key: aws.String(key)})
	if err != nil && !notFound(err) {
		return classify("delete object", err)
	}
	return nil
}

func notFound(err error) bool {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	if errors.As(err, &nsk) || errors.As(err, &nf) {
		return true
	}
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && (apiErr.ErrorCode() == "NoSuchKey" || apiErr.ErrorCode() == "NotFound")
}

// classify maps S3 failures onto apperr: a missing object is NotFound,
// throttling and server faults Unavailable.
func classify(op string, err error) error {
	wrapped := fmt.Errorf("s3 %s: %w", op, err)
	if notFound(err) {
		return apperr.Wrap(apperr.NotFound, "", wrapped)
	}
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && (apiErr.ErrorFault() == smithy.FaultServer || strings.Contains(apiErr.ErrorCode(), "SlowDown") || strings.Contains(apiErr.ErrorCode(), "Throttl")) {
		return apperr.Wrap(apperr.Unavailable, "", wrapped)
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return apperr.Wrap(apperr.Unavailable, "", wrapped)
	}
	return wrapped
}
