package calls

import (
	"context"
	"regexp"
	"time"

	"espaceosc/shared/outbox"
)

// Evaluation: administrators assign submitted candidacies to members of
// the independent selection committee (Cognito group "evaluators"); each
// evaluator sees only what is assigned to them, reads the dossier through
// short-lived links, scores every criterion of the call's grid with a
// comment, or declares a conflict of interest (recusal), after which their
// scores no longer count and they can no longer score that candidacy.

// EvaluationStatus is where one evaluator stands on one candidacy.
type EvaluationStatus string

const (
	EvaluationAssigned EvaluationStatus = "assigned" // not scored yet
	EvaluationScored   EvaluationStatus = "scored"   // scored (may be scored again while the call is evaluating)
	EvaluationRecused  EvaluationStatus = "recused"  // conflict of interest declared: final
)

// Score is one evaluator's score of one criterion.
type Score struct {
	Criterion string
	Score     int
	Comment   string
}

// Evaluation is one evaluator's assignment to one candidacy and what they
// made of it.
type Evaluation struct {
	CandidacyID string
	CallID      string
	Evaluator   string // the evaluator's Cognito sub
	Reference   string // the candidacy's reference (listings)
	Association string // the association's name (listings)
	Status      EvaluationStatus
	Scores      []Score // in the order of the call's criteria
	Reason      string  // recusal reason
	AssignedBy  string  // admin sub
	AssignedAt  time.Time
	ScoredAt    time.Time
	RecusedAt   time.Time
	ExpiresAt   time.Time // the candidacy's retention
	Version     int
}

// Counts reports whether the evaluation counts in the ranking: scored and not recused.
func (e Evaluation) Counts() bool { return e.Status == EvaluationScored && len(e.Scores) > 0 }

// Export records one export of a call's candidacies or one dossier ZIP.
type Export struct {
	ID     string
	CallID string
	// CandidacyID is set for a dossier ZIP.
	CandidacyID string
	Kind        string // "candidacies.csv" or "dossier.zip"
	By          string // admin sub
	At          time.Time
	Rows        int // rows of a CSV, documents of a ZIP
	Key         string
}

// Export kinds.
const (
	ExportCSV     = "candidacies.csv"
	ExportDossier = "dossier.zip"
)

// Selected is a selected association as published: no personal data.
type Selected struct {
	CallID      string
	CandidacyID string
	Sequence    int
	Name        string
	Acronym     string
	City        string
	Region      string
	Groups      []string // GT calls: working groups joined
}

// Membership makes a selected association a member of a working group.
type Membership struct {
	GroupID     string
	CandidacyID string
	CallID      string
	Name        string
	Acronym     string
	City        string
	Region      string
	Since       time.Time
}

// Result is the publication of one candidacy's outcome: recorded once,
// with its email, the public entry (selected only) and the working-group
// memberships in one transaction.
type Result struct {
	CallID      string
	CandidacyID string
	Outcome     Outcome
	At          time.Time
	ExpiresAt   time.Time
}

// EvaluationStore is what evaluation needs of the table.
type EvaluationStore interface {
	// CreateEvaluation records an assignment. It returns apperr.Conflict
	// when that evaluator is already assigned to that candidacy.
	CreateEvaluation(ctx context.Context, e Evaluation) error
	// GetEvaluation returns the evaluation of candidacyID by evaluator, or apperr.NotFound.
	GetEvaluation(ctx context.Context, candidacyID, evaluator string) (Evaluation, error)
	// UpdateEvaluation replaces an evaluation stored at prevVersion; apperr.Conflict otherwise.
	UpdateEvaluation(ctx context.Context, e Evaluation, prevVersion int) error
	// EvaluationsOf returns every evaluation of a candidacy.
	EvaluationsOf(ctx context.Context, candidacyID string) ([]Evaluation, error)
	// EvaluationsByEvaluator lists an evaluator's assignments, latest first, paged.
	EvaluationsByEvaluator(ctx context.Context, evaluator string, limit int, cursor string) ([]Evaluation, string, error)
	// EvaluationsOfCall lists every evaluation of a call's candidacies, paged.
	EvaluationsOfCall(ctx context.Context, callID string, limit int, cursor string) ([]Evaluation, string, error)
	// RecordExport records an export.
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

// ZipEntry is one file of a dossier ZIP: the object Key stored as Name.
type ZipEntry struct {
	Name string
	Key  string
}

// Files is the dossier bucket as evaluation and exports see it.
type Files interface {
	// PresignDownload returns a GET link of the object key valid for ttl.
	PresignDownload(ctx context.Context, key string, ttl time.Duration) (string, error)
	// PutExport stores body under key (offered for download as filename).
	PutExport(ctx context.Context, key, contentType, filename string, body []byte) error
	// Zip streams the objects of entries into one ZIP object stored under
	// key (offered as filename) and returns its size.
	Zip(ctx context.Context, key, filename string, entries []ZipEntry) (int64, error)
}

// Link lifetimes.
const (
	DocumentLinkTTL = 5 * time.Minute  // an evaluator's link to a document
	ExportLinkTTL   = 10 * time.Minute // an export's link (at most 15 minutes)
)

// Evaluation limits.
const (
	MaxEvaluatorsPerRequest = 10
	MaxCommentRunes         = 2000
	MaxReasonRunes          = 1000
)

// subRe accepts a Cognito sub (a UUID) and the local cloud's subjects.
var subRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$`)

// ValidSub reports whether s could be an evaluator's sub.
func ValidSub(s string) bool { return subRe.MatchString(s) }
