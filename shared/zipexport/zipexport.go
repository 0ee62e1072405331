// Package zipexport is the dossier bucket as evaluation sees it: short-lived
// presigned GET links to documents and exports, export files under
// exports/, and dossier ZIPs streamed from the documents' objects. It
// implements calls.Files on a narrow S3 client interface.
package zipexport

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Client is the part of the S3 API the bucket uses.
type Client interface {
	GetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	PutObject(ctx context.Context, in *s3.PutObjectInput, opts ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

// Presigner signs GET links (s3.PresignClient).
type Presigner interface {
	PresignGetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.PresignOptions)) (*v4.PresignedHTTPRequest, error)
}

// MaxTTL caps a link's life.
const MaxTTL = 15 * time.Minute

// Bucket is the dossier bucket.
type Bucket struct {
	client  Client
	presign Presigner
	name    string
	// TempDir holds a ZIP while it is written ("" = os.TempDir(), /tmp on Lambda).
	TempDir string
}

var _ calls.Files = (*Bucket)(nil)

// New returns the bucket name.
func New(client Client, presign Presigner, name string) *Bucket {
	return &Bucket{client: client, presign: presign, name: name}
}

// PresignDownload implements calls.Files; ttl is capped at MaxTTL.
func (b *Bucket) PresignDownload(ctx context.Context, key string, ttl time.Duration) (string, error) {
	if key == "" {
		return "", errors.New("presign: empty key")
	}
	req, err := b.presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b.name), Key: aws.String(key)},
		s3.WithPresignExpires(min(ttl, MaxTTL)))
	if err != nil {
		return "", fmt.Errorf("presign %s: %w", key, err)
	}
	return req.URL, nil
}

func disposition(filename string) string {
	return `attachment; filename="` + strings.NewReplacer(`"`, "", `\`, "", "\r", "", "\n", "").Replace(filename) + `"`
}

// PutExport implements calls.Files.
func (b *Bucket) PutExport(ctx context.Context, key, contentType, filename string, body []byte) error {
	_, err := b.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(b.name), Key: aws.String(key), Body: strings.NewReader(string(body)),
		ContentType: aws.String(contentType), ContentDisposition: aws.String(disposition(filename)),
	})
	if err != nil {
		return apperr.Wrap(apperr.Unavailable, "", fmt.Errorf("s3 put %s: %w", key, err))
	}
	return nil
}

// Zip implements calls.Files: each object is streamed from S3 into the
// archive, written to a temporary file (memory stays flat whatever the
// dossier's size), which is then uploaded under key.
func (b *Bucket) Zip(ctx context.Context, key, filename string, entries []calls.ZipEntry) (int64, error) {
	f, err := os.CreateTemp(b.TempDir, "dossier-*.zip")
	if err != nil {
		return 0, fmt.Errorf("zip: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, e := range entries {
		if err := b.add(ctx, zw, e); err != nil {
			return 0, err
		}
	}
	if err := zw.Close(); err != nil {
		return 0, fmt.Errorf("zip: %w", err)
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, fmt.Errorf("zip: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, fmt.Errorf("zip: %w", err)
	}
	_, err = b.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(b.name), Key: aws.String(key), Body: f, ContentLength: aws.Int64(size),
		ContentType: aws.String("application/zip"), ContentDisposition: aws.String(disposition(filename)),
	})
	if err != nil {
		return 0, apperr.Wrap(apperr.Unavailable, "", fmt.Errorf("s3 put %s: %w", key, err))
	}
	return size, nil
}

func (b *Bucket) add(ctx context.Context, zw *zip.Writer, e calls.ZipEntry) error {
	out, err := b.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(b.name), Key: aws.String(e.Key)})
	if err != nil {
		return apperr.Wrap(apperr.Unavailable, "", fmt.Errorf("s3 get %s: %w", e.Key, err))
	}
	defer out.Body.Close()
	// PDFs are already compressed: store them.
	w, err := zw.CreateHeader(&zip.FileHeader{Name: e.Name, Method: zip.Store, Modified: aws.ToTime(out.LastModified)})
	if err != nil {
		return fmt.Errorf("zip %s: %w", e.Name, err)
	}
	if _, err := io.Copy(w, out.Body); err != nil {
		return apperr.Wrap(apperr.Unavailable, "", fmt.Errorf("zip %s: read %s: %w", e.Name, e.Key, err))
	}
	return nil
}
