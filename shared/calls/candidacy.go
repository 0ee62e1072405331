package calls

import (
	"time"

	"espaceosc/shared/i18n"
)

// CandidacyStatus is where a candidacy stands.
type CandidacyStatus string

const (
	// CandidacyDraft is editable by the association until the call closes.
	CandidacyDraft CandidacyStatus = "draft"
	// CandidacySubmitted is read-only and has its reference.
	CandidacySubmitted CandidacyStatus = "submitted"
	// CandidacyWithdrawn was withdrawn by the association (before closing);
	// a submitted one keeps its reference, so references have no gaps.
	CandidacyWithdrawn CandidacyStatus = "withdrawn"
)

// CandidacyStatuses lists every candidacy status.
var CandidacyStatuses = []string{string(CandidacyDraft), string(CandidacySubmitted), string(CandidacyWithdrawn)}

// Outcome is the selection committee's decision on a submitted candidacy
// ("" until decided). Set by the evaluation capability.
type Outcome string

const (
	OutcomeNone        Outcome = ""
	OutcomeSelected    Outcome = "selected"
	OutcomeReserve     Outcome = "reserve"
	OutcomeNotSelected Outcome = "not_selected"
)

// Outcomes lists the decisions an admin can take.
var Outcomes = []string{string(OutcomeSelected), string(OutcomeReserve), string(OutcomeNotSelected)}

// DocumentStatus is where one document of a dossier stands.
type DocumentStatus string

const (
	DocumentMissing  DocumentStatus = "missing"  // nothing uploaded yet
	DocumentPending  DocumentStatus = "pending"  // an upload was signed; the check has not run yet
	DocumentVerified DocumentStatus = "verified" // checked: a PDF within the size limit
	DocumentRejected DocumentStatus = "rejected" // checked and refused (Reason); the object was deleted
)

// Rejection reasons (i18n message keys).
const (
	ReasonNotPDF   = "calls.reason_not_pdf"
	ReasonTooLarge = "calls.reason_too_large"
	ReasonEmpty    = "calls.reason_empty"
)

// Document is one uploaded (or expected) document of a candidacy.
type Document struct {
	Type   string
	Status DocumentStatus
	// Key is the S3 key of the verified object ("" otherwise).
	Key string
	// PendingKey is the key of the last signed upload not checked yet. A
	// newer upload of the same type replaces the verified one once it is
	// checked; the check deletes the object it replaces.
	PendingKey string
	Size       int64  // bytes of the verified object
	SHA256     string // hex, of the verified object (listed in the receipt)
	Reason     string // rejection reason (message key) when rejected
	SignedAt   time.Time
	CheckedAt  time.Time
}

// Association is the applicant. No national ID (CIN) number is collected
// (loi 09-08: it needs the CNDP's prior authorisation).
type Association struct {
	Name               string
	Acronym            string
	LegalForm          string // one of LegalForms
	RegistrationNumber string // récépissé number
	YearFounded        int
	Region             string // one of Regions
	City               string
	Website            string
	Email              string // receives the private link and the receipt
	Phone              string
}

// Representative is the person who represents the association.
type Representative struct {
	Name  string
	Role  string
	Email string
}

// Consent is the loi 09-08 consent given with a candidacy.
type Consent struct {
	Given         bool
	At            time.Time
	NoticeVersion string
}

// Candidacy is an association's application to a call.
type Candidacy struct {
	ID             string
	CallID         string
	Reference      string // e.g. COPIL-2024-0007, set on submission
	Sequence       int    // the reference's number, set on submission
	Status         CandidacyStatus
	Association    Association
	Representative Representative
	ThematicAreas  []string // among ThematicAreas
	WorkingGroups  []string // GT calls: ids of the call's working groups applied for
	Motivation     string
	Lang           i18n.Lang // of the association's emails
	Consent        Consent
	// Documents holds the documents signed or uploaded so far, at most one
	// per type; views merge them with the call's DocumentSpecs (a type with
	// no entry is DocumentMissing).
	Documents   []Document
	Outcome     Outcome // set by the evaluation capability
	TokenHash   string  // SHA-256 (hex) of the private token; the token itself is never stored
	CreatedAt   time.Time
	UpdatedAt   time.Time
	SubmittedAt time.Time
	WithdrawnAt time.Time
	ExpiresAt   time.Time // retention: the call's closing + Retention
	Version     int       // incremented by every update (optimistic locking)
}

// Counter is a call's reference counter: Seq references were given so far.
// While a submission numbers a candidacy it holds the counter's lease
// (Owner, until Until), so that the others wait instead of running
// transactions bound to fail; the counter's value, not the lease, is what
// keeps references unique and gapless.
type Counter struct {
	Seq   int
	Owner string    // "" when nobody holds the lease
	Until time.Time // the lease's end
}

// Leased reports whether someone other than owner holds c's lease at now.
func (c Counter) Leased(owner string, now time.Time) bool {
	return c.Owner != "" && c.Owner != owner && now.Before(c.Until)
}

// Retention is how long a candidacy (personal data) is kept after its
// call closes: the mandate (three years) and the time to contest it.
const Retention = 5 * 365 * 24 * time.Hour

// Document returns the candidacy's document of type typ and its index.
func (c Candidacy) Document(typ string) (Document, int, bool) {
	for i, d := range c.Documents {
		if d.Type == typ {
			return d, i, true
		}
	}
	return Document{}, -1, false
}

// ThematicAreas an association can work on.
var ThematicAreas = []string{
	"transparency", "participation", "integrity", "accountability", "open_justice",
	"open_data", "public_services", "gender_equality", "youth", "environment", "local_governance",
}

// LegalForms of applicants.
var LegalForms = []string{"association", "federation", "network", "foundation", "cooperative"}

// Regions of Morocco (2015 division).
var Regions = []string{
	"tanger-tetouan-al-hoceima", "oriental", "fes-meknes", "rabat-sale-kenitra", "beni-mellal-khenifra",
	"casablanca-settat", "marrakech-safi", "draa-tafilalet", "souss-massa", "guelmim-oued-noun",
	"laayoune-sakia-el-hamra", "dakhla-oued-ed-dahab",
}
