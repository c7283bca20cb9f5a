package api

import (
	"net/http"
	"strconv"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/store"
)

func (h *API) reportRoutes() []Route {
	return []Route{
		{Method: "POST", Path: "/api/v1/cases/{id}/child-welfare-reports", Access: "case:write", Handler: h.sendChildWelfareReport, Request: reportRequest{},
			Summary: "Report to child welfare (meldeplikt): {\"description\", \"acute\"}. Signed by the caller, locked once sent; " +
				"never for an anonymous case (422 anonymous_report_not_allowed)."},
		{Method: "POST", Path: "/api/v1/cases/{id}/duty-to-inform", Access: "case:inform", Handler: h.sendDutyToInform, Request: reportRequest{},
			Summary: "Inform the mental health and substance service about a pregnant woman's substance use " +
				"(opplysningsplikt, helsepersonelloven § 32): {\"description\", \"acute\"}; the same rules as a child " +
				"welfare report. Health personnel only (by role health_personnel or a health service: health station, " +
				"GP, mental health and substance); anyone else: 404. Records on the duty-to-inform task that the duty applies."},
		{Method: "GET", Path: "/api/v1/child-welfare-reports", Access: "authenticated", Handler: h.listReports,
			Summary: "?box=inbox (default): the reports the caller's service receives, unacknowledged first; ?box=sent: the caller's own."},
		{Method: "GET", Path: "/api/v1/child-welfare-reports/{id}", Access: "report:read", Handler: h.getReport,
			Summary: "A report's status (sent or received) for its sender and the receiving service; 404 for others."},
		{Method: "PUT", Path: "/api/v1/child-welfare-reports/{id}", Access: "report:read", Handler: h.changeReport,
			Summary: "Always 409 report_locked: a sent report cannot be changed."},
		{Method: "PATCH", Path: "/api/v1/child-welfare-reports/{id}", Access: "report:read", Handler: h.changeReport,
			Summary: "Always 409 report_locked: a sent report cannot be changed."},
		{Method: "DELETE", Path: "/api/v1/child-welfare-reports/{id}", Access: "report:read", Handler: h.changeReport,
			Summary: "Always 409 report_locked: a sent report cannot be deleted."},
		{Method: "POST", Path: "/api/v1/child-welfare-reports/{id}/receive", Access: "report:receive", Handler: h.receiveReport,
			Summary: "The receiving service acknowledges the report: status received."},
		{Method: "GET", Path: "/api/v1/child-welfare-reports/{id}/pdf", Access: "report:read", Handler: h.reportPDF,
			Summary: "The PDF copy made when the report was sent (application/pdf), for the sender's archive."},
	}
}

type reportRequest struct {
	Description string `json:"description" text:"long"`
	Acute       bool   `json:"acute"`
}

type reportJSON struct {
	ID             string  `json:"id"`
	CaseID         string  `json:"case_id"`
	Kind           string  `json:"kind"`
	Acute          bool    `json:"acute"`
	Status         string  `json:"status"`
	SentAt         string  `json:"sent_at"`
	SentBy         string  `json:"sent_by"`
	SenderName     string  `json:"sender_name"`
	Locked         bool    `json:"locked"`
	AcknowledgeBy  *string `json:"acknowledge_by,omitempty"`
	ReceivedAt     *string `json:"received_at"`
	ReceivedBy     *string `json:"received_by"`
	ReceivedByName *string `json:"received_by_name"`
	Description    string  `json:"description,omitempty"`
	Signature      string  `json:"signature"`
}

func reportToJSON(r *store.Report) reportJSON {
	out := reportJSON{ID: r.ID, CaseID: r.CaseID, Kind: r.Kind, Acute: r.Acute, Status: r.Status, SentAt: rfc3339(r.SentAt),
		SentBy: r.SenderUsername, SenderName: r.SenderName, Locked: r.LockedAt != nil, AcknowledgeBy: rfc3339Ptr(r.AckDueAt),
		ReceivedAt: rfc3339Ptr(r.ReceivedAt), Description: r.Description, Signature: r.Signature}
	if r.ReceivedBy != "" {
		out.ReceivedBy, out.ReceivedByName = &r.ReceivedByUsername, &r.ReceivedByName
	}
	return out
}

func (h *API) sendChildWelfareReport(w http.ResponseWriter, r *http.Request) {
	h.sendReport(w, r, app.ReportChildWelfare)
}

func (h *API) sendDutyToInform(w http.ResponseWriter, r *http.Request) {
	h.sendReport(w, r, app.ReportDutyToInform)
}

// sendReport answers POST .../child-welfare-reports and .../duty-to-inform.
func (h *API) sendReport(w http.ResponseWriter, r *http.Request, kind string) {
	var in reportRequest
	if err := Decode(w, r, &in); err != nil {
		WriteError(w, err)
		return
	}
	v, err := h.app.SendReport(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"),
		app.NewReport{Kind: kind, Description: in.Description, Acute: in.Acute})
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusCreated, reportToJSON(v.Report))
}

// listReports answers GET /api/v1/child-welfare-reports.
func (h *API) listReports(w http.ResponseWriter, r *http.Request) {
	actor := reqctx.Actor(r.Context())
	var views []*app.ReportView
	var err error
	switch r.URL.Query().Get("box") {
	case "", "inbox":
		views, err = h.app.ReportInbox(r.Context(), actor)
	case "sent":
		views, err = h.app.SentReports(r.Context(), actor)
	default:
		WriteError(w, errBadBox)
		return
	}
	if err != nil {
		WriteError(w, err)
		return
	}
	out := struct {
		Items []reportJSON `json:"items"`
		Next  string       `json:"next"`
	}{Items: []reportJSON{}}
	for _, v := range views {
		if len(out.Items) == 100 {
			break
		}
		out.Items = append(out.Items, reportToJSON(v.Report))
	}
	WriteJSON(w, http.StatusOK, out)
}

// getReport answers GET /api/v1/child-welfare-reports/{id}.
func (h *API) getReport(w http.ResponseWriter, r *http.Request) {
	v, err := h.app.GetReport(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, reportToJSON(v.Report))
}

// changeReport answers PUT, PATCH and DELETE: a sent report is locked.
func (h *API) changeReport(w http.ResponseWriter, r *http.Request) {
	WriteError(w, h.app.ChangeReport(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id")))
}

// receiveReport answers POST /api/v1/child-welfare-reports/{id}/receive.
func (h *API) receiveReport(w http.ResponseWriter, r *http.Request) {
	v, err := h.app.ReceiveReport(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	WriteJSON(w, http.StatusOK, reportToJSON(v.Report))
}

// reportPDF answers GET /api/v1/child-welfare-reports/{id}/pdf.
func (h *API) reportPDF(w http.ResponseWriter, r *http.Request) {
	b, name, err := h.app.ReportPDF(r.Context(), reqctx.Actor(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

var errBadBox = samordna.Errorf(samordna.KindInvalid, "bad_box", "box is inbox or sent")
