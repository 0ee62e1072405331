package cloud

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"testing"
)

// The portal's candidacy page posts documents from its own origin straight
// to S3 (a presigned POST), as the template's bucket CorsConfiguration
// allows: the local S3 must answer that browser request with CORS headers,
// or fetch() fails there although it works in AWS.
func TestLocalS3AnswersBrowserUploadsWithCORS(t *testing.T) {
	s, err := startS3(t.TempDir(), func(string, []byte) {})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.close() })
	if err := s.ensureBucket("espace-osc-dossiers-local"); err != nil {
		t.Fatal(err)
	}
	const origin = "http://127.0.0.1:8080"

	pre, err := http.NewRequest(http.MethodOptions, s.url+"/espace-osc-dossiers-local", nil)
	if err != nil {
		t.Fatal(err)
	}
	pre.Header.Set("Origin", origin)
	pre.Header.Set("Access-Control-Request-Method", "POST")
	resp, err := http.DefaultClient.Do(pre)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != origin && got != "*" {
		t.Errorf("preflight Access-Control-Allow-Origin = %q, want %s allowed", got, origin)
	}

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range map[string]string{"key": "candidacies/x/statuts/a.pdf", "Content-Type": "application/pdf"} {
		_ = mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "statuts.pdf")
	_, _ = fw.Write([]byte("%PDF-1.4\n%%EOF\n"))
	_ = mw.Close()
	post, err := http.NewRequest(http.MethodPost, s.url+"/espace-osc-dossiers-local", &body)
	if err != nil {
		t.Fatal(err)
	}
	post.Header.Set("Content-Type", mw.FormDataContentType())
	post.Header.Set("Origin", origin)
	resp, err = http.DefaultClient.Do(post)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		t.Fatalf("upload status = %d", resp.StatusCode)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != origin && got != "*" {
		t.Errorf("upload Access-Control-Allow-Origin = %q, want %s allowed", got, origin)
	}
	obj, err := s.backend.HeadObject("espace-osc-dossiers-local", "candidacies/x/statuts/a.pdf")
	if err != nil {
		t.Fatalf("the uploaded object is not there: %v", err)
	}
	if obj.Contents != nil {
		_ = obj.Contents.Close()
	}
}
