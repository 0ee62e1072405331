package filestore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	neturl "net/url"
	"strings"
	"testing"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/filestore"

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
	b := filestore.New(cli, s3.NewPresignClient(cli), bucket)
	before := time.Now().UTC()
	url, fields, expires, err := b.PresignUpload(context.Background(), key, "application/pdf", max, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := url, "https://"+bucket+".s3.eu-west-3.amazonaws.com"; strings.TrimRight(got, "/") != want {
		t.Errorf("url = %q, want %q", got, want)
	}
	if got, want := fields["key"], key; got != want {
		t.Errorf("fields.key = %q, want %q", got, want)
	}
	if got := fields["Content-Type"]; got != "application/pdf" {
		t.Errorf("fields.Content-Type = %q", got)
	}
	for _, f := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Signature", "X-Amz-Security-Token", "policy"} {
		if fields[f] == "" {
			t.Errorf("field %s missing", f)
		}
	}
	exp, conds := policy(t, fields)
	if d := exp.Sub(before); d < 9*time.Minute || d > 11*time.Minute {
		t.Errorf("policy expires %v after signing, want 10 min", d)
	}
	if d := expires.Sub(exp); d > time.Second || d < -time.Second {
		t.Errorf("expiresAt %v differs from the policy's %v", expires, exp)
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
		if exact[k] != fields[k] {
			t.Errorf("condition %s = %q, field %q", k, exact[k], fields[k])
		}
	}
	if len(ranges) != 1 || len(ranges[0]) != 3 || ranges[0][0] != "content-length-range" || ranges[0][1] != float64(1) || ranges[0][2] != float64(max) {
		t.Errorf("ranges = %v, want one [content-length-range 1 %d]", ranges, max)
	}
	// No starts-with: nothing loosens the key or the type.
	raw, _ := base64.StdEncoding.DecodeString(fields["policy"])
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
	b := filestore.New(cli, s3.NewPresignClient(cli), bucket)
	ctx := context.Background()
	key := "candidacies/0123456789abcdefghjkmnpqrs/statuts/0123456789abcdef.pdf"
	url, fields, _, err := b.PresignUpload(ctx, key, "application/pdf", 1<<20, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := url, endpoint+"/"+bucket; got != want {
		t.Fatalf("path-style url = %q, want %q", got, want)
	}
	body := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), 5000)...)
	upload(t, url, fields, body)

	size, head, err := b.Inspect(ctx, key, 5)
	if err != nil {
		t.Fatal(err)
	}
	if size != int64(len(body)) || string(head) != "%PDF-" {
		t.Errorf("Inspect = %d %q, want %d %%PDF-", size, head, len(body))
	}
	sum, n, _, err := b.Digest(ctx, key, "")
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
	if _, _, _, err := b.Digest(ctx, key, ""); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("Digest after delete = %v, want not found", err)
	}
	if err := b.Delete(ctx, key); err != nil {
		t.Errorf("deleting a missing object: %v", err)
	}
}

func get(t *testing.T, link string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", link, resp.StatusCode, body)
	}
	return resp, body
}

// Exports are stored as downloads, and links expire within MaxLinkTTL.
func TestPutAndPresignedDownload(t *testing.T) {
	cli, _ := fakeS3(t)
	b := filestore.New(cli, s3.NewPresignClient(cli), bucket)
	ctx := context.Background()
	body := []byte("\uFEFFcode,nom\r\nK7M2Q9XA,أمينة\r\n")
	if err := b.Put(ctx, "exports/events/e1/a.csv", "text/csv; charset=utf-8", "inscriptions.csv", bytes.NewReader(body), int64(len(body))); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		ttl  time.Duration
		want string
	}{{5 * time.Minute, "300"}, {10 * time.Minute, "600"}, {2 * time.Hour, "900"}}
	for _, c := range cases {
		link, err := b.PresignGet(ctx, "exports/events/e1/a.csv", "", "", c.ttl)
		if err != nil {
			t.Fatal(err)
		}
		u, err := neturl.Parse(link)
		if err != nil {
			t.Fatal(err)
		}
		if got := u.Query().Get("X-Amz-Expires"); got != c.want {
			t.Errorf("ttl %v: X-Amz-Expires = %q, want %q", c.ttl, got, c.want)
		}
		resp, got := get(t, link)
		if string(got) != string(body) || resp.Header.Get("Content-Disposition") != `attachment; filename="inscriptions.csv"` {
			t.Errorf("download: %q, disposition %q", got, resp.Header.Get("Content-Disposition"))
		}
	}
	// A link with a file name asks S3 to serve a download under that name.
	link, err := b.PresignGet(ctx, "exports/events/e1/a.csv", "", "statuts \"v2\".pdf", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := neturl.Parse(link)
	if got := u.Query().Get("response-content-disposition"); got != `attachment; filename="statuts v2.pdf"` {
		t.Errorf("response-content-disposition = %q", got)
	}
	o, err := b.Open(ctx, "exports/events/e1/a.csv", "")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(o.Body)
	o.Body.Close()
	if string(got) != string(body) || o.Size != int64(len(body)) {
		t.Errorf("Open = %q (%d bytes)", got, o.Size)
	}
	if _, err := b.Open(ctx, "exports/missing.csv", ""); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("Open of a missing object = %v, want not found", err)
	}
	rc, size, modified, err := b.Read(ctx, "exports/events/e1/a.csv", "")
	if err != nil {
		t.Fatal(err)
	}
	got, _ = io.ReadAll(rc)
	rc.Close()
	if string(got) != string(body) || size != int64(len(body)) || modified.IsZero() {
		t.Errorf("Read = %q (%d bytes, modified %v)", got, size, modified)
	}
	if _, _, _, err := b.Read(ctx, "exports/missing.csv", ""); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("Read of a missing object = %v, want not found", err)
	}
}

func TestAttachmentNames(t *testing.T) {
	cases := []struct{ name, want string }{
		{"dossier-COPIL-2024-0001.zip", `attachment; filename="dossier-COPIL-2024-0001.zip"`},
		{`a"b\\c/d;e.pdf`, `attachment; filename="abcde.pdf"`},
		{"../../etc/passwd", `attachment; filename="etcpasswd"`},
		{"line\r\nSet-Cookie: x", `attachment; filename="lineSet-Cookie: x"`},
		{"النظام الأساسي.pdf", `attachment; filename="______ _______.pdf"; filename*=UTF-8''%D8%A7%D9%84%D9%86%D8%B8%D8%A7%D9%85%20%D8%A7%D9%84%D8%A3%D8%B3%D8%A7%D8%B3%D9%8A.pdf`},
		{"", `attachment; filename="document"`},
	}
	for _, c := range cases {
		if got := filestore.Attachment(c.name); got != c.want {
			t.Errorf("Attachment(%q) = %q, want %q", c.name, got, c.want)
		}
	}
}
