package web

import (
	"net/http"

	"github.com/samordna/samordna/internal/pdf"
)

// This file is the kindergarten conversation template Samordna ships (seed
// 001, Sola, individual level, structure: "Utarbeide en felles mal for
// oppstartsamtaler og foreldresamtaler i barnehagene, som inkluderer
// psykisk helse og rus"). It is a blank, printable template in the user's
// language, as a page and a PDF, reached from the methods catalogue. It
// holds no personal data, so opening it is not audited.

// kgTemplatePath is the template's page; the PDF is the same path with
// ".pdf".
const kgTemplatePath = "/methods/kindergarten-conversation"

// kgTemplatePDFName is the PDF's file name (Norwegian, as the users know it).
const kgTemplatePDFName = "mal-oppstartssamtale-og-foreldresamtale-barnehage.pdf"

// kgSections are the template's topics: each key names a heading
// (kgtemplate.<key>.heading) and its questions (kgtemplate.<key>.q1 ...).
var kgSections = []struct {
	key       string
	questions int
}{
	{"about", 2}, {"child", 4}, {"family", 3}, {"mental", 3}, {"substance", 3}, {"help", 3},
}

// kgFields are the lines filled in at the top of the template.
var kgFields = []string{"child", "born", "kind", "date", "parents", "staff"}

// kgSection is one topic of the template, translated.
type kgSection struct {
	Heading   string
	Questions []string
}

// kgTemplateData is the template in one language.
type kgTemplateData struct {
	Fields   []string
	Sections []kgSection
	PDF      string
}

// kgTemplate returns the template's texts in lang.
func (s *Server) kgTemplate(lang string) kgTemplateData {
	t := func(id string) string { return s.catalog.T(lang, id, nil) }
	d := kgTemplateData{PDF: kgTemplatePath + ".pdf"}
	for _, f := range kgFields {
		d.Fields = append(d.Fields, t("kgtemplate.field."+f))
	}
	for _, sec := range kgSections {
		x := kgSection{Heading: t("kgtemplate." + sec.key + ".heading")}
		for i := 1; i <= sec.questions; i++ {
			x.Questions = append(x.Questions, t("kgtemplate."+sec.key+".q"+string(rune('0'+i))))
		}
		d.Sections = append(d.Sections, x)
	}
	return d
}

// kgTemplatePage shows the template for reading and printing.
func (s *Server) kgTemplatePage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "kgtemplate.title")
	p.Data = s.kgTemplate(p.Lang)
	s.render(w, r, http.StatusOK, "sola_kgtemplate", p)
}

// kgTemplatePDF downloads the template as a PDF with blank lines for the
// answers and signatures.
func (s *Server) kgTemplatePDF(w http.ResponseWriter, r *http.Request) {
	lang := s.lang(r)
	t := func(id string) string { return s.catalog.T(lang, id, nil) }
	d := s.kgTemplate(lang)
	doc := pdf.New(pdf.Options{Title: t("kgtemplate.title"), Subject: t("kgtemplate.title"), Author: "Samordna",
		Lang: lang, Footer: t("kgtemplate.pdf_footer")})
	doc.Paragraph(t("kgtemplate.intro"))
	blank := "_______________________________"
	var fields []pdf.Field
	for _, f := range d.Fields {
		fields = append(fields, pdf.Field{Label: f, Value: blank})
	}
	doc.Fields(fields...)
	for _, sec := range d.Sections {
		doc.Heading(sec.Heading)
		for _, q := range sec.Questions {
			doc.Paragraph("– " + q + "\n\n")
		}
	}
	doc.Heading(t("kgtemplate.agreed"))
	doc.Paragraph("\n\n\n")
	doc.Fields(pdf.Field{Label: t("kgtemplate.next"), Value: blank})
	doc.Signature(t("kgtemplate.sign_parents"), "")
	doc.Signature(t("kgtemplate.sign_staff"), "")
	b, err := doc.Bytes()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+kgTemplatePDFName+`"`)
	_, _ = w.Write(b)
}
