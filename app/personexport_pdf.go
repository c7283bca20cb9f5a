package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/pdf"
	"github.com/samordna/samordna/pathway"
)

// ExportPersonPDF returns the export of the person (ExportPersonData) as
// a PDF with selectable text, in bokmål like the municipality's other
// letters, and a file name for it. Who may call and errors: as
// ExportPersonData; the print is audited as ExportActionPDF.
func (a *App) ExportPersonPDF(ctx context.Context, actor *samordna.Actor, personID string) ([]byte, string, error) {
	x, err := a.ExportPersonData(ctx, actor, personID, ExportActionPDF)
	if err != nil {
		return nil, "", err
	}
	b, err := renderExportPDF(x, a.now())
	if err != nil {
		return nil, "", err
	}
	return b, "innsyn-" + a.now().In(pathway.Oslo()).Format("02.01.2006") + ".pdf", nil
}

// renderExportPDF writes the export as a document: the person, then each
// case with its content and access log, then the consents given on others'
// cases and the log of the person.
func renderExportPDF(x *PersonExport, now time.Time) ([]byte, error) {
	doc := pdf.New(pdf.Options{Title: "Innsyn: opplysninger om " + orDash(x.Person.Name),
		Subject: "Innsyn etter personvernforordningen artikkel 15", Lang: "nb", Created: now,
		Footer: "Samordna – innsyn " + exportDate(x.GeneratedAt)})
	doc.Paragraph("Dette er alt Samordna har registrert om personen: sakene, samtykkene, planene, møtene med " +
		"referat, meldingene og hvem som har sett på eller endret sakene (tilgangsloggen).")
	p := x.Person
	who := []pdf.Field{{Label: "Navn", Value: orDash(p.Name)}}
	if p.IDNumber != "" {
		who = append(who, pdf.Field{Label: "Fødselsnummer", Value: p.IDNumber})
	}
	if p.BirthDate != "" {
		who = append(who, pdf.Field{Label: "Født", Value: planDate(p.BirthDate)})
	}
	if p.DueDate != "" {
		who = append(who, pdf.Field{Label: "Termin", Value: planDate(p.DueDate)})
	}
	if p.AnonymisedAt != nil {
		who = append(who, pdf.Field{Label: "Anonymisert", Value: exportDate(*p.AnonymisedAt)})
	}
	for _, r := range x.Relations {
		who = append(who, pdf.Field{Label: "Relasjon", Value: fmt.Sprintf("%s er %s %s", orDash(r.Person),
			relationText[r.Kind], orDash(r.Related))})
	}
	who = append(who, pdf.Field{Label: "Utskrevet", Value: exportTime(x.GeneratedAt) + " av " + x.GeneratedBy},
		pdf.Field{Label: "Kommune", Value: orDash(x.Municipality)})
	doc.Fields(who...)
	if len(x.Cases) == 0 {
		doc.Heading("Saker")
		doc.Paragraph("Personen har ingen saker i Samordna.")
	}
	for i, c := range x.Cases {
		pdfExportCase(doc, i+1, c)
	}
	if len(x.ConsentsGiven) > 0 {
		doc.Heading("Samtykker gitt i saker om andre")
		for _, k := range x.ConsentsGiven {
			doc.Fields(consentFields(k)...)
		}
	}
	doc.Heading("Tilgangslogg for personen")
	pdfLog(doc, x.AccessLog)
	return doc.Bytes()
}

// pdfExportCase adds one case and everything on it.
func pdfExportCase(doc *pdf.Document, n int, c ExportCase) {
	doc.Heading(fmt.Sprintf("Sak %d", n))
	rows := []pdf.Field{{Label: "Saksnummer", Value: c.ID}, {Label: "Status", Value: caseStatusText[c.Status]},
		{Label: "Opprettet", Value: exportDate(c.CreatedAt) + " av " + orDash(c.RegisteredBy)}}
	if c.RegisteredService != "" {
		rows = append(rows, pdf.Field{Label: "Tjeneste", Value: c.RegisteredService})
	}
	if c.ClosedAt != nil {
		rows = append(rows, pdf.Field{Label: "Avsluttet", Value: exportDate(*c.ClosedAt)})
	}
	if c.PurgedAt != nil {
		rows = append(rows, pdf.Field{Label: "Innholdet slettet", Value: exportDate(*c.PurgedAt) +
			" (lagringstiden var ute)"})
	}
	doc.Fields(rows...)
	for _, k := range c.Concerns {
		doc.Fields(pdf.Field{Label: "Bekymring", Value: orDash(k.Description)},
			pdf.Field{Label: "Registrert", Value: exportDate(k.CreatedAt) + " av " + orDash(k.RegisteredBy)})
	}
	for _, k := range c.Consultations {
		doc.Fields(pdf.Field{Label: "Drøfting", Value: exportDate(k.HeldAt) + " med " + orDash(k.Adviser)},
			pdf.Field{Label: "Beskrivelse", Value: orDash(k.Summary)}, pdf.Field{Label: "Råd", Value: orDash(k.Advice)})
	}
	for _, k := range c.Consents {
		doc.Fields(consentFields(k)...)
	}
	for _, ap := range c.Applications {
		text := "Søknad til koordinerende enhet " + exportDate(ap.SubmittedAt) + " av " + orDash(ap.SubmittedBy)
		if ap.DecidedAt != nil {
			text += fmt.Sprintf(". Vedtak %s: %s", exportDate(*ap.DecidedAt), applicationText[ap.Status])
			if ap.Coordinator != "" {
				text += ", koordinator " + ap.Coordinator
			}
			if ap.Reason != "" {
				text += ". Begrunnelse: " + ap.Reason
			}
		}
		doc.Fields(pdf.Field{Label: "Søknad", Value: text})
	}
	for _, k := range c.Coordinators {
		text := k.Name + " fra " + exportDate(k.AppointedAt)
		if k.EndedAt != nil {
			text += " til " + exportDate(*k.EndedAt)
		}
		doc.Fields(pdf.Field{Label: "Koordinator", Value: text})
	}
	for _, g := range c.Groups {
		var names []string
		for _, m := range g.Members {
			names = append(names, strings.Join(nonEmpty(orDash(m.Name), m.Role), ", "))
		}
		doc.Fields(pdf.Field{Label: "Ansvarsgruppe", Value: "Opprettet " + exportDate(g.CreatedAt)},
			pdf.Field{Label: "Medlemmer", Value: strings.Join(names, "\n")})
	}
	for _, m := range c.Meetings {
		pdfExportMeeting(doc, m)
	}
	for _, p := range c.Plans {
		pdfExportPlan(doc, p)
	}
	for _, r := range c.Reports {
		doc.Fields(pdf.Field{Label: reportTitles[r.Kind], Value: orDash(r.Description)},
			pdf.Field{Label: "Sendt", Value: exportDate(r.SentAt) + " av " + orDash(r.SentBy)})
	}
	if len(c.Tasks) > 0 {
		var rows [][]string
		for _, t := range c.Tasks {
			due := ""
			if t.DueAt != nil {
				due = exportDate(*t.DueAt)
			}
			rows = append(rows, []string{orDash(t.Title), orDash(t.Responsible), due, taskStatusText(t.Status)})
		}
		doc.Note("Oppgaver i saken")
		doc.Table([]string{"Oppgave", "Ansvarlig", "Frist", "Status"}, rows)
	}
	doc.Note("Tilgangslogg for saken")
	pdfLog(doc, c.AccessLog)
}

// pdfExportMeeting adds a meeting and the main parts of its minutes.
func pdfExportMeeting(doc *pdf.Document, m ExportMeeting) {
	rows := []pdf.Field{{Label: fmt.Sprintf("Møte nr. %d", m.Number), Value: exportTime(m.StartsAt) + ", " + orDash(m.Place)}}
	if len(m.Agenda) > 0 {
		rows = append(rows, pdf.Field{Label: "Saksliste", Value: strings.Join(m.Agenda, "\n")})
	}
	if in := m.Minutes; in != nil {
		rows = append(rows, pdf.Field{Label: "Brukerens egen beskrivelse", Value: orDash(in.PersonAccount)})
		for _, it := range in.Items {
			rows = append(rows, pdf.Field{Label: orDash(it.Item), Value: orDash(it.Notes)})
		}
		var measures []string
		for _, nm := range in.NewMeasures {
			measures = append(measures, fmt.Sprintf("%s (%s, frist %s)", nm.Text, nm.Responsible, planDate(nm.Due)))
		}
		if len(measures) > 0 {
			rows = append(rows, pdf.Field{Label: "Nye tiltak", Value: strings.Join(measures, "\n")})
		}
		rows = append(rows, pdf.Field{Label: "Konklusjoner", Value: orDash(in.Conclusions)})
	}
	doc.Fields(rows...)
}

// pdfExportPlan adds a plan's current version.
func pdfExportPlan(doc *pdf.Document, p ExportPlan) {
	rows := []pdf.Field{{Label: planTitles[p.Kind], Value: fmt.Sprintf("Versjon %d, %s", p.Version, exportDate(p.UpdatedAt))},
		{Label: "Hva er viktig for deg?", Value: orDash(p.WhatMatters)}}
	for _, g := range p.Goals {
		rows = append(rows, pdf.Field{Label: "Mål (" + strings.ToLower(termText(g.Term)) + ")", Value: g.Text})
	}
	for _, m := range p.Measures {
		rows = append(rows, pdf.Field{Label: "Tiltak", Value: fmt.Sprintf("%s (%s, frist %s)", m.Text,
			orDash(m.Responsible), planDate(m.Due))})
	}
	doc.Fields(rows...)
}

// consentFields describes a consent.
func consentFields(k ExportConsent) []pdf.Field {
	var purposes []string
	for _, p := range k.Purposes {
		purposes = append(purposes, orText(purposeText[p], p))
	}
	status := consentStatusText[k.Status]
	if k.WithdrawnAt != nil {
		status += " " + exportDate(*k.WithdrawnAt)
	}
	return []pdf.Field{{Label: "Samtykke", Value: fmt.Sprintf("Gitt av %s, registrert %s av %s", orDash(k.GivenBy),
		exportDate(k.RecordedAt), orDash(k.RecordedBy))},
		{Label: "Gjelder", Value: strings.Join(purposes, "\n")}, {Label: "Status", Value: orDash(status)}}
}

// pdfLog adds an access log as a table: when, who, role and service, what,
// allowed or refused.
func pdfLog(doc *pdf.Document, log []ExportLogEntry) {
	if len(log) == 0 {
		doc.Paragraph("Ingen oppføringer.")
		return
	}
	rows := make([][]string, 0, len(log))
	for _, e := range log {
		who := orText(e.Name, "Samordna (automatisk)")
		rows = append(rows, []string{exportTime(e.At), who,
			strings.Join(nonEmpty(orText(roleText[e.Role], e.Role), e.Service), ", "),
			orText(actionText[e.Action], strings.ReplaceAll(e.Action, "_", " ")), outcomeText[e.Outcome]})
	}
	doc.Table([]string{"Tid", "Hvem", "Rolle", "Hva", "Utfall"}, rows)
}

// exportDate writes an RFC 3339 instant as an Oslo date, 31.03.2026.
func exportDate(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return orDash(s)
	}
	return t.In(pathway.Oslo()).Format("02.01.2006")
}

// exportTime writes an RFC 3339 instant as an Oslo date and time.
func exportTime(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return orDash(s)
	}
	return t.In(pathway.Oslo()).Format("02.01.2006 15.04")
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

func taskStatusText(s string) string {
	switch s {
	case "open":
		return "Åpen"
	case "done":
		return "Utført"
	}
	return orText(s, "–")
}

// The printed names of the export's codes, in bokmål.
var (
	caseStatusText    = map[string]string{"open": "Åpen", "closed": "Avsluttet"}
	consentStatusText = map[string]string{"active": "Aktivt", "withdrawn": "Trukket tilbake", "expired": "Utløpt"}
	applicationText   = map[string]string{"submitted": "ikke avgjort", "granted": "innvilget", "refused": "avslått"}
	outcomeText       = map[string]string{samordna.OutcomeAllowed: "Tillatt", samordna.OutcomeDenied: "Nektet"}
	relationText      = map[string]string{"guardian_of": "foresatt for", "parent_of": "forelder til",
		"expecting": "gravid med"}
	purposeText = map[string]string{
		"responsibility_group":            "Ansvarsgruppe",
		"share_with_members":              "Deling med medlemmene av ansvarsgruppen",
		"register_with_coordinating_unit": "Registrering hos koordinerende enhet",
		"individual_plan":                 "Individuell plan",
	}
	roleText = map[string]string{"employee": "Ansatt", "coordinating_unit": "Koordinerende enhet",
		"child_welfare": "Barnevernet", "service_leader": "Leder", "admin": "Administrator"}
	actionText = map[string]string{
		"read":                 "Åpnet saken",
		"list":                 "Så saken i en liste",
		"create":               "Registrerte",
		"relate":               "Registrerte en relasjon",
		"read_access_log":      "Leste tilgangsloggen",
		ExportActionJSON:       "Innsyn (JSON)",
		ExportActionPDF:        "Innsyn (PDF)",
		ExportActionPreview:    "Forhåndsviste innsyn",
		"find_person":          "Søkte opp personen",
		"purge":                "Slettet innholdet (lagringstid)",
		"anonymise":            "Anonymiserte personen",
		"record_consent":       "Registrerte samtykke",
		"withdraw_consent":     "Registrerte at samtykket ble trukket",
		"record_consultation":  "Registrerte en drøfting",
		"submit_application":   "Sendte søknad til koordinerende enhet",
		"decide_application":   "Fattet vedtak",
		"accept_coordinator":   "Tok imot koordinatorrollen",
		"create_group":         "Opprettet ansvarsgruppe",
		"plan_meeting":         "Kalte inn til møte",
		"save_minutes":         "Skrev referat",
		"finalise_minutes":     "Godkjente referat",
		"print_minutes":        "Skrev ut referat",
		"create_plan":          "Laget plan",
		"update_plan":          "Endret plan",
		"read_plan":            "Leste planen",
		"print_plan":           "Skrev ut planen",
		"send":                 "Sendte melding",
		"block_employee":       "Sperret en ansatt",
		"lift_block":           "Opphevet en sperring",
		"emergency_access":     "Nødtilgang",
		"escalate":             "Varslet om passert frist",
		"handover_coordinator": "Overførte koordinatorrollen",
	}
)
