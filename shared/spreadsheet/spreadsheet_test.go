package spreadsheet_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"espaceosc/shared/spreadsheet"
)

// A file with formula-like cells, parsed back, shows every one neutralised
// and everything else intact (Arabic, quotes, line breaks).
func TestCSVNeutralisesFormulasInEveryCell(t *testing.T) {
	c := spreadsheet.New("nom", "=cmd")
	cells := []string{"=HYPERLINK(\"http://evil\")", "+212600000000", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "جمعية النخيل", "ligne 1\nligne 2", `dit "oui"`, ""}
	c.Row(cells...)
	b, err := c.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\uFEFF")) || !bytes.Contains(b, []byte("\r\n")) {
		t.Fatalf("no BOM or no CRLF: %q", b)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF"))))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][1] != "'=cmd" {
		t.Errorf("header cell = %q, want it neutralised", rows[0][1])
	}
	for i, got := range rows[1] {
		want := cells[i]
		if want != "" && strings.ContainsRune("=+-@\t\r", rune(want[0])) {
			want = "'" + want
		}
		want = strings.ReplaceAll(want, "\r", "") // encoding/csv drops a CR when reading a quoted field back
		if got != want {
			t.Errorf("cell %d = %q, want %q", i, got, want)
		}
		if got != "" && strings.ContainsRune("=+-@\t\r", rune(got[0])) {
			t.Errorf("cell %d = %q still starts like a formula", i, got)
		}
	}
}
