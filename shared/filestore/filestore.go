// Package filestore is the dossier bucket (S3), the one adapter of it:
// presigned POST forms through which browsers upload documents straight to
// S3, the reads the upload check and the dossier ZIP need, export files, and
// short-lived presigned GET links. It speaks in keys, bytes and links (no
// domain type), takes narrow SDK interfaces and never loads configuration
// itself. Objects may be read at a given version (S3 versioning), so that
// what is served is exactly what was checked.
package filestore

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

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// Client is the part of the S3 API the bucket uses.
type Client interface {
	HeadObject(ctx context.Context, in *s3.HeadObjectInput, opts ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	PutObject(ctx context.Context, in *s3.PutObjectInput, opts ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, opts ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
}

// Presigner signs browser uploads and download links (s3.PresignClient).
type Presigner interface {
	PresignPostObject(ctx context.Context, in *s3.PutObjectInput, opts ...func(*s3.PresignPostOptions)) (*s3.PresignedPostRequest, error)
	PresignGetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.PresignOptions)) (*v4.PresignedHTTPRequest, error)
}

// MaxLinkTTL caps a download link's life.
const MaxLinkTTL = 15 * time.Minute

// Bucket is the dossier bucket.
type Bucket struct {
	client  Client
	presign Presigner
	name    string
	now     func() time.Time
}

// New returns the bucket name, used through client and presign (presign may
// be nil for a function that signs nothing).
func New(client Client, presign Presigner, name string) *Bucket {
	return &Bucket{client: client, presign: presign, name: name, now: func() time.Time { return time.Now().UTC() }}
}

// Conditions are the policy conditions of an upload: that exact key, that
// content type and 1..maxBytes bytes. (The SDK adds the bucket, algorithm,
// credential and date.)
func Conditions(key, contentType string, maxBytes int64) []any {
	return []any{
		map[string]string{"key": key},
		map[string]string{"Content-Type": contentType},
		[]any{"content-length-range", 1, maxBytes},
	}
}

// PresignUpload returns the URL and form fields of a browser POST that can
// store at most maxBytes of contentType under key, and when they expire.
func (b *Bucket) PresignUpload(ctx context.Context, key, contentType string, maxBytes int64, ttl time.Duration) (url string, fields map[string]string, expires time.Time, err error) {
	signedAt := b.now()
	req, err := b.presign.PresignPostObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(b.name), Key: aws.String(key), ContentType: aws.String(contentType),
	}, func(o *s3.PresignPostOptions) {
		o.Expires = ttl
		o.Conditions = Conditions(key, contentType, maxBytes)
	})
	if err != nil {
		return "", nil, time.Time{}, fmt.Errorf("presign upload: %w", err)
	}
	fields = make(map[string]string, len(req.Values)+1)
	for k, v := range req.Values {
		fields[k] = v
	}
	fields["Content-Type"] = contentType // the browser must send what the policy pins
	return req.URL, fields, signedAt.Add(ttl).Truncate(time.Second), nil
}

// Inspect returns the size of the object key and its first n bytes (a ranged
// GET; none for an empty object). A missing object is apperr.NotFound.
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

// Object is one object being read.
type Object struct {
	Body         io.ReadCloser
	Size         int64
	Version      string // S3 version ID ("" when the bucket is not versioned)
	LastModified time.Time
}

// Open reads the object key at version ("" for the latest). A missing object
// is apperr.NotFound. The caller closes Body.
func (b *Bucket) Open(ctx context.Context, key, version string) (Object, error) {
	in := &s3.GetObjectInput{Bucket: aws.String(b.name), Key: aws.String(key)}
	if version != "" {
		in.VersionId = aws.String(version)
	}
	out, err := b.client.GetObject(ctx, in)
	if err != nil {
		return Object{}, classify("get object", err)
	}
	return Object{Body: out.Body, Size: aws.ToInt64(out.ContentLength), Version: aws.ToString(out.VersionId), LastModified: aws.ToTime(out.LastModified)}, nil
}

// Read is Open in plain values (the body, closed by the caller, its size
// and last modification), for the ports of packages that do not import
// this one (a domain's Files interface cannot name Object).
func (b *Bucket) Read(ctx context.Context, key, version string) (io.ReadCloser, int64, time.Time, error) {
	o, err := b.Open(ctx, key, version)
	if err != nil {
		return nil, 0, time.Time{}, err
	}
	return o.Body, o.Size, o.LastModified, nil
}

// Digest streams the object key at version through SHA-256: the hex digest,
// the size and the version read.
func (b *Bucket) Digest(ctx context.Context, key, version string) (sum string, size int64, readVersion string, err error) {
	o, err := b.Open(ctx, key, version)
	if err != nil {
		return "", 0, "", err
	}
	defer o.Body.Close()
	h := sha256.New()
	n, err := io.Copy(h, o.Body)
	if err != nil {
		return "", 0, "", classify("read object", err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, o.Version, nil
}

// Put stores size bytes of body under key, served as a download named
// filename.
func (b *Bucket) Put(ctx context.Context, key, contentType, filename string, body io.Reader, size int64) error {
	_, err := b.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(b.name), Key: aws.String(key), Body: body, ContentLength: aws.Int64(size),
		ContentType: aws.String(contentType), ContentDisposition: aws.String(Attachment(filename)),
	})
	if err != nil {
		return classify("put "+key, err)
	}
	return nil
}

// PresignGet returns a GET link to the object key at version ("" for the
// latest), valid for ttl (at most MaxLinkTTL); with a filename, the link's
// response is a download under that name.
func (b *Bucket) PresignGet(ctx context.Context, key, version, filename string, ttl time.Duration) (string, error) {
	if key == "" {
		return "", errors.New("presign: empty key")
	}
	in := &s3.GetObjectInput{Bucket: aws.String(b.name), Key: aws.String(key)}
	if version != "" {
		in.VersionId = aws.String(version)
	}
	if filename != "" {
		in.ResponseContentDisposition = aws.String(Attachment(filename))
	}
	req, err := b.presign.PresignGetObject(ctx, in, s3.WithPresignExpires(min(ttl, MaxLinkTTL)))
	if err != nil {
		return "", fmt.Errorf("presign %s: %w", key, err)
	}
	return req.URL, nil
}

// Delete removes the object key (its latest version); a missing one is no
// error.
func (b *Bucket) Delete(ctx context.Context, key string) error {
	_, err := b.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(b.name), Key: aws.String(key)})
	if err != nil && !notFound(err) {
		return classify("delete object", err)
	}
	return nil
}

// Attachment is a Content-Disposition that makes a browser download under
// filename: quotes, backslashes, control characters and path separators are
// dropped, and a non-ASCII name also goes in RFC 6266's filename*.
func Attachment(filename string) string {
	var ascii, clean strings.Builder
	for _, r := range filename {
		switch {
		case r < 0x20 || r == 0x7f || r == '"' || r == '\\' || r == '/' || r == ';':
			continue
		case r > 0x7e:
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
		clean.WriteRune(r)
	}
	name := strings.Trim(ascii.String(), ". ")
	if name == "" {
		name = "document"
	}
	d := `attachment; filename="` + name + `"`
	if clean.String() != ascii.String() {
		d += "; filename*=UTF-8''" + escapeRFC5987(clean.String())
	}
	return d
}

func escapeRFC5987(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}

func notFound(err error) bool {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	if errors.As(err, &nsk) || errors.As(err, &nf) {
		return true
	}
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && (apiErr.ErrorCode() == "NoSuchKey" || apiErr.ErrorCode() == "NotFound" || apiErr.ErrorCode() == "NoSuchVersion")
}

// classify maps S3 failures onto apperr: a missing object is NotFound,
// throttling, server faults and timeouts Unavailable.
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
