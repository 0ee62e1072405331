// Command portal is PortalFunction: it serves the portal's pages and static
// assets (FR and AR), embedded in the binary. It needs no AWS client.
// AUTH_DOMAIN and AUTH_CLIENT_ID (optional) turn on the administrators'
// sign-in through Cognito managed login; UPLOAD_ORIGIN (optional) lets the
// candidacy page upload documents to the dossier bucket (CSP connect-src).
package main

import (
	"embed"
	"fmt"
	"io/fs"
	"os"

	"espaceosc/shared/httpapi"

	"github.com/aws/aws-lambda-go/lambda"
)

//go:embed site
var embedded embed.FS

func main() {
	root, err := fs.Sub(embedded, "site")
	if err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
	auth, err := ParseAuth(os.Getenv("AUTH_DOMAIN"), os.Getenv("AUTH_CLIENT_ID"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
	upload, err := ParseUploadOrigin(os.Getenv("UPLOAD_ORIGIN"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
	site, err := LoadSite(root, auth)
	if err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
	site.UploadOrigin = upload
	h := NewHandler(site, httpapi.NewLogger(nil))
	lambda.Start(h.Serve)
}
