// Command portal is PortalFunction: it serves the portal's pages and static
// assets (FR and AR), embedded in the binary. It needs no AWS client.
// AUTH_DOMAIN and AUTH_CLIENT_ID (optional) turn on the administrators'
// sign-in through Cognito managed login; UPLOAD_ORIGIN (optional) lets the
// candidacy page upload documents to the dossier bucket (CSP connect-src).
package main

import (
	"fmt"
	"os"

	"espaceosc/functions/portal/handler"
	"espaceosc/shared/httpapi"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	h, err := handler.New(handler.Config{
		AuthDomain: os.Getenv("AUTH_DOMAIN"), AuthClientID: os.Getenv("AUTH_CLIENT_ID"),
		UploadOrigin: os.Getenv("UPLOAD_ORIGIN"),
	}, httpapi.NewLogger(nil))
	if err != nil {
		fmt.Fprintln(os.Stderr, "portal:", err)
		os.Exit(1)
	}
	lambda.Start(h.Serve)
}
