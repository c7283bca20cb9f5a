package web

import (
	"net/http"
	"strconv"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/api"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

func (s *Server) overviewRoutes() []Route {
	return []Route{
		{Method: "GET", Path: "/coordinating-unit", Access: "role:coordinating_unit", Handler: s.overviewPage},
		{Method: "GET", Path: "/coordinating-unit/yearly-counts.csv", Access: "role:coordinating_unit", Handler: s.countsCSV},
	}
}

// groupRow is a registered group on the overview.
type groupRow struct {
	G                          *store.GroupSummary
	Created, Closed, Last, Nxt string
}

// overviewData is the coordinating unit's overview page.
type overviewData struct {
	O        *app.Overview
	Counts   *app.YearlyCounts
	Year     int
	Statuses []string
	Inbox    []applicationRow
	Groups   []groupRow
}

// overviewPage shows the overview with the counts of ?year= (this year
// by default).
func (s *Server) overviewPage(w http.ResponseWriter, r *http.Request) {
	actor := reqctx.Actor(r.Context())
	o, err := s.app.CoordinatingUnitOverview(r.Context(), actor)
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	d := overviewData{O: o, Counts: o.Counts, Year: o.Counts.Year, Statuses: []string{"submitted", "granted", "refused"},
		Inbox: applicationRows(o.Inbox)}
	if y := r.URL.Query().Get("year"); y != "" {
		year, err := strconv.Atoi(y)
		if err != nil {
			year = 0
		}
		c, err := s.app.YearlyCountsFor(r.Context(), actor, year)
		if err != nil {
			p := s.page(r, "coord.overview_title")
			p.Error = s.coordMessage(p.Lang, err)
			if samordna.ErrorKind(err) != samordna.KindInvalid {
				s.coordFail(w, r, err, nil)
				return
			}
			p.Data = s.overviewRows(d)
			s.render(w, r, http.StatusBadRequest, "coord_overview", p)
			return
		}
		d.Counts, d.Year = c, year
	}
	p := s.page(r, "coord.overview_title")
	p.Data = s.overviewRows(d)
	s.render(w, r, http.StatusOK, "coord_overview", p)
}

func (s *Server) overviewRows(d overviewData) overviewData {
	d.Groups = nil
	for _, g := range d.O.Groups {
		row := groupRow{G: g, Created: coordTime(g.CreatedAt)}
		if g.ClosedAt != nil {
			row.Closed = coordTime(*g.ClosedAt)
		}
		if g.LastMeeting != nil {
			row.Last = coordTime(*g.LastMeeting)
		}
		if g.NextMeeting != nil {
			row.Nxt = coordTime(*g.NextMeeting)
		}
		d.Groups = append(d.Groups, row)
	}
	return d
}

// countsCSV downloads the yearly counts of ?year= as CSV.
func (s *Server) countsCSV(w http.ResponseWriter, r *http.Request) {
	year := s.app.Clock.Now().In(pathway.Oslo()).Year()
	if y := r.URL.Query().Get("year"); y != "" {
		year, _ = strconv.Atoi(y)
	}
	c, err := s.app.YearlyCountsFor(r.Context(), reqctx.Actor(r.Context()), year)
	if err != nil {
		s.coordFail(w, r, err, nil)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="koordinerende-enhet-`+strconv.Itoa(year)+`.csv"`)
	w.WriteHeader(http.StatusOK)
	api.WriteCountsCSV(w, c)
}
