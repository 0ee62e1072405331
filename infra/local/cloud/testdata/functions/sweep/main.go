// Command sweep is a scheduled function: it answers with the event's source.
package main

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/aws/aws-lambda-go/lambda"
)

type scheduled struct {
	Source     string `json:"source"`
	DetailType string `json:"detail-type"`
}

func handle(_ context.Context, ev json.RawMessage) (map[string]string, error) {
	var s scheduled
	if err := json.Unmarshal(ev, &s); err != nil || s.DetailType != "Scheduled Event" {
		return nil, errors.New("not a scheduled event")
	}
	return map[string]string{"source": s.Source}, nil
}

func main() { lambda.Start(handle) }
