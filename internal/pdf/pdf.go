// Package pdf writes simple, accessible documents as PDF: a title, headings,
// paragraphs, label/value rows, tables and signature lines, on A4 with page
// numbers. The text is real text (selectable, searchable and extractable),
// never an image. It is used for the copies Samordna keeps of what it sends,
// such as a report to child welfare, and for plans.
//
//	doc := pdf.New(pdf.Options{Title: "Melding til barnevernet", Lang: "nb"})
//	doc.Fields(pdf.Field{Label: "Sendt", Value: "3. mars 2026 kl. 09.30"})
//	doc.Heading("Bekymringen")
//	doc.Paragraph(text)
//	doc.Signature("Underskrift", "Ola Brekke")
//	b, err := doc.Bytes()
package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Options describe the document as a whole.
type Options struct {
	Title   string    // shown as the first heading and in the document properties
	Subject string    // document properties
	Author  string    // document properties: who made it
	Lang    string    // BCP 47 language of the text, e.g. "nb"; default "nb"
	Footer  string    // printed at the foot of each page before the page number
	Created time.Time // creation date in the properties; zero means now
}

// Field is one label/value row.
type Field struct {
	Label, Value string
}

// Layout, in millimetres and points.
const (
	margin     = 20.0
	lineHeight = 5.5
	labelWidth = 50.0
	bodySize   = 11.0
	smallSize  = 9.0
	headSize   = 13.0
	titleSize  = 18.0
)

// Document is a PDF being written. Methods add content in order; Bytes
// finishes it. A Document is not safe for concurrent use.
type Document struct {
	f       *fpdf.Fpdf
	family  string
	prepare func(string) string
}

// New starts a document with its title as the first heading.
func New(o Options) *Document {
	f := fpdf.New("P", "mm", "A4", "")
	d := &Document{f: f}
	d.family, d.prepare = setFonts(f)
	if o.Lang == "" {
		o.Lang = "nb"
	}
	if o.Created.IsZero() {
		o.Created = time.Now()
	}
	f.SetTitle(o.Title, true)
	f.SetSubject(o.Subject, true)
	f.SetAuthor(o.Author, true)
	f.SetCreator("Samordna", true)
	f.SetCatalogSort(true) // the same content gives the same bytes
	f.SetLang(o.Lang)
	f.SetCreationDate(o.Created)
	f.SetModificationDate(o.Created)
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, margin)
	f.AliasNbPages("{nb}")
	f.SetFooterFunc(func() {
		f.SetY(-margin + 5)
		d.font("", smallSize)
		text := fmt.Sprintf("%d/{nb}", f.PageNo())
		if o.Footer != "" {
			text = o.Footer + " – " + text
		}
		f.CellFormat(0, lineHeight, d.prepare(text), "", 0, "C", false, 0, "")
	})
	f.AddPage()
	d.font("B", titleSize)
	f.MultiCell(0, 8, d.prepare(o.Title), "", "L", false)
	f.Ln(3)
	d.font("", bodySize)
	return d
}

func (d *Document) font(style string, size float64) { d.f.SetFont(d.family, style, size) }

// Heading adds a section heading.
func (d *Document) Heading(text string) {
	d.f.Ln(3)
	d.font("B", headSize)
	d.f.MultiCell(0, 7, d.prepare(text), "", "L", false)
	d.font("", bodySize)
	d.f.Ln(1)
}

// Paragraph adds text; line breaks in it are kept and long lines wrap.
func (d *Document) Paragraph(text string) {
	d.font("", bodySize)
	d.f.MultiCell(0, lineHeight, d.prepare(strings.TrimRight(text, "\r\n")), "", "L", false)
	d.f.Ln(2)
}

// Note adds a paragraph in small print.
func (d *Document) Note(text string) {
	d.font("", smallSize)
	d.f.MultiCell(0, 4.5, d.prepare(text), "", "L", false)
	d.font("", bodySize)
	d.f.Ln(1)
}

// Fields adds label/value rows: the label in bold on the left, the value
// wrapping on the right.
func (d *Document) Fields(rows ...Field) {
	left, _, right, _ := d.f.GetMargins()
	pageW, _ := d.f.GetPageSize()
	valueW := pageW - left - right - labelWidth
	for _, r := range rows {
		lines := d.wrap(r.Value, valueW, "")
		labelLines := d.wrap(r.Label, labelWidth-2, "B")
		h := float64(max(len(lines), len(labelLines))) * lineHeight
		d.breakIfNeeded(h)
		y := d.f.GetY()
		d.font("B", bodySize)
		d.f.MultiCell(labelWidth-2, lineHeight, d.prepare(r.Label), "", "L", false)
		d.f.SetXY(left+labelWidth, y)
		d.font("", bodySize)
		d.f.MultiCell(valueW, lineHeight, d.prepare(r.Value), "", "L", false)
		d.f.SetXY(left, y+h+1)
	}
	d.f.Ln(1)
}

// Table adds a table with a header row (repeated on each new page). Column
// widths follow the share of text in each column; cells wrap.
func (d *Document) Table(header []string, rows [][]string) {
	if len(header) == 0 {
		return
	}
	widths := d.columnWidths(header, rows)
	d.tableRow(header, widths, true)
	for _, row := range rows {
		if d.rowHeight(row, widths, "")+d.f.GetY() > d.pageBottom() {
			d.f.AddPage()
			d.tableRow(header, widths, true)
		}
		d.tableRow(row, widths, false)
	}
	d.f.Ln(3)
}

// Signature adds a signature line: the name above a rule, the label below.
func (d *Document) Signature(label, name string) {
	d.breakIfNeeded(4 * lineHeight)
	d.f.Ln(8)
	left, _, _, _ := d.f.GetMargins()
	d.font("", bodySize)
	d.f.CellFormat(90, lineHeight, d.prepare(name), "", 1, "L", false, 0, "")
	y := d.f.GetY() + 1
	d.f.SetLineWidth(0.3)
	d.f.Line(left, y, left+90, y)
	d.f.SetY(y + 1)
	d.font("", smallSize)
	d.f.CellFormat(90, 4.5, d.prepare(label), "", 1, "L", false, 0, "")
	d.font("", bodySize)
	d.f.Ln(2)
}

// Bytes finishes the document and returns the PDF.
func (d *Document) Bytes() ([]byte, error) {
	var buf bytes.Buffer
	if err := d.f.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return buf.Bytes(), nil
}

// wrap splits text into the lines it takes in width w with the style.
func (d *Document) wrap(text string, w float64, style string) []string {
	d.font(style, bodySize)
	var out []string
	for _, para := range strings.Split(d.prepare(text), "\n") {
		lines := d.f.SplitText(para, w)
		if len(lines) == 0 {
			lines = []string{""}
		}
		out = append(out, lines...)
	}
	d.font("", bodySize)
	return out
}

// pageBottom is the lowest y content may reach.
func (d *Document) pageBottom() float64 {
	_, h := d.f.GetPageSize()
	return h - margin
}

// breakIfNeeded starts a new page unless h fits on this one.
func (d *Document) breakIfNeeded(h float64) {
	if d.f.GetY()+h > d.pageBottom() {
		d.f.AddPage()
	}
}

// columnWidths shares the text width between the columns by the longest
// text in each, with a floor so that no column gets too narrow.
func (d *Document) columnWidths(header []string, rows [][]string) []float64 {
	left, _, right, _ := d.f.GetMargins()
	pageW, _ := d.f.GetPageSize()
	total := pageW - left - right
	need := make([]float64, len(header))
	for i, h := range header {
		need[i] = float64(len([]rune(h)))
	}
	for _, row := range rows {
		for i := range header {
			if i < len(row) {
				need[i] = max(need[i], min(float64(len([]rune(row[i]))), 60))
			}
		}
	}
	var sum float64
	for i := range need {
		need[i] = max(need[i], 8)
		sum += need[i]
	}
	widths := make([]float64, len(need))
	for i := range need {
		widths[i] = total * need[i] / sum
	}
	return widths
}

// rowHeight is the height a table row takes.
func (d *Document) rowHeight(row []string, widths []float64, style string) float64 {
	n := 1
	for i, w := range widths {
		if i < len(row) {
			n = max(n, len(d.wrap(row[i], w-2, style)))
		}
	}
	return float64(n)*lineHeight + 2
}

// tableRow draws one row with a rule below it.
func (d *Document) tableRow(row []string, widths []float64, header bool) {
	style := ""
	if header {
		style = "B"
	}
	h := d.rowHeight(row, widths, style)
	left, _, _, _ := d.f.GetMargins()
	y := d.f.GetY()
	x := left
	for i, w := range widths {
		cell := ""
		if i < len(row) {
			cell = row[i]
		}
		d.f.SetXY(x+1, y+1)
		d.font(style, bodySize)
		d.f.MultiCell(w-2, lineHeight, d.prepare(cell), "", "L", false)
		x += w
	}
	d.font("", bodySize)
	d.f.SetLineWidth(0.2)
	d.f.Line(left, y+h, x, y+h)
	d.f.SetXY(left, y+h)
}
