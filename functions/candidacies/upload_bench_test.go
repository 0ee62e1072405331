package main

import (
	"context"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"espaceosc/functions/candidacies/handler"
	"espaceosc/shared/calls"
	"espaceosc/shared/ddbstore"
	"espaceosc/shared/ddbstore/callsdb"
	"espaceosc/shared/ddbstore/ddbtest"
	"espaceosc/shared/filestore"
	"espaceosc/shared/httpapi"
	"espaceosc/shared/httpapi/httpapitest"
	"espaceosc/shared/outbox"
	"espaceosc/shared/outbox/outboxtest"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

var tokenRe = regexp.MustCompile(`/candidatures/([0-9a-z]{26})\?token=([A-Za-z0-9_-]+)`)

// BenchmarkRequestUpload measures POST /api/candidacies/{id}/documents
// through the function's router, wired as main.go wires it: token check
// (GetItem and SHA-256), the pending upload recorded with a conditional
// transaction on minidyn, and the real SDK presigner signing the POST
// policy through filestore (no network: signing is local). ReadCandidacy is
// GET /api/candidacies/{id} on the same setup, for the ratio.
func BenchmarkRequestUpload(b *testing.B) {
	db, table := ddbtest.Minidyn(b)
	log := httpapi.NewLogger(io.Discard)
	st := ddbstore.New(db, table)
	sender := &outboxtest.Sender{}
	s3c := s3.New(s3.Options{Region: "eu-west-3", Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "token")})
	svc := calls.NewService(calls.Config{
		Store: callsdb.New(st), Mailer: outbox.New(st.Outbox(), sender, calls.Emails, log),
		Uploads:      filestore.New(s3c, s3.NewPresignClient(s3c), "espace-osc-dossiers-prod-123456789012"),
		PortalOrigin: "https://portal.test", Log: log,
		Now: func() time.Time { return time.Date(2024, 8, 20, 10, 0, 0, 0, time.UTC) },
	})
	rt := handler.New(svc, log)
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
	resp, err := rt.Serve(ctx, httpapitest.Load(b, "../handler/testdata/apply.json"))
	if err != nil || resp.StatusCode != 201 {
		b.Fatalf("apply: %d %v", resp.StatusCode, err)
	}
	m := tokenRe.FindStringSubmatch(sender.Sent()[0].Text)
	id, token := m[1], m[2]

	for _, c := range []struct{ name, file string }{{"PresignedPost", "../handler/testdata/documents.json"}, {"ReadCandidacy", "../handler/testdata/get.json"}} {
		b.Run(c.name, func(b *testing.B) {
			req := httpapitest.Load(b, c.file)
			req.PathParameters = map[string]string{"id": id}
			req.RawPath = strings.Replace(req.RawPath, "ID", id, 1)
			if h, ok := req.Headers["authorization"]; ok {
				req.Headers["authorization"] = strings.Replace(h, "TOKEN", token, 1)
			}
			if _, ok := req.QueryStringParameters["token"]; ok {
				req.QueryStringParameters["token"] = token
			}
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
