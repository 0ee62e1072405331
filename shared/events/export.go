package events

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"espaceosc/shared/i18n"
	"espaceosc/shared/secret"
	"espaceosc/shared/spreadsheet"
)

// ExportTTL is how long an export's download link works.
const ExportTTL = 10 * time.Minute

// exportFilename is the name an export downloads as.
const exportFilename = "inscriptions.csv"

// Export writes every registration of the event (answers and attendance
// included) as CSV to the dossier bucket under exports/events/<event>/ (a
// lifecycle rule removes it after a day), records who exported what, and
// returns a short-lived download link.
func (s *Service) Export(ctx context.Context, id, by string) (ExportView, error) {
	e, err := s.getEvent(ctx, id)
	if err != nil {
		return ExportView{}, err
	}
	var regs []Registration
	cursor := ""
	for {
		page, next, err := s.Store.ListRegistrations(ctx, id, "", AllRegs, 200, cursor)
		if err != nil {
			return ExportView{}, fmt.Errorf("export %s: %w", id, err)
		}
		regs = append(regs, page...)
		if next == "" {
			break
		}
		cursor = next
	}
	slices.SortFunc(regs, func(a, b Registration) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	body, err := CSV(e, regs)
	if err != nil {
		return ExportView{}, err
	}
	now := s.clock()
	xid, err := secret.NewID(s.Rand)
	if err != nil {
		return ExportView{}, err
	}
	key := fmt.Sprintf("exports/events/%s/%s-%s.csv", e.ID, now.Format("20060102T150405Z"), xid)
	if err := s.Files.Put(ctx, key, "text/csv; charset=utf-8", exportFilename, bytes.NewReader(body), int64(len(body))); err != nil {
		return ExportView{}, fmt.Errorf("export %s: store: %w", id, err)
	}
	x := Export{ID: xid, EventID: e.ID, By: by, At: now, Rows: len(regs), Key: key}
	if err := s.Store.RecordExport(ctx, x); err != nil {
		return ExportView{}, fmt.Errorf("export %s: record: %w", id, err)
	}
	u, err := s.Files.PresignGet(ctx, key, "", "", ExportTTL)
	if err != nil {
		return ExportView{}, fmt.Errorf("export %s: presign: %w", id, err)
	}
	s.Log.Info("registrations exported", "eventId", id, "exportId", xid, "rows", len(regs))
	return ExportView{ID: xid, URL: u, ExpiresAt: rfc3339(now.Add(ExportTTL)), Rows: len(regs)}, nil
}

// CSV renders an event's registrations for spreadsheets (shared/spreadsheet:
// BOM, CRLF, formula guard): one column per custom question (choices by
// their French label), attendance, times in Morocco's time.
func CSV(e Event, regs []Registration) ([]byte, error) {
	head := []string{"code", "statut", "position", "nom complet", "e-mail", "organisation", "téléphone", "langue", "inscrit le (heure du Maroc)", "présent", "pointé le (heure du Maroc)"}
	for _, q := range e.Questions {
		head = append(head, q.Label.FR)
	}
	c := spreadsheet.New(head...)
	local := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(i18n.Casablanca).Format("2006-01-02 15:04")
	}
	for _, r := range regs {
		pos := ""
		if r.Position > 0 {
			pos = strconv.Itoa(r.Position)
		}
		present := "non"
		if !r.CheckedInAt.IsZero() {
			present = "oui"
		}
		row := []string{r.Code, string(r.Status), pos, r.FullName, r.Email, r.Organisation, r.Phone, string(r.Lang), local(r.CreatedAt), present, local(r.CheckedInAt)}
		for _, q := range e.Questions {
			vals := r.Answers[q.ID]
			if q.Type == SingleChoice || q.Type == MultipleChoice {
				labels := make([]string, 0, len(vals))
				for _, v := range vals {
					label := v
					for _, o := range q.Options {
						if o.ID == v {
							label = o.Label.FR
						}
					}
					labels = append(labels, label)
				}
				vals = labels
			}
			row = append(row, strings.Join(vals, " | "))
		}
		c.Row(row...)
	}
	return c.Bytes()
}
