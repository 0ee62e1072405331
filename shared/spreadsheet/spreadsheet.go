// Package spreadsheet writes the CSV exports administrators open in a
// spreadsheet: UTF-8 with a byte order mark (so that Excel reads Arabic
// correctly), CRLF line ends, and every cell guarded against formula
// injection.
package spreadsheet

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
)

// CSV collects rows; Bytes returns the file.
type CSV struct {
	buf bytes.Buffer
	w   *csv.Writer
}

// New returns a CSV whose first row is header.
func New(header ...string) *CSV {
	c := &CSV{}
	c.buf.WriteString("\uFEFF")
	c.w = csv.NewWriter(&c.buf)
	c.w.UseCRLF = true
	c.Row(header...)
	return c
}

// Row adds a row; each cell goes through Cell.
func (c *CSV) Row(cells ...string) {
	row := make([]string, len(cells))
	for i, s := range cells {
		row[i] = Cell(s)
	}
	_ = c.w.Write(row) // errors surface in Bytes (csv.Writer keeps the first)
}

// Bytes returns the file.
func (c *CSV) Bytes() ([]byte, error) {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	return c.buf.Bytes(), nil
}

// Cell guards against formula injection (CSV injection): a cell starting
// with = + - @, a tab or a carriage return (which some spreadsheets skip
// before reading a formula) is prefixed with a single quote, so that it
// stays text.
func Cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
