package calls

import (
	"context"
	"errors"
	"io"
	"time"

	"espaceosc/shared/i18n"
	"espaceosc/shared/idempotency"
	"espaceosc/shared/outbox"
)

// Store is what the service needs of the table (ddbstore/callsdb). Its
// methods return apperr codes only (NotFound, Conflict, Unavailable,
// Invalid for a bad cursor) or the sentinel errors below; the service
// chooses what the user reads.
type Store interface {
	idempotency.Store

	// CreateCall writes a new call. It returns apperr.Conflict when the id is
	// taken.
	CreateCall(ctx context.Context, c Call) error
	// GetCall returns the call id, or apperr.NotFound.
	GetCall(ctx context.Context, id string) (Call, error)
	// ListCalls returns up to limit calls with status (all calls, newest
	// created first, when status is ""; by opening time, latest first,
	// otherwise) and the next page's cursor ("" on the last).
	ListCalls(ctx context.Context, status Status, limit int, cursor string) ([]Call, string, error)
	// UpdateCall replaces the stored call, whose version must still be
	// prevVersion. It returns apperr.Conflict when the version changed
	// meanwhile or the call is gone.
	UpdateCall(ctx context.Context, c Call, prevVersion int) error

	// CreateCandidacy writes a new candidacy, its email (the private link)
	// and, when rec is not nil, the idempotency record in one transaction
	// (all or nothing). It returns an error wrapping idempotency.ErrRecorded
	// when rec's key already has a record, apperr.Conflict when the id is
	// taken.
	CreateCandidacy(ctx context.Context, c Candidacy, email outbox.Email, rec *idempotency.Record) error
	// GetCandidacy returns the candidacy id (strongly consistent: the upload
	// check must see the upload just signed), or apperr.NotFound.
	GetCandidacy(ctx context.Context, id string) (Candidacy, error)
	// ListCandidacies returns up to limit candidacies of a call (all, or
	// those with status if not empty), newest first, and the next page's
	// cursor ("" on the last).
	ListCandidacies(ctx context.Context, callID string, status CandidacyStatus, limit int, cursor string) ([]Candidacy, string, error)
	// UpdateCandidacy replaces the stored candidacy, whose version must still
	// be prevVersion, and records email (if not nil) in the same
	// transaction. It returns apperr.Conflict when the version changed
	// meanwhile or the candidacy is gone.
	UpdateCandidacy(ctx context.Context, c Candidacy, prevVersion int, email *outbox.Email) error

	// GetCounter reads the reference counter of callID, strongly consistent
	// (the zero Counter when no reference was given yet).
	GetCounter(ctx context.Context, callID string) (Counter, error)
	// TakeLease gives the counter's lease to owner until until, on condition
	// that the counter is still at seq and its lease is free, expired at now
	// or already owner's. It returns apperr.Conflict when it is not.
	TakeLease(ctx context.Context, callID string, seq int, owner string, until, now time.Time) error
	// ReleaseLease frees owner's lease of a counter still at seq (nothing if
	// it is not owner's any more).
	ReleaseLease(ctx context.Context, callID string, seq int, owner string) error
	// SubmitCandidacy writes, in one transaction, c (submitted with the
	// reference number c.Sequence; the stored one must be a draft at
	// prevVersion), the counter of c.CallID moved from prevSeq to c.Sequence
	// with no lease (on condition that it is at prevSeq and leased to owner),
	// and the receipt. It returns apperr.Conflict when the candidacy changed
	// meanwhile, and ErrCounterMoved when the counter did (owner's lease
	// expired and someone else numbered a candidacy).
	SubmitCandidacy(ctx context.Context, c Candidacy, prevVersion, prevSeq int, owner string, receipt outbox.Email) error

	// CreateEvaluation records an assignment. It returns apperr.Conflict
	// when that evaluator is already assigned to that candidacy.
	CreateEvaluation(ctx context.Context, e Evaluation) error
	// GetEvaluation returns the evaluation of candidacyID by evaluator
	// (strongly consistent), or apperr.NotFound.
	GetEvaluation(ctx context.Context, candidacyID, evaluator string) (Evaluation, error)
	// UpdateEvaluation replaces an evaluation stored at prevVersion; it
	// returns apperr.Conflict otherwise.
	UpdateEvaluation(ctx context.Context, e Evaluation, prevVersion int) error
	// EvaluationsOf returns every evaluation of a candidacy.
	EvaluationsOf(ctx context.Context, candidacyID string) ([]Evaluation, error)
	// EvaluationsByEvaluator lists an evaluator's assignments, latest first,
	// and the next page's cursor.
	EvaluationsByEvaluator(ctx context.Context, evaluator string, limit int, cursor string) ([]Evaluation, string, error)
	// EvaluationsOfCall lists the evaluations of a call's candidacies and
	// the next page's cursor.
	EvaluationsOfCall(ctx context.Context, callID string, limit int, cursor string) ([]Evaluation, string, error)

	// RecordExport records who exported what and when.
	RecordExport(ctx context.Context, x Export) error
	// RecordResult records the publication of one candidacy's outcome with
	// its email, its public entry (if selected is not nil) and its
	// memberships, in one transaction. It returns apperr.Conflict when the
	// result was already recorded (nothing written).
	RecordResult(ctx context.Context, r Result, email outbox.Email, selected *Selected, members []Membership) error
	// SelectedOf lists the published selection of a call, by reference.
	SelectedOf(ctx context.Context, callID string) ([]Selected, error)
	// MembersOf lists the members of a working group.
	MembersOf(ctx context.Context, groupID string) ([]Membership, error)
}

// ErrCounterMoved is returned (wrapped) by Store.SubmitCandidacy when the
// call's counter is no longer where the submission read it: read it again.
var ErrCounterMoved = errors.New("reference counter moved")

// Mailer composes the capability's emails and delivers them once they are
// recorded (outbox.Outbox).
type Mailer interface {
	// Compose returns the email of kind to `to`, rendered from data when sent.
	Compose(to string, lang i18n.Lang, kind, refID string, data any) (outbox.Email, error)
	// Deliver sends e if nobody else has; failures leave it to the sweeper.
	Deliver(ctx context.Context, e outbox.Email) error
}

// Uploads is the dossier bucket as the association's uploads and their
// check use it (filestore.Bucket). A missing object is apperr.NotFound.
type Uploads interface {
	// PresignUpload signs a browser POST that can only create the object
	// key, of contentType and 1..maxBytes bytes, valid for ttl: the form's
	// URL and fields, and when it expires.
	PresignUpload(ctx context.Context, key, contentType string, maxBytes int64, ttl time.Duration) (url string, fields map[string]string, expires time.Time, err error)
	// Inspect returns the size of the object key and its first n bytes.
	Inspect(ctx context.Context, key string, n int) (size int64, head []byte, err error)
	// Digest streams the object key at version ("" for the latest) through
	// SHA-256: the hex digest, the size and the version read.
	Digest(ctx context.Context, key, version string) (sum string, size int64, readVersion string, err error)
	// Delete deletes the object key; a missing one is no error.
	Delete(ctx context.Context, key string) error
}

// Files is the dossier bucket as evaluation and exports use it
// (filestore.Bucket). A missing object is apperr.NotFound.
type Files interface {
	// PresignGet returns a GET link to the object key at version ("" for
	// the latest) valid for ttl; with a filename, a download under it.
	PresignGet(ctx context.Context, key, version, filename string, ttl time.Duration) (string, error)
	// Read opens the object key at version ("" for the latest): its body
	// (closed by the caller), size and last modification.
	Read(ctx context.Context, key, version string) (body io.ReadCloser, size int64, modified time.Time, err error)
	// Put stores size bytes of body under key, served as a download named
	// filename.
	Put(ctx context.Context, key, contentType, filename string, body io.Reader, size int64) error
}

// Evaluator is a member of the evaluators group: who an administrator
// assigns a candidacy to.
type Evaluator struct {
	Sub   string // the identity's subject, as the evaluator's JWT carries it
	Name  string
	Email string
}

// Directory is the staff directory (the user pool's evaluators group).
type Directory interface {
	// Evaluators returns every enabled member of the evaluators group;
	// apperr.Unavailable when the directory cannot answer now.
	Evaluators(ctx context.Context) ([]Evaluator, error)
}
