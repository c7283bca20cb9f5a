package pdf

import "codeberg.org/go-pdf/fpdf"

// This file is the only place that knows which fonts a document uses.
//
// It uses the PDF standard font Helvetica with the Windows-1252 encoding
// (WinAnsiEncoding), which every PDF reader has and from which text
// extraction (pdftotext, screen readers, copy and paste) gives the right
// characters, æ, ø and å included. Characters outside Windows-1252 (for
// example the Sámi č, đ, ŋ, ŧ) print as ".".
//
// To embed the Go fonts instead (all of Latin Extended-A), once
// golang.org/x/image is a direct requirement in go.mod, replace setFonts
// with:
//
//	f.AddUTF8FontFromBytes("Go", "", goregular.TTF)
//	f.AddUTF8FontFromBytes("Go", "B", gobold.TTF)
//	return "Go", func(s string) string { return s }
//
// (imports golang.org/x/image/font/gofont/goregular and .../gobold).

// setFonts makes the document's fonts available and returns the font
// family to use and the function that prepares text for it.
func setFonts(f *fpdf.Fpdf) (family string, prepare func(string) string) {
	return "Helvetica", f.UnicodeTranslatorFromDescriptor("cp1252")
}
