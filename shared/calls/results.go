package calls

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"espaceosc/shared/apperr"
	"espaceosc/shared/i18n"
	"espaceosc/shared/outbox"
)

// KindOutcomeEmail is the email telling a candidate the outcome.
const KindOutcomeEmail = "candidacy.outcome"

// ---------------------------------------------------------------- exports

// ExportView is the answer to an export: a short-lived download link.
type ExportView struct {
	ID        string `json:"id"`
	URL       string `json:"url"`
	ExpiresAt string `json:"expiresAt"`
	Rows      int    `json:"rows"`
	Bytes     int64  `json:"bytes,omitempty"`
}

// ExportCSV writes every candidacy of a call with its scores as CSV
// (UTF-8 with BOM, formula injection guarded) under exports/, records who
// exported what and when, and returns a link valid ExportLinkTTL.
func (s *Evaluations) ExportCSV(ctx context.Context, callID, by string) (ExportView, error) {
	call, err := s.call(ctx, callID)
	if err != nil {
		return ExportView{}, err
	}
	cs, err := s.allCandidacies(ctx, callID, "")
	if err != nil {
		return ExportView{}, err
	}
	evs, err := s.allEvaluations(ctx, callID)
	if err != nil {
		return ExportView{}, err
	}
	slices.SortFunc(cs, func(a, b Candidacy) int {
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
	})
	body, err := CandidaciesCSV(call, cs, evs)
	if err != nil {
		return ExportView{}, err
	}
	now := s.now().Truncate(time.Second)
	xid, err := randomBase32(s.rand, 16)
	if err != nil {
		return ExportView{}, err
	}
	key := fmt.Sprintf("exports/calls/%s/%s-%s.csv", call.ID, now.Format("20060102T150405Z"), xid)
	if err := s.files.PutExport(ctx, key, "text/csv; charset=utf-8", "candidatures-"+call.ID+".csv", body); err != nil {
		return ExportView{}, fmt.Errorf("export call %s: %w", call.ID, err)
	}
	return s.recordExport(ctx, Export{ID: xid, CallID: call.ID, Kind: ExportCSV, By: by, At: now, Rows: len(cs), Key: key}, int64(len(body)))
}

func (s *Evaluations) recordExport(ctx context.Context, x Export, size int64) (ExportView, error) {
	if err := s.evals.RecordExport(ctx, x); err != nil {
		return ExportView{}, fmt.Errorf("record export %s: %w", x.ID, err)
	}
	u, err := s.files.PresignDownload(ctx, x.Key, ExportLinkTTL)
	if err != nil {
		return ExportView{}, fmt.Errorf("presign export %s: %w", x.ID, err)
	}
	s.log.Info("export made", "exportId", x.ID, "callId", x.CallID, "candidacyId", x.CandidacyID, "kind", x.Kind, "rows", x.Rows)
	return ExportView{ID: x.ID, URL: u, ExpiresAt: rfc3339(x.At.Add(ExportLinkTTL)), Rows: x.Rows, Bytes: size}, nil
}

// CandidaciesCSV renders a call's candidacies with their scores for
// spreadsheets: UTF-8 with a byte order mark (so that Excel reads Arabic
// right), one row per candidacy, each criterion's mean score, the weighted
// total, and every cell that a spreadsheet would read as a formula
// prefixed with a quote.
func CandidaciesCSV(call Call, cs []Candidacy, evs map[string][]Evaluation) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	head := []string{"reference", "status", "outcome", "association", "acronym", "legal_form", "registration_number",
		"year_founded", "region", "city", "website", "email", "phone", "representative", "representative_role",
		"representative_email", "working_groups", "submitted_at"}
	for _, k := range call.Criteria {
		head = append(head, "mean_"+k.ID+"_/"+strconv.Itoa(k.MaxScore))
	}
	head = append(head, "weighted_total", "percent", "evaluations", "recusals")
	if err := w.Write(head); err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	for _, c := range cs {
		a, r := c.Association, c.Representative
		year := ""
		if a.YearFounded > 0 {
			year = strconv.Itoa(a.YearFounded)
		}
		row := []string{c.Reference, string(c.Status), string(c.Outcome), a.Name, a.Acronym, a.LegalForm, a.RegistrationNumber,
			year, a.Region, a.City, a.Website, a.Email, a.Phone, r.Name, r.Role, r.Email,
			strings.Join(c.WorkingGroups, " "), rfc3339(c.SubmittedAt)}
		t := Tally(call, evs[c.ID])
		for _, m := range t.Means {
			row = append(row, optFloat(m))
		}
		row = append(row, optFloat(t.Total), optFloat(t.Percent), strconv.Itoa(t.Scored), strconv.Itoa(t.Recused))
		for i := range row {
			row[i] = csvCell(row[i])
		}
		if err := w.Write(row); err != nil {
			return nil, fmt.Errorf("csv: %w", err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	return buf.Bytes(), nil
}

func optFloat(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', 2, 64)
}

// csvCell guards against formula injection: a cell starting with = + - @
// (or a tab or CR that some spreadsheets skip) is prefixed with a quote.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Dossier streams a candidacy's verified documents into one ZIP (entries
// named <type>.pdf) under exports/, records the export and returns a link
// valid ExportLinkTTL.
func (s *Evaluations) Dossier(ctx context.Context, id, by string) (ExportView, error) {
	c, call, err := s.candidacy(ctx, id)
	if err != nil {
		return ExportView{}, err
	}
	var entries []ZipEntry
	for _, spec := range call.Documents {
		if d, _, ok := c.Document(spec.Type); ok && d.Status == DocumentVerified && d.Key != "" {
			entries = append(entries, ZipEntry{Name: spec.Type + ".pdf", Key: d.Key})
		}
	}
	if len(entries) == 0 {
		return ExportView{}, errNoVerifiedDocs
	}
	now := s.now().Truncate(time.Second)
	xid, err := randomBase32(s.rand, 16)
	if err != nil {
		return ExportView{}, err
	}
	name := c.ID
	if c.Reference != "" {
		name = c.Reference
	}
	key := fmt.Sprintf("exports/dossiers/%s/%s-%s.zip", c.ID, now.Format("20060102T150405Z"), xid)
	size, err := s.files.Zip(ctx, key, "dossier-"+name+".zip", entries)
	if err != nil {
		return ExportView{}, fmt.Errorf("dossier of candidacy %s: %w", c.ID, err)
	}
	return s.recordExport(ctx, Export{ID: xid, CallID: c.CallID, CandidacyID: c.ID, Kind: ExportDossier, By: by, At: now, Rows: len(entries), Key: key}, size)
}

// ---------------------------------------------------------------- results

// PublishView is the answer to publishing the results.
type PublishView struct {
	CallID      string `json:"callId"`
	Status      Status `json:"status"`
	Notified    int    `json:"notified"`    // outcomes recorded and emailed by this request
	Already     int    `json:"already"`     // outcomes recorded by an earlier request
	Selected    int    `json:"selected"`    // selected associations published
	Memberships int    `json:"memberships"` // working-group memberships created by this request
}

// PublishResults publishes a call's results: every submitted candidacy
// must have an outcome (409 listing those without one); the call becomes
// results_published; then each candidacy's outcome is recorded in its own
// transaction with its email (in the candidate's language), its public
// entry if selected and, for a GT call, the association's memberships of
// the working groups it applied for. Publishing again resumes where a
// failure stopped, and records nothing twice.
func (s *Evaluations) PublishResults(ctx context.Context, callID string) (PublishView, error) {
	call, err := s.call(ctx, callID)
	if err != nil {
		return PublishView{}, err
	}
	if call.Status != StatusEvaluating && call.Status != StatusResultsPublished {
		return PublishView{}, errNotEvaluating
	}
	cs, err := s.allCandidacies(ctx, callID, CandidacySubmitted)
	if err != nil {
		return PublishView{}, err
	}
	slices.SortFunc(cs, func(a, b Candidacy) int { return a.Sequence - b.Sequence })
	var fs apperr.Fields
	for _, c := range cs {
		if c.Outcome == OutcomeNone {
			fs.Add("candidacies."+c.Reference, "calls.undecided", nil)
		}
	}
	if len(fs) > 0 {
		return PublishView{}, &apperr.Error{Code: apperr.Conflict, Key: "calls.undecided_candidacies", Fields: fs}
	}
	if call.Status == StatusEvaluating {
		call, err = s.publishCall(ctx, call)
		if err != nil {
			return PublishView{}, err
		}
	}
	v := PublishView{CallID: call.ID, Status: call.Status}
	for _, c := range cs {
		now := s.now().Truncate(time.Second)
		e, err := s.outcomeEmail(c, call, now)
		if err != nil {
			return PublishView{}, err
		}
		var sel *Selected
		var members []Membership
		if c.Outcome == OutcomeSelected {
			v.Selected++
			a := c.Association
			sel = &Selected{CallID: call.ID, CandidacyID: c.ID, Sequence: c.Sequence, Name: a.Name, Acronym: a.Acronym, City: a.City, Region: a.Region}
			if call.Kind == KindGT {
				for _, g := range c.WorkingGroups {
					if !call.HasWorkingGroup(g) {
						continue
					}
					sel.Groups = append(sel.Groups, g)
					members = append(members, Membership{GroupID: g, CandidacyID: c.ID, CallID: call.ID, Name: a.Name,
						Acronym: a.Acronym, City: a.City, Region: a.Region, Since: now})
				}
			}
		}
		r := Result{CallID: call.ID, CandidacyID: c.ID, Outcome: c.Outcome, At: now, ExpiresAt: c.ExpiresAt}
		err = s.evals.RecordResult(ctx, r, e, sel, members)
		if apperr.Is(err, apperr.Conflict) {
			v.Already++
			continue
		}
		if err != nil {
			return PublishView{}, fmt.Errorf("publish result of candidacy %s (publishing again resumes): %w", c.ID, err)
		}
		v.Notified++
		v.Memberships += len(members)
		s.deliver(ctx, e)
	}
	s.log.Info("results published", "callId", call.ID, "notified", v.Notified, "already", v.Already, "selected", v.Selected)
	return v, nil
}

func (s *Evaluations) publishCall(ctx context.Context, call Call) (Call, error) {
	for range updateAttempts {
		prev := call.Version
		call.Status, call.UpdatedAt, call.Version = StatusResultsPublished, s.now().Truncate(time.Second), prev+1
		err := s.store.UpdateCall(ctx, call, prev)
		if apperr.Is(err, apperr.Conflict) {
			if call, err = s.call(ctx, call.ID); err != nil {
				return Call{}, err
			}
			if call.Status == StatusResultsPublished {
				return call, nil
			}
			if call.Status != StatusEvaluating {
				return Call{}, errNotEvaluating
			}
			continue
		}
		if err != nil {
			return Call{}, fmt.Errorf("publish call %s: %w", call.ID, err)
		}
		return call, nil
	}
	return Call{}, errStale
}

func (s *Evaluations) outcomeEmail(c Candidacy, call Call, now time.Time) (outbox.Email, error) {
	content, err := outcomeMessage(c, call).Render()
	if err != nil {
		return outbox.Email{}, err
	}
	id, err := newID(s.rand)
	if err != nil {
		return outbox.Email{}, err
	}
	return outbox.Email{ID: id, To: c.Association.Email, Subject: content.Subject, Text: content.Text, HTML: content.HTML,
		Lang: c.Lang, Kind: KindOutcomeEmail, RefID: c.ID, CreatedAt: now}, nil
}

func (s *Evaluations) deliver(ctx context.Context, e outbox.Email) {
	if s.outbox == nil {
		return
	}
	if err := s.outbox.Deliver(ctx, e); err != nil {
		s.log.Warn("email deferred to the sweeper", "emailId", e.ID, "kind", e.Kind, "code", apperr.CodeOf(err))
	}
}

// ResultsView is the public list of selected associations: nothing personal.
type ResultsView struct {
	CallID   string             `json:"callId"`
	Kind     Kind               `json:"kind"`
	Title    string             `json:"title"`
	Lang     i18n.Lang          `json:"lang"`
	Seats    int                `json:"seats"`
	Selected []SelectedView     `json:"selected"`
	Groups   []WorkingGroupView `json:"workingGroups,omitempty"`
}

// SelectedView is one selected association.
type SelectedView struct {
	Name          string   `json:"name"`
	Acronym       string   `json:"acronym,omitempty"`
	City          string   `json:"city,omitempty"`
	Region        string   `json:"region,omitempty"`
	WorkingGroups []string `json:"workingGroups,omitempty"`
}

// PublicResults lists a call's selected associations once its results are
// published (apperr.NotFound before).
func (s *Evaluations) PublicResults(ctx context.Context, callID string, lang i18n.Lang) (ResultsView, error) {
	call, err := s.call(ctx, callID)
	if err != nil {
		return ResultsView{}, err
	}
	if call.Status != StatusResultsPublished {
		return ResultsView{}, errNotPublished
	}
	sel, err := s.evals.SelectedOf(ctx, call.ID)
	if err != nil {
		return ResultsView{}, err
	}
	v := ResultsView{CallID: call.ID, Kind: call.Kind, Title: call.Title.In(lang), Lang: lang, Seats: call.Seats, Selected: []SelectedView{}}
	for _, g := range call.WorkingGroups {
		v.Groups = append(v.Groups, WorkingGroupView{ID: g.ID, Name: g.Name.In(lang)})
	}
	for _, x := range sel {
		v.Selected = append(v.Selected, SelectedView{Name: x.Name, Acronym: x.Acronym, City: x.City, Region: x.Region, WorkingGroups: x.Groups})
	}
	return v, nil
}
