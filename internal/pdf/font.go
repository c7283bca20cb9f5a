package pdf

import (
	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// This file is the only place that knows which fonts a document uses.
//
// It embeds the Go fonts (golang.org/x/image/font/gofont) as UTF-8 fonts:
// they cover all of Latin Extended-A, so æøå and the Sámi č, đ, ŋ, ŧ print
// and extract correctly, and the repository holds no font file.

// setFonts makes the document's fonts available and returns the font
// family to use and the function that prepares text for it.
func setFonts(f *fpdf.Fpdf) (family string, prepare func(string) string) {
	f.AddUTF8FontFromBytes("Go", "", goregular.TTF)
	f.AddUTF8FontFromBytes("Go", "B", gobold.TTF)
	return "Go", func(s string) string { return s }
}
