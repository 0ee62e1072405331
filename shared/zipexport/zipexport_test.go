package zipexport_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"espaceosc/shared/calls"
	"espaceosc/shared/zipexport"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

func newBucket(t *testing.T) (*zipexport.Bucket, *s3.Client) {
	t.Helper()
	be := s3mem.New()
	if err := be.CreateBucket("dossiers"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(be).Server())
	t.Cleanup(srv.Close)
	client := s3.New(s3.Options{
		Region: "eu-west-3", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("AK", "SK", ""),
	})
	b := zipexport.New(client, s3.NewPresignClient(client), "dossiers")
	b.TempDir = t.TempDir()
	return b, client
}

func get(t *testing.T, link string) []byte {
	t.Helper()
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", link, resp.StatusCode, b)
	}
	return b
}

func TestPresignDownloadCapsTheLifetime(t *testing.T) {
	b, client := newBucket(t)
	ctx := context.Background()
	if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("dossiers"), Key: aws.String("candidacies/x/statuts/a.pdf"), Body: bytes.NewReader([]byte("%PDF-1.4"))}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		ttl  time.Duration
		want string
	}{{calls.DocumentLinkTTL, "300"}, {calls.ExportLinkTTL, "600"}, {2 * time.Hour, "900"}}
	for _, c := range cases {
		link, err := b.PresignDownload(ctx, "candidacies/x/statuts/a.pdf", c.ttl)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(link)
		if got := u.Query().Get("X-Amz-Expires"); got != c.want {
			t.Errorf("ttl %v: X-Amz-Expires = %q, want %q", c.ttl, got, c.want)
		}
		if got := string(get(t, link)); got != "%PDF-1.4" {
			t.Errorf("body = %q", got)
		}
	}
}

func TestZipStreamsTheDocuments(t *testing.T) {
	b, client := newBucket(t)
	ctx := context.Background()
	docs := map[string][]byte{
		"candidacies/x/statuts/a.pdf":   append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("statuts "), 100000)...),
		"candidacies/x/recepisse/b.pdf": []byte("%PDF-1.4\nrécépissé وصل"),
	}
	for k, v := range docs {
		if _, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("dossiers"), Key: aws.String(k), Body: bytes.NewReader(v)}); err != nil {
			t.Fatal(err)
		}
	}
	entries := []calls.ZipEntry{{Name: "statuts.pdf", Key: "candidacies/x/statuts/a.pdf"}, {Name: "recepisse.pdf", Key: "candidacies/x/recepisse/b.pdf"}}
	size, err := b.Zip(ctx, "exports/dossiers/x/1.zip", "dossier-COPIL-2024-0001.zip", entries)
	if err != nil {
		t.Fatal(err)
	}
	link, err := b.PresignDownload(ctx, "exports/dossiers/x/1.zip", calls.ExportLinkTTL)
	if err != nil {
		t.Fatal(err)
	}
	body := get(t, link)
	if int64(len(body)) != size {
		t.Errorf("size = %d, downloaded %d", size, len(body))
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 2 {
		t.Fatalf("%d entries", len(zr.File))
	}
	for i, f := range zr.File {
		if f.Name != entries[i].Name {
			t.Errorf("entry %d = %q, want %q", i, f.Name, entries[i].Name)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		g, w := sha256.Sum256(got), sha256.Sum256(docs[entries[i].Key])
		if hex.EncodeToString(g[:]) != hex.EncodeToString(w[:]) {
			t.Errorf("%s: SHA-256 differs", f.Name)
		}
	}
	if _, err := b.Zip(ctx, "exports/dossiers/x/2.zip", "d.zip", []calls.ZipEntry{{Name: "a.pdf", Key: "candidacies/missing.pdf"}}); err == nil {
		t.Error("zip of a missing object: no error")
	}
}
