package s3export_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"espaceosc/shared/s3export"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

func TestPutAndPresignedDownload(t *testing.T) {
	be := s3mem.New()
	if err := be.CreateBucket("dossiers"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(be).Server())
	defer srv.Close()
	client := s3.New(s3.Options{
		Region: "eu-west-3", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("AK", "SK", ""),
	})
	x := s3export.New(client, "dossiers")
	ctx := context.Background()
	body := []byte("\uFEFFcode,nom\r\nK7M2Q9XA,أمينة\r\n")
	if err := x.Put(ctx, "exports/events/e1/a.csv", "text/csv; charset=utf-8", body); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		ttl  time.Duration
		want string
	}{{10 * time.Minute, "600"}, {2 * time.Hour, "900"}}
	for _, c := range cases {
		link, err := x.PresignGet(ctx, "exports/events/e1/a.csv", c.ttl)
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(link)
		if err != nil {
			t.Fatal(err)
		}
		if got := u.Query().Get("X-Amz-Expires"); got != c.want {
			t.Errorf("ttl %v: X-Amz-Expires = %q, want %q", c.ttl, got, c.want)
		}
		resp, err := http.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(got) != string(body) {
			t.Errorf("download: %d %q", resp.StatusCode, got)
		}
	}
}
