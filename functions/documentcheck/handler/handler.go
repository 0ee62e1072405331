// Package handler is the S3 event handler of DocumentCheckFunction: the
// dossier bucket calls it for every object created under candidacies/, and
// it checks each upload (calls.Service.CheckUpload).
package handler

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"

	"espaceosc/shared/apperr"
	"espaceosc/shared/calls"

	"github.com/aws/aws-lambda-go/events"
)

// Handler checks the objects of an S3 event.
type Handler struct {
	svc    *calls.Service
	bucket string
	log    *slog.Logger
}

// New returns the handler of the objects of the dossier bucket named bucket.
func New(svc *calls.Service, bucket string, log *slog.Logger) *Handler {
	return &Handler{svc: svc, bucket: bucket, log: log}
}

// Handle checks every record. Unlike an API handler it returns an error
// when a dependency failed, so that Lambda retries the (idempotent) event;
// records it cannot use are logged and skipped.
func (h *Handler) Handle(ctx context.Context, ev events.S3Event) error {
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
