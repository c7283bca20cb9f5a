package app

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/samordna/samordna"
)

// This file reads the CSV files of a bulk import (import.go) as Norwegian
// Excel writes them: UTF-8 with a byte order mark, plain UTF-8, or
// Windows-1252 ("CSV (semikolondelt)"), with semicolons between the cells.

// MaxImportBytes is the largest import file taken, in bytes.
const MaxImportBytes = 1 << 20

// utf8BOM is the byte order mark Excel puts first in a "CSV UTF-8" file.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// DecodeImportFile returns the file's text as UTF-8: a UTF-8 byte order
// mark is dropped; a file that is valid UTF-8 is taken as it is; anything
// else is read as Windows-1252. Line breaks become "\n". The text is then
// checked as a document (samordna.CheckText): no control characters, at most
// samordna.TextDocument's length.
func DecodeImportFile(b []byte) (string, error) {
	if len(b) > MaxImportBytes {
		return "", samordna.Errorf(samordna.KindInvalid, "import_too_large", "the file is larger than %d bytes", MaxImportBytes)
	}
	var text string
	switch {
	case bytes.HasPrefix(b, utf8BOM):
		text = string(b[len(utf8BOM):])
	case utf8.Valid(b):
		text = string(b)
	default:
		d, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err != nil {
			return "", samordna.Errorf(samordna.KindInvalid, "import_encoding", "the file is neither UTF-8 nor Windows-1252")
		}
		text = string(d)
	}
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	if err := samordna.CheckText("document", samordna.TextDocument, 0, text); err != nil {
		return "", err
	}
	return text, nil
}

// csvRow is one data line of an import file: its line number in the file
// (the header is line 1) and its cells by column name.
type csvRow struct {
	Line  int
	Cells map[string]string
}

// readImportCSV splits text into rows by the header's column names. The
// separator is the semicolon, always; a header without one is refused
// (import_separator), as is a header that lacks a required column
// (import_missing_column) or names one twice or one not known
// (import_unknown_column). Cells are trimmed; empty lines are skipped.
func readImportCSV(text string, columns, required []string) ([]csvRow, error) {
	first, _, _ := strings.Cut(text, "\n")
	if !strings.Contains(first, ";") {
		return nil, samordna.Errorf(samordna.KindInvalid, "import_separator",
			"the first line is no header separated by semicolons")
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = ';'
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		return nil, samordna.Errorf(samordna.KindInvalid, "import_unreadable", "the header could not be read")
	}
	names := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !slices.Contains(columns, h) || seen[h] {
			return nil, samordna.Errorf(samordna.KindInvalid, "import_unknown_column",
				"the header names %q, which is unknown or named twice", h)
		}
		seen[h], names[i] = true, h
	}
	for _, c := range required {
		if !seen[c] {
			return nil, samordna.Errorf(samordna.KindInvalid, "import_missing_column", "the header lacks the column %q", c)
		}
	}
	var rows []csvRow
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			return nil, samordna.Errorf(samordna.KindInvalid, "import_unreadable", "line %d could not be read", perr.Line)
		} else if err != nil {
			return nil, samordna.Errorf(samordna.KindInvalid, "import_unreadable", "the file could not be read")
		}
		line, _ := r.FieldPos(0)
		row := csvRow{Line: line, Cells: map[string]string{}}
		empty := true
		for i, v := range rec {
			v = strings.TrimSpace(v)
			if v != "" {
				empty = false
			}
			if i < len(names) {
				row.Cells[names[i]] = v
			} else if v != "" {
				row.Cells[""] = v // a cell beyond the header: refused by the plan
			}
		}
		if !empty {
			rows = append(rows, row)
		}
	}
	return rows, nil
}
