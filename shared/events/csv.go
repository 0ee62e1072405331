package events

import (
	"bytes"
	"encoding/csv"
	"espaceosc/shared/i18n"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// CSV renders an event's registrations for spreadsheets: UTF-8 with a byte
// order mark (so Excel reads Arabic correctly), CRLF line ends, one column
// per custom question (choices by their French label), attendance, and
// cells that a spreadsheet would read as a formula prefixed with a quote.
func CSV(e Event, regs []Registration) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	head := []string{"code", "statut", "position", "nom complet", "e-mail", "organisation", "téléphone", "langue", "inscrit le (heure du Maroc)", "présent", "pointé le (heure du Maroc)"}
	for _, q := range e.Questions {
		head = append(head, q.Label.FR)
	}
	if err := w.Write(head); err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
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
		for i := range row {
			row[i] = cell(row[i])
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

// cell guards against formula injection (CSV injection): a cell starting
// with = + - @ (or a tab or CR that some spreadsheets skip) is prefixed with
// a single quote so that it stays text.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
