// Package calls is the "appels à candidature" capability: administrators
// publish calls for applications (Copil seats, working groups), associations
// apply without an account, upload their dossier (PDF documents) straight to
// the dossier bucket through presigned POSTs, which a check verifies, submit
// it before the deadline with the call's next sequential reference and
// receive a receipt (récépissé) with each document's size and SHA-256. Then
// an independent committee evaluates the dossiers assigned to its members,
// administrators rank them, decide, export and publish the results, which
// are emailed to every candidate.
//
// The package holds the domain types, their validation and rules, the views
// the API shows, the emails, the service and the interfaces it needs (Store,
// Mailer, Uploads, Files). It imports no AWS package: shared/ddbstore/callsdb,
// shared/filestore and the outbox implement them.
package calls

import (
	"fmt"
	"strings"
	"time"

	"espaceosc/shared/i18n"
)

// Kind is what a call recruits for.
type Kind string

const (
	// KindCopil recruits civil-society members of the steering committee.
	KindCopil Kind = "copil"
	// KindGT recruits members of thematic or territorial working groups.
	KindGT Kind = "gt"
)

// Kinds lists every kind.
var Kinds = []string{string(KindCopil), string(KindGT)}

// Status is where a call stands. Transitions go forward only:
// draft → open → closed → evaluating → results_published.
type Status string

const (
	StatusDraft            Status = "draft"             // being written; not public
	StatusOpen             Status = "open"              // public; accepts candidacies between OpensAt and ClosesAt
	StatusClosed           Status = "closed"            // public; no more candidacies
	StatusEvaluating       Status = "evaluating"        // the selection committee scores the dossiers
	StatusResultsPublished Status = "results_published" // the selection is public
)

// Statuses lists every call status, in order.
var Statuses = []string{string(StatusDraft), string(StatusOpen), string(StatusClosed), string(StatusEvaluating), string(StatusResultsPublished)}

// PublicStatuses are the statuses a public listing may ask for.
var PublicStatuses = []string{string(StatusOpen), string(StatusClosed), string(StatusEvaluating), string(StatusResultsPublished)}

// Field limits (characters unless said otherwise).
const (
	TitleMin, TitleMax     = 3, 200
	DescriptionMax         = 10000
	EligibilityMax         = 5000
	LabelMax               = 200
	MaxDocuments           = 20
	MaxCriteria            = 20
	MaxWorkingGroups       = 30
	SeatsMax               = 1000
	NameMin, NameMax       = 2, 200
	AcronymMax             = 30
	RegistrationMax        = 60
	CityMax                = 100
	URLMax                 = 300
	RoleMax                = 100
	MotivationMax          = 5000
	MotivationMin          = 50
	PhoneMin, PhoneMax     = 6, 25
	MaxThematicAreas       = 11
	YearFoundedMin         = 1900
	IDMin, IDMax           = 3, 60
	DocumentTypeMax        = 40
	CriterionWeightMax     = 100
	CriterionMaxScoreLimit = 100
)

// DocumentSpec is one document of a call's dossier.
type DocumentSpec struct {
	Type     string // slug: lowercase letters, digits and underscores, e.g. "statuts"
	Label    i18n.Text
	Required bool
	MaxBytes int64 // at most MaxDocumentBytes; DefaultDocumentBytes when not given
}

// Document sizes.
const (
	DefaultDocumentBytes int64 = 10 << 20
	MaxDocumentBytes     int64 = 50 << 20
)

// Criterion is one line of the scoring grid.
type Criterion struct {
	ID       string // slug, e.g. "experience"
	Label    i18n.Text
	Weight   int // relative weight (1..100)
	MaxScore int // scores go from 0 to MaxScore (1..100)
}

// WorkingGroup is a working group a GT call recruits for.
type WorkingGroup struct {
	ID   string // slug, e.g. "transparence" or "region-souss-massa"
	Name i18n.Text
}

// Call is a call for applications.
type Call struct {
	ID            string // slug chosen by the admin or generated; immutable
	Kind          Kind
	Title         i18n.Text
	Description   i18n.Text
	Eligibility   i18n.Text      // may be written in one language only
	WorkingGroups []WorkingGroup // GT calls only (at least one)
	OpensAt       time.Time      // UTC; shown in Africa/Casablanca
	ClosesAt      time.Time      // UTC; after it, nothing changes a candidacy
	Seats         int
	Documents     []DocumentSpec
	Criteria      []Criterion
	Status        Status
	CreatedAt     time.Time
	UpdatedAt     time.Time
	Version       int // incremented by every update (optimistic locking)
}

// Accepting reports whether the call takes candidacies, uploads, edits,
// submissions and withdrawals at now (the server's clock).
func (c Call) Accepting(now time.Time) bool {
	return c.Status == StatusOpen && !now.Before(c.OpensAt) && now.Before(c.ClosesAt)
}

// Document returns the spec of the document type typ.
func (c Call) Document(typ string) (DocumentSpec, bool) {
	for _, d := range c.Documents {
		if d.Type == typ {
			return d, true
		}
	}
	return DocumentSpec{}, false
}

// HasWorkingGroup reports whether id is one of the call's working groups.
func (c Call) HasWorkingGroup(id string) bool {
	for _, g := range c.WorkingGroups {
		if g.ID == id {
			return true
		}
	}
	return false
}

// ReferencePrefix is the start of the references of c's candidacies:
// the kind in upper case and the year the call opens (Casablanca time),
// e.g. "COPIL-2024".
func (c Call) ReferencePrefix() string {
	return strings.ToUpper(string(c.Kind)) + "-" + c.OpensAt.In(i18n.Casablanca).Format("2006")
}

// FormatReference returns a reference such as COPIL-2024-0007.
func FormatReference(c Call, seq int) string {
	return fmt.Sprintf("%s-%04d", c.ReferencePrefix(), seq)
}
