// Command echo answers with its PID, environment and the event it received.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
)

func handle(_ context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	switch ev.RawPath {
	case "/echo/sleep":
		time.Sleep(3 * time.Second)
	case "/echo/crash":
		os.Exit(3)
	case "/echo/error":
		return events.APIGatewayV2HTTPResponse{}, errors.New("boom")
	case "/echo/binary":
		return events.APIGatewayV2HTTPResponse{StatusCode: 201, Body: "AAEC", IsBase64Encoded: true,
			Headers: map[string]string{"Content-Type": "application/octet-stream"}, Cookies: []string{"a=1", "b=2"}}, nil
	case "/echo/slow":
		time.Sleep(200 * time.Millisecond)
	}
	body, _ := json.Marshal(map[string]any{
		"pid":      os.Getpid(),
		"greeting": os.Getenv("GREETING"),
		"table":    os.Getenv("TABLE_NAME"),
		"bucket":   os.Getenv("BUCKET"),
		"origin":   os.Getenv("PORTAL_ORIGIN"),
		"memory":   os.Getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"),
		"event":    ev,
	})
	return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: string(body), Headers: map[string]string{"Content-Type": "application/json"}}, nil
}

func main() { lambda.Start(handle) }
