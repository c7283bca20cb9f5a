package web

import (
	"net/http"

	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/store"
)

// This file holds the reports: the receiving service's inbox (child
// welfare, or the mental health and substance service for a duty to
// inform) with the reports the employee sent, one report with its
// acknowledgement, and its PDF copy.

func (s *Server) reportRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/reports", Access: "authenticated", Handler: s.reportsPage},
		{Method: "GET", Path: "/reports/{id}", Access: "report:read", Handler: s.reportPage},
		{Method: "POST", Path: "/reports/{id}/receive", Access: "report:receive", Handler: s.receiveReportSubmit},
		{Method: "GET", Path: "/reports/{id}/pdf", Access: "report:read", Handler: s.reportPDF},
	}
}

// reportRow is a report as the pages show it.
type reportRow struct {
	ID, CaseID, Kind, Status, SentAt, Sender, ReceivedAt, ReceivedBy, AcknowledgeBy, Subject string
	Acute, Waiting, CanReceive, Escalated                                                    bool
}

func (s *Server) reportRow(lang string, r *store.Report) reportRow {
	return reportRow{ID: r.ID, CaseID: r.CaseID, Kind: s.routineLabel(lang, "report_kind", r.Kind),
		Status: s.routineLabel(lang, "report_status", r.Status), SentAt: routineTime(r.SentAt),
		Sender: r.SenderName, ReceivedAt: routineTimePtr(r.ReceivedAt), ReceivedBy: r.ReceivedByName,
		AcknowledgeBy: routineTimePtr(r.AckDueAt), Acute: r.Acute, Waiting: r.Status == store.ReportSent,
		Escalated: r.EscalatedAt != nil}
}

// reportViewRow adds whom it is about and what the reader may do.
func (s *Server) reportViewRow(p *Page, v *app.ReportView) reportRow {
	row := s.reportRow(p.Lang, v.Report)
	row.CanReceive = v.CanReceive
	if v.Subject != nil {
		row.Subject = subjectName(p, s, v.Subject)
	}
	return row
}

type reportsData struct {
	Inbox, Sent []reportRow
}

// reportsPage shows the inbox (when the employee's service receives
// reports) and the reports the employee sent.
func (s *Server) reportsPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(r, "routine.reports.title")
	s.routineFlash(r, p)
	actor := reqctx.Actor(r.Context())
	inbox, err := s.app.ReportInbox(r.Context(), actor)
	if err != nil {
		s.routineFail(w, r, err, nil)
		return
	}
	sent, err := s.app.SentReports(r.Context(), actor)
	if err != nil {
		s.routineFail(w, r, err, nil)
		return
	}
	d := &reportsData{}
	for _, v := range inbox {
		d.Inbox = append(d.Inbox, s.reportViewRow(p, v))
	}
	for _, v := range sent {
		d.Sent = append(d.Sent, s.reportViewRow(p, v))
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "routine_reports", p)
}

type reportPageData struct {
	Row         reportRow
	Description string
	Signature   string
	FNR, Birth  string
	IsOwner     bool
}

// reportPage shows one report to its sender or the receiving service.
func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.app.GetReport(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.routineFail(w, r, err, nil)
		return
	}
	p := s.page(r, "routine.report.title")
	s.routineFlash(r, p)
	d := &reportPageData{Row: s.reportViewRow(p, v), Description: v.Description, Signature: v.Signature, IsOwner: v.ReaderIsOwner}
	if v.Subject != nil {
		d.FNR, d.Birth = v.Subject.IDNumber, routineDate(v.Subject.BirthDate)
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "routine_report", p)
}

// receiveReportSubmit acknowledges a report.
func (s *Server) receiveReportSubmit(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.ReceiveReport(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id")); err != nil {
		s.routineFail(w, r, err, nil)
		return
	}
	routineRedirect(w, r, "/reports/"+r.PathValue("id"), "received", "")
}

// reportPDF sends the report's PDF copy.
func (s *Server) reportPDF(w http.ResponseWriter, r *http.Request) {
	b, name, err := s.app.ReportPDF(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		s.routineFail(w, r, err, nil)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}
