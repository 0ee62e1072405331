package main

import (
	"context"
	"encoding/json"
	"io"
	"testing"
	"time"

	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"
	"espaceosc/shared/s3upload"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// BenchmarkRequestUpload measures POST /api/candidacies/{id}/documents
// through the function's router: token check (GetItem and SHA-256), the
// pending upload recorded with a conditional transaction on minidyn, and
// the real SDK presigner signing the POST policy (no network: signing is
// local). ReadCandidacy is GET /api/candidacies/{id} on the same setup, for
// the ratio.
func BenchmarkRequestUpload(b *testing.B) {
	db, table := ddbtest.Minidyn(b)
	log := httpapi.NewLogger(io.Discard)
	store := ddbstore.New(db, table)
	sender := &outboxtest.Sender{}
	s3c := s3.New(s3.Options{Region: "eu-west-3", Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "token")})
	svc := calls.NewService(store.Calls(), s3upload.New(s3c, s3.NewPresignClient(s3c), "espace-osc-dossiers-prod-123456789012"),
		outbox.New(store.Outbox(), sender, nil, log), calls.Config{PortalOrigin: "https://portal.test"}, log).
		WithClock(func() time.Time { return time.Date(2024, 8, 20, 10, 0, 0, 0, time.UTC) })
	rt := newRouter(svc, log)
	var in calls.CallInput
	req := httpapitest.Load(b, "../../admincalls/handler/testdata/create.json")
	if err := json.Unmarshal([]byte(req.Body), &in); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := svc.CreateCall(ctx, in); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.SetCallStatus(ctx, in.ID, calls.StatusInput{Status: "open"}); err != nil {
		b.Fatal(err)
	}
	resp, err := rt.Serve(ctx, httpapitest.Load(b, "apply.json"))
	if err != nil || resp.StatusCode != 201 {
		b.Fatalf("apply: %d %v", resp.StatusCode, err)
	}
	m := tokenRe.FindStringSubmatch(sender.Sent()[0].Text)
	id, token := m[1], m[2]

	for _, c := range []struct{ name, file string }{{"PresignedPost", "documents.json"}, {"ReadCandidacy", "get.json"}} {
		b.Run(c.name, func(b *testing.B) {
			req := with(httpapitest.Load(b, c.file), id, token)
			for b.Loop() {
				resp, err := rt.Serve(ctx, req)
				if err != nil || resp.StatusCode != 200 {
					b.Fatalf("%s: %d %s", c.name, resp.StatusCode, resp.Body)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/request")
		})
	}
}
