package e2e

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

// BenchmarkCandidacyThroughTheCloud measures, through the local gateway and
// the functions' real binaries: RequestUpload, the request → presigned POST
// latency (POST /api/candidacies/{id}/documents); Read, GET of the
// candidacy for comparison; UploadChecked1MiB, a 1 MiB browser upload to
// the local S3 until the S3-triggered check has verified it (polled every
// 5 ms, so the figure is rounded up to that).
func BenchmarkCandidacyThroughTheCloud(b *testing.B) {
	now := time.Now()
	callID := createOpenCall(b, lc, callBody(fmt.Sprintf("copil-bench-%d", now.UnixNano()%1e6), now.Add(-time.Hour), now.Add(time.Hour)))
	cand := applyOn(b, lc, callID, application("bench@example.org", "fr"))
	b.Run("RequestUpload", func(b *testing.B) {
		for b.Loop() {
			r := doOn(b, lc, call{method: "POST", path: "/api/candidacies/" + cand.id + "/documents", body: map[string]string{"type": "statuts"}, token: cand.token})
			expectStatus(b, r, http.StatusOK)
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/request")
	})
	b.Run("Read", func(b *testing.B) {
		for b.Loop() {
			expectStatus(b, doOn(b, lc, call{method: "GET", path: "/api/candidacies/" + cand.id, token: cand.token}), http.StatusOK)
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/request")
	})
	pdf := minimalPDF("benchmark", 1<<20)
	b.Run("UploadChecked1MiB", func(b *testing.B) {
		b.SetBytes(int64(len(pdf)))
		for b.Loop() {
			key := upload(b, lc, cand, "statuts", "statuts.pdf", pdf)
			deadline := time.Now().Add(30 * time.Second)
			for {
				d := getCandidacy(b, lc, cand, "fr").Documents[0]
				if d.Status == "verified" && !d.ReplacementPending && d.Size == int64(len(pdf)) && objectExists(b, lc, key) {
					break
				}
				if time.Now().After(deadline) {
					b.Fatalf("upload never verified: %+v", d)
				}
				time.Sleep(5 * time.Millisecond)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/upload")
	})
}
