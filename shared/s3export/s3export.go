// Package s3export stores export files (CSV of registrations) in the private
// bucket under exports/ and hands out short-lived presigned GET links. A
// lifecycle rule of the bucket deletes exports after a day.
package s3export

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/events"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Client is the part of the S3 API the adapter uses.
type Client interface {
	PutObject(ctx context.Context, in *s3.PutObjectInput, opts ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

// MaxTTL caps a download link's life.
const MaxTTL = 15 * time.Minute

// Exporter implements events.Exporter on one bucket.
type Exporter struct {
	client  Client
	presign *s3.PresignClient
	bucket  string
}

var _ events.Exporter = (*Exporter)(nil)

// New returns an exporter writing to bucket with client (whose options,
// path-style addressing included, the presigned links share).
func New(client *s3.Client, bucket string) *Exporter {
	return &Exporter{client: client, presign: s3.NewPresignClient(client), bucket: bucket}
}

// Put implements events.Exporter.
func (x *Exporter) Put(ctx context.Context, key, contentType string, body []byte) error {
	_, err := x.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(x.bucket), Key: aws.String(key), Body: bytes.NewReader(body),
		ContentType: aws.String(contentType), ContentDisposition: aws.String(`attachment; filename="inscriptions.csv"`),
	})
	if err != nil {
		return apperr.Wrap(apperr.Unavailable, "", fmt.Errorf("s3 put %s: %w", key, err))
	}
	return nil
}

// PresignGet implements events.Exporter; ttl is capped at MaxTTL.
func (x *Exporter) PresignGet(ctx context.Context, key string, ttl time.Duration) (string, error) {
	ttl = min(ttl, MaxTTL)
	req, err := x.presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(x.bucket), Key: aws.String(key)},
		s3.WithPresignExpires(ttl))
	if err != nil {
		return "", fmt.Errorf("presign %s: %w", key, err)
	}
	return req.URL, nil
}
