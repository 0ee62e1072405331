package calls

import (
	"regexp"
	"time"
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
