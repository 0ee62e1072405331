package calls

import (
	"context"
	"time"

	"espaceosc/shared/idempotency"
	"espaceosc/shared/outbox"
)

// CallStore is what the capability needs of the table for calls.
type CallStore interface {
	// CreateCall writes a new call. It returns apperr.Conflict when the id is
	// taken and apperr.Unavailable when the table is down.
	CreateCall(ctx context.Context, c Call) error
	// GetCall returns the call id, or apperr.NotFound.
	GetCall(ctx context.Context, id string) (Call, error)
	// ListCalls returns up to limit calls with status (all calls, newest
	// created first, when status is ""; by opening time, latest first,
	// otherwise) and the next page's cursor ("" on the last). A bad cursor
	// is apperr.Invalid (field "cursor").
	ListCalls(ctx context.Context, status Status, limit int, cursor string) ([]Call, string, error)
	// UpdateCall replaces the stored call, whose version must still be
	// prevVersion. It returns apperr.Conflict when the version changed
	// meanwhile or the call is gone.
	UpdateCall(ctx context.Context, c Call, prevVersion int) error
}

// CandidacyStore is what the capability needs of the table for candidacies.
type CandidacyStore interface {
	idempotency.Store
	// CreateCandidacy writes a new candidacy, its email (the private link)
	// and, when rec is not nil, the idempotency record in one transaction
	// (all or nothing). It returns an error wrapping idempotency.ErrRecorded
	// when rec's key already has a record, apperr.Conflict when the id is
	// taken and apperr.Unavailable when the table is down.
	CreateCandidacy(ctx context.Context, c Candidacy, email outbox.Email, rec *idempotency.Record) error
	// GetCandidacy returns the candidacy id, or apperr.NotFound.
	GetCandidacy(ctx context.Context, id string) (Candidacy, error)
	// ListCandidacies returns up to limit candidacies of a call (all, or
	// those with status if not empty), newest first, and the next page's
	// cursor ("" on the last). A bad cursor is apperr.Invalid.
	ListCandidacies(ctx context.Context, callID string, status CandidacyStatus, limit int, cursor string) ([]Candidacy, string, error)
	// UpdateCandidacy replaces the stored candidacy, whose version must still
	// be prevVersion, and records email (if not nil) in the same
	// transaction. It returns apperr.Conflict when the version changed
	// meanwhile or the candidacy is gone.
	UpdateCandidacy(ctx context.Context, c Candidacy, prevVersion int, email *outbox.Email) error
	// SubmitCandidacy gives a draft candidacy of callID, stored at
	// prevVersion, the next number of the call's sequence: it reads the
	// call's counter (n submissions so far), calls build(n+1) for the
	// submitted candidacy and its receipt email, and writes both with the
	// counter set to n+1 in one transaction conditioned on the counter
	// still being n and the candidacy on prevVersion. When another
	// submission took n+1 first it reads the counter again and retries, so
	// numbers have no gaps and no repeats. It returns apperr.Conflict when
	// the candidacy changed meanwhile, build's error as is, and
	// apperr.Unavailable when the table is down or the retries ran out.
	SubmitCandidacy(ctx context.Context, callID string, prevVersion int, build func(seq int) (Candidacy, outbox.Email, error)) (Candidacy, error)
}

// Store is the whole table as the capability sees it.
type Store interface {
	CallStore
	CandidacyStore
}

// UploadForm is a presigned POST: the browser sends Fields, then the file
// (form field "file", last) as multipart/form-data to URL.
type UploadForm struct {
	URL       string
	Fields    map[string]string
	ExpiresAt time.Time
}

// Uploads is the dossier bucket.
type Uploads interface {
	// PresignUpload signs a POST that can only create the object key, with
	// Content-Type application/pdf and 1..maxBytes bytes, valid for ttl.
	PresignUpload(ctx context.Context, key string, maxBytes int64, ttl time.Duration) (UploadForm, error)
	// Inspect reads the object key: its size and its first bytes (up to
	// n). It returns apperr.NotFound when the object is gone.
	Inspect(ctx context.Context, key string, n int) (size int64, head []byte, err error)
	// Digest streams the object key and returns its SHA-256 (hex) and size.
	// It returns apperr.NotFound when the object is gone.
	Digest(ctx context.Context, key string) (sha256Hex string, size int64, err error)
	// Delete deletes the object key (every version is left to the bucket's
	// lifecycle). Deleting a missing object is not an error.
	Delete(ctx context.Context, key string) error
}

// Deliverer sends an email recorded in the outbox (outbox.Outbox).
type Deliverer interface {
	// Deliver sends e if nobody else has; failures leave it to the sweeper.
	Deliver(ctx context.Context, e outbox.Email) error
}
