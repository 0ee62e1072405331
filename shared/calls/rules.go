package calls

import (
	"bytes"
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/validate"
)

// The capability's rules that need no store: how a call's status moves,
// what may change when, what a candidacy needs to be submitted, what the
// upload check accepts, and how scores add up and rank.

// rank orders statuses for transitions.
func (s Status) rank() int {
	for i, v := range Statuses {
		if string(s) == v {
			return i
		}
	}
	return -1
}

// transition allows a call to move from one status to the next one (or to
// stay where it is).
func transition(from, to Status) error {
	if from != to && to.rank() != from.rank()+1 {
		return apperr.New(apperr.Conflict, "calls.bad_transition")
	}
	return nil
}

// editable allows editing a call (to kind) while it is a draft or open; an
// open call keeps its kind.
func editable(c Call, kind Kind) error {
	if c.Status != StatusDraft && c.Status != StatusOpen {
		return apperr.New(apperr.Conflict, "calls.not_editable")
	}
	if kind != c.Kind && c.Status != StatusDraft {
		var fs apperr.Fields
		fs.Add("kind", "calls.kind_frozen", nil)
		return fs.Err()
	}
	return nil
}

// guardDraft refuses changes to a candidacy that is not an editable draft.
func guardDraft(c Candidacy, call Call, now time.Time) error {
	if c.Status != CandidacyDraft {
		return errNotDraft
	}
	if !call.Accepting(now) {
		return notAccepting(call)
	}
	return nil
}

// incomplete lists what keeps c from being submitted: a 409 with one error
// per missing field and per required document not verified.
func incomplete(c Candidacy, call Call, now time.Time) error {
	var fs apperr.Fields
	checkDraft(&fs, c, call, now)
	checkComplete(&fs, c, call)
	for _, spec := range call.Documents {
		if !spec.Required {
			continue
		}
		d, _, _ := c.Document(spec.Type)
		switch d.documentStatus() {
		case DocumentVerified:
		case DocumentPending:
			fs.Add("documents."+spec.Type, "calls.document_pending", nil)
		case DocumentRejected:
			fs.Add("documents."+spec.Type, "calls.document_rejected", nil)
		default:
			fs.Add("documents."+spec.Type, "calls.document_missing", nil)
		}
	}
	if len(fs) == 0 {
		return nil
	}
	return &apperr.Error{Code: apperr.Conflict, Key: "calls.incomplete", Fields: fs}
}

// checkDraft validates a candidacy's fields as a draft may hold them:
// formats everywhere, presence only of what a draft needs.
func checkDraft(fs *apperr.Fields, c Candidacy, call Call, now time.Time) {
	a := c.Association
	validate.Text(fs, "association.name", a.Name, NameMin, NameMax, true)
	validate.Text(fs, "association.acronym", a.Acronym, 0, AcronymMax, true)
	if a.LegalForm != "" {
		validate.OneOf(fs, "association.legalForm", a.LegalForm, LegalForms...)
	}
	validate.Text(fs, "association.registrationNumber", a.RegistrationNumber, 0, RegistrationMax, true)
	if a.YearFounded != 0 && (a.YearFounded < YearFoundedMin || a.YearFounded > now.Year()) {
		fs.Add("association.yearFounded", "range", map[string]any{"min": YearFoundedMin, "max": now.Year()})
	}
	if a.Region != "" {
		validate.OneOf(fs, "association.region", a.Region, Regions...)
	}
	validate.Text(fs, "association.city", a.City, 0, CityMax, true)
	if a.Website != "" {
		validate.URL(fs, "association.website", a.Website, URLMax)
	}
	validate.Email(fs, "association.email", a.Email)
	if a.Phone != "" && validate.Text(fs, "association.phone", a.Phone, PhoneMin, PhoneMax, true) && !phoneRe.MatchString(a.Phone) {
		fs.Add("association.phone", "calls.phone", nil)
	}
	r := c.Representative
	validate.Text(fs, "representative.name", r.Name, NameMin, NameMax, true)
	validate.Text(fs, "representative.role", r.Role, 0, RoleMax, true)
	validate.Email(fs, "representative.email", r.Email)
	if len(c.ThematicAreas) > MaxThematicAreas {
		fs.Add("thematicAreas", "calls.too_many", map[string]any{"max": MaxThematicAreas})
	}
	for i, t := range c.ThematicAreas {
		f := "thematicAreas[" + strconv.Itoa(i) + "]"
		if validate.OneOf(fs, f, t, ThematicAreas...) && slices.Index(c.ThematicAreas, t) != i {
			fs.Add(f, "calls.duplicate", nil)
		}
	}
	if call.Kind == KindCopil && len(c.WorkingGroups) > 0 {
		fs.Add("workingGroups", "calls.copil_no_groups", nil)
	}
	for i, g := range c.WorkingGroups {
		f := "workingGroups[" + strconv.Itoa(i) + "]"
		switch {
		case !call.HasWorkingGroup(g):
			fs.Add(f, "calls.unknown_group", nil)
		case slices.Index(c.WorkingGroups, g) != i:
			fs.Add(f, "calls.duplicate", nil)
		}
	}
	validate.Text(fs, "motivation", c.Motivation, 0, MotivationMax, false)
}

// checkComplete adds what a submission needs beyond a valid draft.
func checkComplete(fs *apperr.Fields, c Candidacy, call Call) {
	a := c.Association
	required := []struct {
		field string
		empty bool
	}{
		{"association.legalForm", a.LegalForm == ""},
		{"association.registrationNumber", strings.TrimSpace(a.RegistrationNumber) == ""},
		{"association.yearFounded", a.YearFounded == 0},
		{"association.region", a.Region == ""},
		{"association.city", strings.TrimSpace(a.City) == ""},
		{"association.phone", strings.TrimSpace(a.Phone) == ""},
		{"representative.role", strings.TrimSpace(c.Representative.Role) == ""},
		{"thematicAreas", len(c.ThematicAreas) == 0},
		{"workingGroups", call.Kind == KindGT && len(c.WorkingGroups) == 0},
	}
	for _, r := range required {
		if r.empty && !fs.Has(r.field) {
			fs.Add(r.field, "required", nil)
		}
	}
	validate.Text(fs, "motivation", c.Motivation, MotivationMin, MotivationMax, false)
}

// documentStatus is what a document shows: pending while a first upload
// (or one after a rejection) awaits its check.
func (d Document) documentStatus() DocumentStatus {
	if d.Status == DocumentVerified {
		return DocumentVerified
	}
	if d.PendingKey != "" {
		return DocumentPending
	}
	if d.Status == "" {
		return DocumentMissing
	}
	return d.Status
}

// pdfMagic starts every PDF file.
var pdfMagic = []byte("%PDF-")

// rejection is the upload check's verdict on an object of size bytes
// starting with head, for a document of at most max bytes: the reason to
// reject it, or "" to hash and verify it.
func rejection(size int64, head []byte, max int64) string {
	switch {
	case size == 0:
		return ReasonEmpty
	case size > max:
		return ReasonTooLarge
	case !bytes.HasPrefix(head, pdfMagic):
		return ReasonNotPDF
	}
	return ""
}

// Tallied is a candidacy's tally of scores.
type Tallied struct {
	Total   *float64 // mean over counting evaluations of Σ weight·score/max; nil when none counts
	Percent *float64 // Total as a percentage of Σ weight
	Scored  int      // evaluations that count
	Recused int
	// Means is each criterion's mean score (same order as the call's criteria); nil entries when none counts.
	Means []*float64
}

// Tally computes a candidacy's weighted total from its evaluations: for
// each evaluator who scored and did not recuse, Σ weight·score/maxScore
// over the call's criteria; the total is their mean.
func Tally(call Call, evs []Evaluation) Tallied {
	var t Tallied
	sums := make([]float64, len(call.Criteria))
	var sum float64
	weights := 0
	for _, k := range call.Criteria {
		weights += k.Weight
	}
	for _, e := range evs {
		if e.Status == EvaluationRecused {
			t.Recused++
			continue
		}
		if !e.Counts() {
			continue
		}
		t.Scored++
		for i, k := range call.Criteria {
			for _, sc := range e.Scores {
				if sc.Criterion == k.ID && k.MaxScore > 0 {
					sum += float64(k.Weight) * float64(sc.Score) / float64(k.MaxScore)
					sums[i] += float64(sc.Score)
				}
			}
		}
	}
	t.Means = make([]*float64, len(call.Criteria))
	if t.Scored == 0 {
		return t
	}
	total := round2(sum / float64(t.Scored))
	t.Total = &total
	if weights > 0 {
		p := round2(100 * sum / float64(t.Scored) / float64(weights))
		t.Percent = &p
	}
	for i := range sums {
		m := round2(sums[i] / float64(t.Scored))
		t.Means[i] = &m
	}
	return t
}

func round2(f float64) float64 {
	if f < 0 {
		return -round2(-f)
	}
	return float64(int64(f*100+0.5)) / 100
}

// maxTotal is a perfect score on call's grid: Σ weight.
func maxTotal(call Call) int {
	max := 0
	for _, k := range call.Criteria {
		max += k.Weight
	}
	return max
}

// rankOrder ranks by weighted total, highest first; candidacies nobody
// scored come last; ties keep the order of submission (the reference), so
// the ranking is stable.
func rankOrder(a, b RankedView) int {
	switch {
	case a.Total == nil && b.Total != nil:
		return 1
	case a.Total != nil && b.Total == nil:
		return -1
	case a.Total != nil && b.Total != nil && *a.Total != *b.Total:
		return cmp.Compare(*b.Total, *a.Total)
	}
	if c := cmp.Compare(a.Sequence, b.Sequence); c != 0 {
		return c
	}
	return strings.Compare(a.CandidacyID, b.CandidacyID)
}

// exportOrder lists candidacies by reference, the ones never submitted last
// (by creation).
func exportOrder(a, b Candidacy) int {
	if a.Sequence != b.Sequence {
		if a.Sequence == 0 {
			return 1
		}
		if b.Sequence == 0 {
			return -1
		}
		return a.Sequence - b.Sequence
	}
	return a.CreatedAt.Compare(b.CreatedAt)
}
