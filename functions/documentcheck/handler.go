package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"

	"github.com/aws/aws-lambda-go/events"
)

// handler checks the objects of an S3 event.
type handler struct {
	svc    *calls.Service
	bucket string
	log    *slog.Logger
}

func newHandler(svc *calls.Service, bucket string, log *slog.Logger) *handler {
	return &handler{svc: svc, bucket: bucket, log: log}
}

// Handle checks every record. Unlike an API handler it returns an error
// when a dependency failed, so that Lambda retries the (idempotent) event;
// records it cannot use are logged and skipped.
func (h *handler) Handle(ctx context.Context, ev events.S3Event) error {
	var failed int
	for _, rec := range ev.Records {
		if rec.S3.Bucket.Name != h.bucket {
			h.log.Warn("event from another bucket ignored", "bucket", rec.S3.Bucket.Name)
			continue
		}
		// S3 URL-encodes keys in events (form encoding: a space is "+").
		key, err := url.QueryUnescape(rec.S3.Object.Key)
		if err != nil {
			h.log.Warn("undecodable key ignored")
			continue
		}
		res, err := h.svc.CheckUpload(ctx, key)
		if err != nil {
			failed++
			h.log.Error("upload check failed", "code", apperr.CodeOf(err), "error", err.Error())
			continue
		}
		h.log.Info("upload checked", "result", res, "size", rec.S3.Object.Size, "event", rec.EventName)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d uploads not checked", failed, len(ev.Records))
	}
	return nil
}
