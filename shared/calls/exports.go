package calls

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"espaceosc/shared/apperr"
	"espaceosc/shared/spreadsheet"
)

// The administrators' exports: a call's candidacies with their scores as a
// spreadsheet, and a candidacy's dossier as one ZIP. Both are written under
// exports/ of the dossier bucket (a lifecycle rule deletes them after a
// day), recorded (who, what, when) and handed out as a link valid
// ExportLinkTTL.

// ExportCSV writes every candidacy of a call with its scores as CSV
// (CandidaciesCSV), records the export and returns its link.
func (s *Service) ExportCSV(ctx context.Context, callID, by string) (ExportView, error) {
	call, err := s.getCall(ctx, callID)
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
	slices.SortFunc(cs, exportOrder)
	body, err := CandidaciesCSV(call, cs, evs)
	if err != nil {
		return ExportView{}, err
	}
	x, err := s.newExport(call.ID, "", ExportCSV, by, len(cs))
	if err != nil {
		return ExportView{}, err
	}
	x.Key = fmt.Sprintf("exports/calls/%s/%s-%s.csv", call.ID, x.At.Format("20060102T150405Z"), x.ID)
	if err := s.Files.Put(ctx, x.Key, "text/csv; charset=utf-8", "candidatures-"+call.ID+".csv", bytes.NewReader(body), int64(len(body))); err != nil {
		return ExportView{}, fmt.Errorf("export call %s: %w", call.ID, err)
	}
	return s.recordExport(ctx, x, int64(len(body)))
}

// newExport starts the record of an export.
func (s *Service) newExport(callID, candidacyID, kind, by string, rows int) (Export, error) {
	xid, err := randomBase32(s.Rand, 16)
	if err != nil {
		return Export{}, err
	}
	return Export{ID: xid, CallID: callID, CandidacyID: candidacyID, Kind: kind, By: by, At: s.clock(), Rows: rows}, nil
}

// recordExport records x, whose file of size bytes is stored, and returns
// its link.
func (s *Service) recordExport(ctx context.Context, x Export, size int64) (ExportView, error) {
	if err := s.Store.RecordExport(ctx, x); err != nil {
		return ExportView{}, fmt.Errorf("record export %s: %w", x.ID, err)
	}
	u, err := s.Files.PresignGet(ctx, x.Key, "", "", ExportLinkTTL)
	if err != nil {
		return ExportView{}, fmt.Errorf("presign export %s: %w", x.ID, err)
	}
	s.Log.Info("export made", "exportId", x.ID, "callId", x.CallID, "candidacyId", x.CandidacyID, "kind", x.Kind, "rows", x.Rows)
	return x.view(u, size), nil
}

// CandidaciesCSV renders a call's candidacies with their scores for
// spreadsheets (shared/spreadsheet: BOM, CRLF, formulas neutralised): one
// row per candidacy, each criterion's mean score, the weighted total.
func CandidaciesCSV(call Call, cs []Candidacy, evs map[string][]Evaluation) ([]byte, error) {
	head := []string{"reference", "status", "outcome", "association", "acronym", "legal_form", "registration_number",
		"year_founded", "region", "city", "website", "email", "phone", "representative", "representative_role",
		"representative_email", "working_groups", "submitted_at"}
	for _, k := range call.Criteria {
		head = append(head, "mean_"+k.ID+"_/"+strconv.Itoa(k.MaxScore))
	}
	head = append(head, "weighted_total", "percent", "evaluations", "recusals")
	sheet := spreadsheet.New(head...)
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
		sheet.Row(row...)
	}
	return sheet.Bytes()
}

func optFloat(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', 2, 64)
}

// zipEntry is one file of a dossier ZIP: the object Key stored as Name.
type zipEntry struct {
	Name string
	Key  string
}

// Dossier puts a candidacy's verified documents into one ZIP (entries named
// <type>.pdf, in the call's order), records the export and returns its link.
func (s *Service) Dossier(ctx context.Context, id, by string) (ExportView, error) {
	c, call, err := s.candidacy(ctx, id)
	if err != nil {
		return ExportView{}, err
	}
	var entries []zipEntry
	for _, spec := range call.Documents {
		if d, _, ok := c.Document(spec.Type); ok && d.Status == DocumentVerified && d.Key != "" {
			entries = append(entries, zipEntry{Name: spec.Type + ".pdf", Key: d.Key})
		}
	}
	if len(entries) == 0 {
		return ExportView{}, errNoVerifiedDocs
	}
	x, err := s.newExport(c.CallID, c.ID, ExportDossier, by, len(entries))
	if err != nil {
		return ExportView{}, err
	}
	name := c.ID
	if c.Reference != "" {
		name = c.Reference
	}
	x.Key = fmt.Sprintf("exports/dossiers/%s/%s-%s.zip", c.ID, x.At.Format("20060102T150405Z"), x.ID)
	size, err := s.zip(ctx, x.Key, "dossier-"+name+".zip", entries)
	if err != nil {
		return ExportView{}, fmt.Errorf("dossier of candidacy %s: %w", c.ID, err)
	}
	return s.recordExport(ctx, x, size)
}

// zip streams the objects of entries into one ZIP, written to a temporary
// file (memory stays flat whatever the dossier's size), then stores it
// under key, served as filename, and returns its size.
func (s *Service) zip(ctx context.Context, key, filename string, entries []zipEntry) (int64, error) {
	f, err := os.CreateTemp(s.TempDir, "dossier-*.zip")
	if err != nil {
		return 0, fmt.Errorf("zip: %w", err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, e := range entries {
		if err := s.addToZip(ctx, zw, e); err != nil {
			return 0, err
		}
	}
	if err := zw.Close(); err != nil {
		return 0, fmt.Errorf("zip: %w", err)
	}
	size, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return 0, fmt.Errorf("zip: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, fmt.Errorf("zip: %w", err)
	}
	if err := s.Files.Put(ctx, key, "application/zip", filename, f, size); err != nil {
		return 0, apperr.Wrap(apperr.Unavailable, "", fmt.Errorf("store %s: %w", key, err))
	}
	return size, nil
}

// addToZip copies the object of e into zw. PDFs are compressed already:
// they are stored as they are.
func (s *Service) addToZip(ctx context.Context, zw *zip.Writer, e zipEntry) error {
	body, _, modified, err := s.Files.Read(ctx, e.Key, "")
	if err != nil {
		return apperr.Wrap(apperr.Unavailable, "", fmt.Errorf("read %s: %w", e.Key, err))
	}
	defer body.Close()
	w, err := zw.CreateHeader(&zip.FileHeader{Name: e.Name, Method: zip.Store, Modified: modified})
	if err != nil {
		return fmt.Errorf("zip %s: %w", e.Name, err)
	}
	if _, err := io.Copy(w, body); err != nil {
		return apperr.Wrap(apperr.Unavailable, "", fmt.Errorf("zip %s: read %s: %w", e.Name, e.Key, err))
	}
	return nil
}
