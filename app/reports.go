package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/internal/pdf"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file sends reports: the duty to report to child welfare
// (meldeplikt, barnevernsloven § 13-2, formerly § 6-4) and the health
// personnel's duty to inform the mental health and substance service about
// a pregnant woman's substance use (opplysningsplikt, helsepersonelloven
// § 32). The duty is personal: a report is signed by its named sender,
// never anonymous, and locked once sent. It arrives in the receiving
// service's inbox in Samordna, where it is acknowledged; the sender sees
// the acknowledgement. An acute report not acknowledged within
// AcuteAcknowledgeLimit escalates to the receiving service's leader and
// back to the sender. A PDF copy is made when the report is sent, for the
// sender's archive.

// AcuteAcknowledgeLimit is how long the receiving service has to
// acknowledge an acute report. The routines say "immediately"
// (Umiddelbart); Samordna proposes one hour, and the municipality may adopt
// another (LimitAcuteAcknowledge, deadlines.go).
const AcuteAcknowledgeLimit = time.Hour

// Report kinds, as stored and in the API.
const (
	ReportChildWelfare = store.ReportChildWelfare // to child welfare (meldeplikt)
	ReportDutyToInform = store.ReportDutyToInform // to the mental health and substance service (opplysningsplikt)
)

// The outcomes of the duty-to-inform step: the health personnel's
// assessment of whether the duty applies (it is overwhelmingly likely that
// the child will be born injured) is recorded on the step's task. Sending
// the information records DutyApplies; completing the task with
// DutyNotApplicable records that it does not.
const (
	DutyApplies       = "applies"
	DutyNotApplicable = "not_applicable"
)

// NewReport is the input for SendReport.
type NewReport struct {
	Kind        string // ReportChildWelfare or ReportDutyToInform
	Description string
	Acute       bool
}

// ReportView is a report as the sender or the receiving service sees it.
type ReportView struct {
	*store.Report
	Case          *samordna.Case
	Subject       *samordna.Person
	CanReceive    bool // the reader may acknowledge it (receiving service, not yet received)
	ReaderIsOwner bool // the reader sent it
}

// SendReport sends a report about a case and returns it with status
// "sent". It is signed by the actor, locked, delivered to the receiving
// service's inbox (a notification to each of its caseworkers), completes the
// case's open tasks that offer the report and starts what follows them
// (Ulstein row 6 for child welfare). One audit row.
//
// Who may call: an employee who may write to the case (access.Write); for
// the duty to inform, only health personnel who may (access.Inform, seed
// 000: "Helsepersonell har opplysningsplikt"). Anyone else gets
// samordna.ErrNotFound. Sending the duty to inform records, on its step's
// task, that the duty applies (outcome "applies"). Errors: invalid_kind,
// description_required, description_too_long (KindInvalid);
// anonymous_report_not_allowed (KindRule) for an anonymous case.
func (a *App) SendReport(ctx context.Context, actor *samordna.Actor, caseID string, in NewReport) (*ReportView, error) {
	var v *ReportView
	need := access.Write
	if in.Kind == ReportDutyToInform {
		need = access.Inform // the duty is the health personnel's own (helsepersonelloven § 32)
	}
	err := a.withCase(ctx, actor, caseID, need, "send_report", func(tx *store.Tx, g *caseGrant) error {
		if g.Case.Anonymous {
			return samordna.Errorf(samordna.KindRule, "anonymous_report_not_allowed",
				"a report is signed by its sender and names whom it is about; register a named case first")
		}
		if err := validateReport(&in); err != nil {
			return err
		}
		var err error
		if v, err = a.sendReport(tx, actor, g.Case, in, a.now()); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "send", "child_welfare_report", v.ID)
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// CheckReportText checks a report's description as sending does, for the
// review page before the report is sent. Errors: description_required,
// description_too_long (KindInvalid).
func CheckReportText(description string) error {
	return validateReport(&NewReport{Kind: ReportChildWelfare, Description: description})
}

// validateReport checks a report's input (after the actor is authorized,
// so that a refusal never depends on the input).
func validateReport(in *NewReport) error {
	in.Description = strings.TrimSpace(in.Description)
	switch {
	case in.Kind != ReportChildWelfare && in.Kind != ReportDutyToInform:
		return samordna.Errorf(samordna.KindInvalid, "invalid_kind", "kind is child_welfare or duty_to_inform")
	case in.Description == "":
		return samordna.Errorf(samordna.KindInvalid, "description_required", "describe what the report is about")
	case utf8.RuneCountInString(in.Description) > MaxDescriptionLength:
		return samordna.Errorf(samordna.KindInvalid, "description_too_long",
			"the description may be at most %d characters", MaxDescriptionLength)
	}
	return nil
}

// sendReport stores, signs and delivers the report inside tx, sent at now.
func (a *App) sendReport(tx *store.Tx, actor *samordna.Actor, c *samordna.Case, in NewReport, now time.Time) (*ReportView, error) {
	e := actor.Employee
	r := &store.Report{ID: samordna.NewID(), CaseID: c.ID, MunicipalityID: c.MunicipalityID, Kind: in.Kind,
		Acute: in.Acute, Description: in.Description, Status: store.ReportSent, SentBy: e.ID, SentAt: now,
		SenderName: e.Name, SenderTitle: e.Title, LockedAt: &now, SenderUsername: e.Username}
	if len(e.Services) > 0 {
		r.SenderService = e.Services[0].Name
	}
	if in.Acute {
		lim, err := limit(tx, c.MunicipalityID, LimitAcuteAcknowledge)
		if err != nil {
			return nil, err
		}
		due := now.Add(lim)
		r.AckDueAt = &due
	}
	subject, err := store.PersonByID(tx, c.SubjectPersonID)
	if err != nil {
		return nil, err
	}
	mother, err := expectingMother(tx, subject)
	if err != nil {
		return nil, err
	}
	r.Signature = reportSignature(r, subject)
	doc, err := reportPDF(r, subject, mother)
	if err != nil {
		return nil, err
	}
	if err := store.CreateReport(tx, r, doc); err != nil {
		return nil, err
	}
	if err := a.caseEvent(tx, actor, c.ID, "report_sent", "child_welfare_report", r.ID); err != nil {
		return nil, err
	}
	offer, outcome := pathway.OfferChildWelfareReport, ""
	if in.Kind == ReportDutyToInform {
		offer, outcome = pathway.OfferDutyToInform, DutyApplies
	}
	if _, err := a.completeOfferedAt(tx, actor, c, offer, outcome, assignHint{}, now); err != nil {
		return nil, err
	}
	recipients, err := store.ReportRecipientIDs(tx, c.MunicipalityID, in.Kind)
	if err != nil {
		return nil, err
	}
	kind := NoticeReportArrived
	if in.Acute {
		kind = NoticeAcuteReportArrived
	}
	if err := a.notify(tx, recipients, kind, c.ID, "", r.ID); err != nil {
		return nil, err
	}
	return &ReportView{Report: r, Case: c, Subject: subject, ReaderIsOwner: true}, nil
}

// expectingMother returns the pregnant woman of an expected child (nil
// otherwise).
func expectingMother(tx *store.Tx, p *samordna.Person) (*samordna.Person, error) {
	if !p.Expected() {
		return nil, nil
	}
	rels, err := store.RelationsOf(tx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range rels {
		if r.Kind == samordna.RelationExpecting && r.RelatedID == p.ID {
			return store.PersonByID(tx, r.PersonID)
		}
	}
	return nil, nil
}

// reportSignature is the SHA-256 over everything the report says and who
// sent it when, so that the stored report and its PDF can be checked
// against each other.
func reportSignature(r *store.Report, subject *samordna.Person) string {
	h := sha256.New()
	for _, f := range []string{r.ID, r.CaseID, r.Kind, fmt.Sprint(r.Acute), r.Description, r.SentBy, r.SenderName,
		r.SentAt.UTC().Format(time.RFC3339Nano), subject.ID, subject.IDNumber, subject.DueDate} {
		fmt.Fprintf(h, "%d:%s", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// The PDF copy is the formal document and is written in bokmål.
var reportTitles = map[string]string{
	ReportChildWelfare: "Melding til barnevernet",
	ReportDutyToInform: "Opplysning til tjenesteområde psykisk helse og rus",
}

var reportBasis = map[string]string{
	ReportChildWelfare: "Meldeplikt til barnevernet etter barnevernsloven § 13-2 (tidligere § 6-4). " +
		"Plikten er personlig: den ansatte melder selv, direkte til barneverntjenesten.",
	ReportDutyToInform: "Opplysningsplikt etter helsepersonelloven § 32 når det er grunn til å tro at en gravid " +
		"kvinne misbruker rusmidler på en slik måte at det er overveiende sannsynlig at barnet vil bli født med skade.",
}

// osloTime formats t for a Norwegian reader.
func osloTime(t time.Time) string { return t.In(pathway.Oslo()).Format("02.01.2006 kl. 15.04") }

// reportPDF writes the report's PDF copy.
func reportPDF(r *store.Report, subject, mother *samordna.Person) ([]byte, error) {
	doc := pdf.New(pdf.Options{Title: reportTitles[r.Kind], Subject: reportTitles[r.Kind], Author: r.SenderName,
		Footer: "Samordna – " + reportTitles[r.Kind] + " " + r.ID, Created: r.SentAt})
	acute := "Nei"
	if r.Acute {
		acute = "Ja – akutt"
	}
	doc.Fields(
		pdf.Field{Label: "Sendt", Value: osloTime(r.SentAt)},
		pdf.Field{Label: "Avsender", Value: strings.Trim(r.SenderName+", "+r.SenderTitle, ", ")},
		pdf.Field{Label: "Tjeneste", Value: r.SenderService},
		pdf.Field{Label: "Akutt", Value: acute},
		pdf.Field{Label: "Referanse", Value: r.ID})
	doc.Heading("Gjelder")
	doc.Fields(subjectFields(subject, mother)...)
	doc.Heading("Beskrivelse")
	doc.Paragraph(r.Description)
	doc.Heading("Hjemmel")
	doc.Paragraph(reportBasis[r.Kind])
	doc.Signature("Elektronisk signert i Samordna av avsender", r.SenderName)
	doc.Note("Signatur (SHA-256): " + r.Signature)
	return doc.Bytes()
}

// subjectFields describes whom the report is about.
func subjectFields(p, mother *samordna.Person) []pdf.Field {
	if p.Expected() {
		f := []pdf.Field{{Label: "Ufødt barn", Value: "Termin " + planDate(p.DueDate)}}
		if mother != nil {
			f = append(f, pdf.Field{Label: "Mor", Value: mother.Name},
				pdf.Field{Label: idLabel(mother), Value: mother.IDNumber})
		}
		return f
	}
	return []pdf.Field{{Label: "Navn", Value: p.Name}, {Label: idLabel(p), Value: p.IDNumber},
		{Label: "Fødselsdato", Value: planDate(p.BirthDate)}}
}

func idLabel(p *samordna.Person) string {
	if p.IDKind == samordna.IDKindDNR {
		return "D-nummer"
	}
	return "Fødselsnummer"
}

// reportAccess loads a report and tells whether the actor may see it (its
// sender, or a caseworker of the receiving service, not barred from the
// case) and may acknowledge it (the receiving service).
func (a *App) reportAccess(tx *store.Tx, actor *samordna.Actor, id string) (r *store.Report, c *samordna.Case,
	visible, recipient bool, err error) {
	if actor == nil || actor.Employee == nil {
		return nil, nil, false, false, nil
	}
	r, err = store.ReportByID(tx, id)
	if samordna.ErrorKind(err) == samordna.KindNotFound {
		return nil, nil, false, false, nil
	}
	if err != nil {
		return nil, nil, false, false, err
	}
	e := actor.Employee
	if r.MunicipalityID != e.MunicipalityID || e.HasRole(samordna.RoleAdmin) {
		return r, nil, false, false, nil
	}
	facts, _, err := store.CaseFacts(tx, r.CaseID, access.SubjectOf(e), a.now())
	if err != nil || facts.Blocked {
		return r, nil, false, false, err
	}
	if recipient, err = store.IsReportRecipient(tx, e.ID, r.MunicipalityID, r.Kind); err != nil {
		return nil, nil, false, false, err
	}
	if c, err = store.CaseByID(tx, r.CaseID); err != nil {
		return nil, nil, false, false, err
	}
	return r, c, recipient || r.SentBy == e.ID, recipient, nil
}

// auditReport writes the audit row for an action on a report.
func (a *App) auditReport(tx *store.Tx, actor *samordna.Actor, id string, r *store.Report, c *samordna.Case, action, outcome string) error {
	ev := samordna.AuditEvent{ObjectType: "child_welfare_report", ObjectID: truncate(id, 64), Action: action, Outcome: outcome}
	if r != nil {
		ev.CaseID = r.CaseID
	}
	if c != nil {
		ev.PersonID = c.SubjectPersonID
	}
	return a.audit(tx, actor, ev)
}

// withReport runs fn when the actor may see the report; otherwise it
// audits the refusal and returns samordna.ErrNotFound.
func (a *App) withReport(ctx context.Context, actor *samordna.Actor, id, action string,
	fn func(tx *store.Tx, v *ReportView) error) error {
	denied := false
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		r, c, visible, recipient, err := a.reportAccess(tx, actor, id)
		if err != nil {
			return err
		}
		if !visible {
			denied = true
			return a.auditReport(tx, actor, id, r, c, action, samordna.OutcomeDenied)
		}
		subject, err := store.PersonByID(tx, c.SubjectPersonID)
		if err != nil {
			return err
		}
		v := &ReportView{Report: r, Case: c, Subject: subject, ReaderIsOwner: r.SentBy == actor.Employee.ID,
			CanReceive: recipient && r.Status == store.ReportSent}
		if err := fn(tx, v); err != nil {
			return err
		}
		return a.auditReport(tx, actor, id, r, c, action, samordna.OutcomeAllowed)
	})
	if err == nil && denied {
		err = samordna.ErrNotFound
	}
	return err
}

// GetReport returns a report for its sender and the receiving service
// (child welfare, or the mental health and substance service for a duty to
// inform); anyone else gets samordna.ErrNotFound. Audited either way.
func (a *App) GetReport(ctx context.Context, actor *samordna.Actor, id string) (*ReportView, error) {
	var out *ReportView
	err := a.withReport(ctx, actor, id, "read", func(tx *store.Tx, v *ReportView) error {
		out = v
		return nil
	})
	return out, err
}

// ReportPDF returns the PDF copy made when the report was sent and its
// download name (ReportFileName), for the same readers as GetReport.
func (a *App) ReportPDF(ctx context.Context, actor *samordna.Actor, id string) ([]byte, string, error) {
	var out []byte
	var name string
	err := a.withReport(ctx, actor, id, "read_pdf", func(tx *store.Tx, v *ReportView) error {
		var err error
		out, err = store.ReportPDF(tx, v.ID)
		name = ReportFileName(v.Report)
		return err
	})
	return out, name, err
}

// reportFileStems name the PDF copies in Norwegian, ASCII only so that
// every browser and mail client keeps the name.
var reportFileStems = map[string]string{
	ReportChildWelfare: "melding-til-barnevernet",
	ReportDutyToInform: "opplysning-til-psykisk-helse-og-rus",
}

// ReportFileName is the download name of a report's PDF copy: what it is
// and the date it was sent (dd.mm.åååå), without any internal id.
func ReportFileName(r *store.Report) string {
	stem := reportFileStems[r.Kind]
	if stem == "" {
		stem = "melding"
	}
	return stem + "-" + r.SentAt.In(pathway.Oslo()).Format("02.01.2006") + ".pdf"
}

// ChangeReport refuses every change to a sent report: it is locked.
// Readers get report_locked (KindConflict), anyone else
// samordna.ErrNotFound. The attempt is audited.
func (a *App) ChangeReport(ctx context.Context, actor *samordna.Actor, id string) error {
	err := a.withReport(ctx, actor, id, "change", func(tx *store.Tx, v *ReportView) error { return nil })
	if err != nil {
		return err
	}
	return samordna.Errorf(samordna.KindConflict, "report_locked", "a sent report is locked and cannot be changed")
}

// ReceiveReport acknowledges a report: status "received", by whom and
// when; the sender is told, and for a report to child welfare the steps
// its receipt starts follow. Who may call: a caseworker of the receiving
// service (role child_welfare, or a member of the mental health and
// substance service for a duty to inform). The sender gets not_recipient
// (KindRule), anyone else samordna.ErrNotFound. Errors: already_received
// (KindConflict).
func (a *App) ReceiveReport(ctx context.Context, actor *samordna.Actor, id string) (*ReportView, error) {
	var out *ReportView
	err := a.withReport(ctx, actor, id, "receive", func(tx *store.Tx, v *ReportView) error {
		if !v.CanReceive && v.Status == store.ReportSent {
			return samordna.Errorf(samordna.KindRule, "not_recipient", "only the receiving service acknowledges a report")
		}
		if err := store.ReceiveReport(tx, v.ID, actor.Employee.ID, a.now()); err != nil {
			return err
		}
		if err := a.caseEvent(tx, actor, v.CaseID, "report_received", "child_welfare_report", v.ID); err != nil {
			return err
		}
		if v.Kind == ReportChildWelfare {
			if _, err := a.routineEvent(tx, v.Case, pathway.EventChildWelfareReportReceived, assignHint{}); err != nil {
				return err
			}
		}
		if err := a.notify(tx, []string{v.SentBy}, NoticeReportAcknowledged, v.CaseID, "", v.ID); err != nil {
			return err
		}
		r, err := store.ReportByID(tx, v.ID)
		if err != nil {
			return err
		}
		out = &ReportView{Report: r, Case: v.Case, Subject: v.Subject, ReaderIsOwner: v.ReaderIsOwner}
		return nil
	})
	return out, err
}

// ReportInbox returns the reports the actor's service receives (child
// welfare's for role child_welfare; the duties to inform for members of the
// mental health and substance service), not yet received first, leaving
// out cases the actor is barred from. One audit row.
func (a *App) ReportInbox(ctx context.Context, actor *samordna.Actor) ([]*ReportView, error) {
	var out []*ReportView
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		e := actor.Employee
		for _, kind := range []string{ReportChildWelfare, ReportDutyToInform} {
			ok, err := store.IsReportRecipient(tx, e.ID, e.MunicipalityID, kind)
			if err != nil || !ok {
				if err != nil {
					return err
				}
				continue
			}
			reports, err := store.ReportInbox(tx, e.MunicipalityID, kind, 200)
			if err != nil {
				return err
			}
			views, err := a.reportViews(tx, actor, reports, true)
			if err != nil {
				return err
			}
			out = append(out, views...)
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "child_welfare_report", Action: "list_inbox"})
	})
	return out, err
}

// SentReports returns the reports the actor sent, newest first. One audit row.
func (a *App) SentReports(ctx context.Context, actor *samordna.Actor) ([]*ReportView, error) {
	var out []*ReportView
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		reports, err := store.ReportsSentBy(tx, actor.Employee.ID)
		if err != nil {
			return err
		}
		if out, err = a.reportViews(tx, actor, reports, false); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "child_welfare_report", Action: "list_sent"})
	})
	return out, err
}

// reportViews adds case and subject to reports, leaving out those on cases
// the actor is barred from.
func (a *App) reportViews(tx *store.Tx, actor *samordna.Actor, reports []*store.Report, recipient bool) ([]*ReportView, error) {
	var out []*ReportView
	s := access.SubjectOf(actor.Employee)
	for _, r := range reports {
		facts, _, err := store.CaseFacts(tx, r.CaseID, s, a.now())
		if err != nil {
			return nil, err
		}
		if facts.Blocked {
			continue
		}
		c, err := store.CaseByID(tx, r.CaseID)
		if err != nil {
			return nil, err
		}
		p, err := store.PersonByID(tx, c.SubjectPersonID)
		if err != nil {
			return nil, err
		}
		out = append(out, &ReportView{Report: r, Case: c, Subject: p, ReaderIsOwner: r.SentBy == actor.Employee.ID,
			CanReceive: recipient && r.Status == store.ReportSent})
	}
	return out, nil
}

// visibleReports returns the case's reports the actor may see (sent by
// the actor, or received by the actor's service).
func (a *App) visibleReports(tx *store.Tx, actor *samordna.Actor, caseID string) ([]*store.Report, error) {
	all, err := store.ReportsOfCase(tx, caseID)
	if err != nil {
		return nil, err
	}
	e := actor.Employee
	var out []*store.Report
	for _, r := range all {
		ok := r.SentBy == e.ID
		if !ok {
			if ok, err = store.IsReportRecipient(tx, e.ID, e.MunicipalityID, r.Kind); err != nil {
				return nil, err
			}
		}
		if ok {
			out = append(out, r)
		}
	}
	return out, nil
}
