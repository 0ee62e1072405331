package s3upload_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/s3upload"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

const bucket = "espace-osc-dossiers-test"

func fakeS3(t testing.TB) (*s3.Client, string) {
	t.Helper()
	be := s3mem.New()
	if err := be.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(be, gofakes3.WithLogger(gofakes3.DiscardLog())).Server())
	t.Cleanup(srv.Close)
	return client(srv.URL), srv.URL
}

func client(endpoint string) *s3.Client {
	return s3.New(s3.Options{
		Region:      "eu-west-3",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "session-token"),
		BaseEndpoint: func() *string {
			if endpoint == "" {
				return nil
			}
			return aws.String(endpoint)
		}(),
		UsePathStyle: endpoint != "",
	})
}

// policy decodes the base64 policy document of a presigned POST.
func policy(t *testing.T, fields map[string]string) (expiration time.Time, conditions []any) {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(fields["policy"])
	if err != nil {
		t.Fatalf("policy is not base64: %v", err)
	}
	var doc struct {
		Expiration string `json:"expiration"`
		Conditions []any  `json:"conditions"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("policy is not JSON: %v\n%s", err, raw)
	}
	exp, err := time.Parse(time.RFC3339, doc.Expiration)
	if err != nil {
		t.Fatalf("expiration %q: %v", doc.Expiration, err)
	}
	return exp, doc.Conditions
}

func TestPresignedPostPolicyPinsKeyTypeAndSize(t *testing.T) {
	key := "candidacies/0123456789abcdefghjkmnpqrs/statuts/0123456789abcdef.pdf"
	const max = 10 << 20
	cli := client("") // AWS itself: virtual-hosted URL, no key in it
	b := s3upload.New(cli, s3.NewPresignClient(cli), bucket)
	before := time.Now().UTC()
	form, err := b.PresignUpload(context.Background(), key, max, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := form.URL, "https://"+bucket+".s3.eu-west-3.amazonaws.com"; strings.TrimRight(got, "/") != want {
		t.Errorf("url = %q, want %q", got, want)
	}
	if got, want := form.Fields["key"], key; got != want {
		t.Errorf("fields.key = %q, want %q", got, want)
	}
	if got := form.Fields["Content-Type"]; got != "application/pdf" {
		t.Errorf("fields.Content-Type = %q", got)
	}
	for _, f := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Signature", "X-Amz-Security-Token", "policy"} {
		if form.Fields[f] == "" {
			t.Errorf("field %s missing", f)
		}
	}
	exp, conds := policy(t, form.Fields)
	if d := exp.Sub(before); d < 9*time.Minute || d > 11*time.Minute {
		t.Errorf("policy expires %v after signing, want 10 min", d)
	}
	if d := form.ExpiresAt.Sub(exp); d > time.Second || d < -time.Second {
		t.Errorf("expiresAt %v differs from the policy's %v", form.ExpiresAt, exp)
	}
	// Every condition, by kind: exact matches and ranges.
	exact := map[string]string{}
	var ranges [][]any
	for _, c := range conds {
		switch v := c.(type) {
		case map[string]any:
			for k, x := range v {
				exact[k], _ = x.(string)
			}
		case []any:
			ranges = append(ranges, v)
		default:
			t.Errorf("unexpected condition %#v", c)
		}
	}
	wantExact := map[string]string{"bucket": bucket, "key": key, "Content-Type": "application/pdf", "X-Amz-Algorithm": "AWS4-HMAC-SHA256"}
	for k, want := range wantExact {
		if got, ok := exact[k]; !ok || got != want {
			t.Errorf("condition %s = %q (present %v), want %q", k, got, ok, want)
		}
	}
	for _, k := range []string{"X-Amz-Credential", "X-Amz-Date", "X-Amz-Security-Token"} {
		if exact[k] != form.Fields[k] {
			t.Errorf("condition %s = %q, field %q", k, exact[k], form.Fields[k])
		}
	}
	if len(ranges) != 1 || len(ranges[0]) != 3 || ranges[0][0] != "content-length-range" || ranges[0][1] != float64(1) || ranges[0][2] != float64(max) {
		t.Errorf("ranges = %v, want one [content-length-range 1 %d]", ranges, max)
	}
	// No starts-with: nothing loosens the key or the type.
	raw, _ := base64.StdEncoding.DecodeString(form.Fields["policy"])
	if strings.Contains(string(raw), "starts-with") || strings.Contains(string(raw), "${filename}") {
		t.Errorf("policy loosens a condition: %s", raw)
	}
}

// upload posts a browser form to the presigned URL: fields first, file last.
func upload(t *testing.T, url string, fields map[string]string, body []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "../../etc/passwd.pdf")
	_, _ = fw.Write(body)
	_ = mw.Close()
	resp, err := http.Post(url, mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
}

func TestUploadInspectDigestDelete(t *testing.T) {
	cli, endpoint := fakeS3(t)
	b := s3upload.New(cli, s3.NewPresignClient(cli), bucket)
	ctx := context.Background()
	key := "candidacies/0123456789abcdefghjkmnpqrs/statuts/0123456789abcdef.pdf"
	form, err := b.PresignUpload(ctx, key, 1<<20, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := form.URL, endpoint+"/"+bucket; got != want {
		t.Fatalf("path-style url = %q, want %q", got, want)
	}
	body := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), 5000)...)
	upload(t, form.URL, form.Fields, body)

	size, head, err := b.Inspect(ctx, key, 5)
	if err != nil {
		t.Fatal(err)
	}
	if size != int64(len(body)) || string(head) != "%PDF-" {
		t.Errorf("Inspect = %d %q, want %d %%PDF-", size, head, len(body))
	}
	sum, n, err := b.Digest(ctx, key)
	want := sha256.Sum256(body)
	if err != nil || sum != hex.EncodeToString(want[:]) || n != int64(len(body)) {
		t.Errorf("Digest = %s %d %v, want %x %d", sum, n, err, want, len(body))
	}
	if err := b.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Inspect(ctx, key, 5); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("Inspect after delete = %v, want not found", err)
	}
	if _, _, err := b.Digest(ctx, key); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("Digest after delete = %v, want not found", err)
	}
	if err := b.Delete(ctx, key); err != nil {
		t.Errorf("deleting a missing object: %v", err)
	}
}
