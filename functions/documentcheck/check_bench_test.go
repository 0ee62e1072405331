package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"testing"
	"time"

	"espaceosc/functions/documentcheck/handler"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/callsdb"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/filestore"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/i18n"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

const bucketName = "espace-osc-dossiers-prod-123456789012"

// BenchmarkCheckUpload measures the check function's handler on one S3
// event (HEAD, ranged GET of the magic bytes, streamed SHA-256 of the whole
// object, conditional write of the verdict) through filestore against an
// in-process S3 (gofakes3 over HTTP) and minidyn, per document size. MB/s
// is the throughput; ms/MiB the time per MiB of PDF.
func BenchmarkCheckUpload(b *testing.B) {
	for _, mib := range []int{1, 4, 10} {
		b.Run(fmt.Sprintf("%dMiB", mib), func(b *testing.B) {
			ctx := context.Background()
			be := s3mem.New()
			if err := be.CreateBucket(bucketName); err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(gofakes3.New(be, gofakes3.WithLogger(gofakes3.DiscardLog())).Server())
			defer srv.Close()
			s3c := s3.New(s3.Options{Region: "eu-west-3", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true,
				Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")})
			db, table := ddbtest.Minidyn(b)
			log := httpapi.NewLogger(io.Discard)
			st := ddbstore.New(db, table)
			sender := &outboxtest.Sender{}
			now := time.Date(2024, 8, 20, 10, 0, 0, 0, time.UTC)
			svc := calls.NewService(calls.Config{
				Store: callsdb.New(st), Mailer: outbox.New(st.Outbox(), sender, calls.Emails, log),
				Uploads: filestore.New(s3c, s3.NewPresignClient(s3c), bucketName), PortalOrigin: "https://portal.test",
				Log: log, Now: func() time.Time { return now },
			})
			id, token := benchCandidacy(b, svc, sender, int64(mib)<<20+1024)
			h := handler.New(svc, bucketName, log)
			data := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("0123456789abcdef"), mib<<16)...)
			b.SetBytes(int64(len(data)))
			b.ResetTimer()
			for b.Loop() {
				b.StopTimer()
				u, err := svc.RequestUpload(ctx, id, token, calls.DocumentRequest{Type: "statuts"})
				if err != nil {
					b.Fatal(err)
				}
				key := u.Fields["key"]
				if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucketName), Key: aws.String(key), Body: bytes.NewReader(data)}); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if err := h.Handle(ctx, event(b, key)); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			c, _ := callsdb.New(st).GetCandidacy(ctx, id)
			if d, _, _ := c.Document("statuts"); d.Status != calls.DocumentVerified || d.Size != int64(len(data)) {
				b.Fatalf("last check: %+v", d)
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/float64(mib), "ms/MiB")
		})
	}
}

// event is handler/testdata/s3-event.json for key.
func event(b *testing.B, key string) events.S3Event {
	b.Helper()
	raw, err := os.ReadFile("handler/testdata/s3-event.json")
	if err != nil {
		b.Fatal(err)
	}
	var ev events.S3Event
	if err := json.Unmarshal(raw, &ev); err != nil {
		b.Fatal(err)
	}
	ev.Records[0].S3.Object.Key = url.QueryEscape(key)
	return ev
}

var tokenRe = regexp.MustCompile(`/candidatures/([0-9a-z]{26})\?token=([A-Za-z0-9_-]+)`)

// benchCandidacy opens a call whose statuts may weigh max bytes and applies.
func benchCandidacy(b *testing.B, svc *calls.Service, sender *outboxtest.Sender, max int64) (string, string) {
	b.Helper()
	ctx := context.Background()
	in := calls.CallInput{ID: "copil-2024", Kind: "copil", Title: i18n.Text{FR: "Copil 2024", AR: "لجنة القيادة 2024"},
		Description: i18n.Text{FR: "Sièges.", AR: "مقاعد."}, OpensAt: "2024-08-14T09:00", ClosesAt: "2024-09-05T23:59", Seats: 9,
		Documents: []calls.DocumentSpecInput{{Type: "statuts", Label: i18n.Text{FR: "Statuts", AR: "النظام الأساسي"}, Required: true, MaxBytes: max}},
		Criteria:  []calls.CriterionInput{{ID: "experience", Label: i18n.Text{FR: "Expérience", AR: "الخبرة"}, Weight: 1, MaxScore: 20}}}
	if _, err := svc.CreateCall(ctx, in); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.SetCallStatus(ctx, in.ID, calls.StatusInput{Status: "open"}); err != nil {
		b.Fatal(err)
	}
	yes := true
	if _, err := svc.Apply(ctx, in.ID, calls.Application{
		Association:    calls.AssociationInput{Name: "Association Tafra", Email: "contact@tafra.example.ma"},
		Representative: calls.RepresentativeInput{Name: "Salma Idrissi", Email: "salma@example.org"}, Lang: "fr", Consent: &yes,
	}, ""); err != nil {
		b.Fatal(err)
	}
	m := tokenRe.FindStringSubmatch(sender.Sent()[0].Text)
	return m[1], m[2]
}
