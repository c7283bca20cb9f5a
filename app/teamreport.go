package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/internal/pdf"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file holds the team report of issue 15 point 7 (seed 002 §4.1: the
// OST's "kontinuerlig kontroll"; §2.3's target groups as the categories):
// for one team and one calendar year, the matters by target group and by
// district, anonymous and named, the time from submission to discussion,
// the advice and the onward referrals, and the system issues sent. Counts
// from 1 to 4 are shown as "under 5" wherever a person could be recognised
// from them (every breakdown); the year's total and the system issues
// (which name nobody) are shown as they are.

// SmallCount is the smallest count shown as it is in a breakdown.
const SmallCount = 5

// Count is a number in the report; Hidden says it is 1–4 and shown as
// "under 5".
type Count struct {
	N      int
	Hidden bool
}

// String is the count as the CSV and the PDF show it.
func (c Count) String() string {
	if c.Hidden {
		return "<5"
	}
	return strconv.Itoa(c.N)
}

// count makes a breakdown cell: 1–4 hidden.
func count(n int) Count { return Count{N: n, Hidden: n > 0 && n < SmallCount} }

// ReportLine is one labelled count: Code is a target group, district id or
// referral code ("" for none), Label its name in bokmål for the CSV and
// PDF (the pages translate the codes).
type ReportLine struct {
	Code, Label string
	Count       Count
}

// TeamReport is a team's year in numbers.
type TeamReport struct {
	Team *samordna.Team
	Year int
	// Matters submitted in the year (withdrawn ones left out).
	Matters   int
	Anonymous Count
	Named     Count
	// ForParents: brought on behalf of the parents (seed 002 §4.2).
	ForParents Count
	// By target group (every group of the catalog that occurs, the nine
	// OST/TST groups always) and unclassified; a matter in two groups counts
	// in both.
	ByTargetGroup []ReportLine
	Unclassified  Count
	ByDistrict    []ReportLine // the submitting service's district; "" none
	Discussed     Count
	WithAdvice    Count
	Referrals     []ReportLine // one line per referral kind, none included
	// Median and longest days from submission to discussion; nil when fewer
	// than SmallCount matters were discussed.
	MedianDays, MaxDays *int
	SystemIssues        int // sent by the team in the year
}

// referralLabels are the onward referrals of the team meeting (seed 002
// §4.2.2), in bokmål.
var referralLabels = []ReportLine{{Code: "coordinating_unit", Label: "Koordinerende enhet"},
	{Code: "child_welfare", Label: "Barneverntjenesten"}, {Code: "ppt", Label: "PPT"}, {Code: "bup", Label: "BUP"},
	{Code: "family_counselling", Label: "Familievernkontoret"}}

// TeamReportFor returns the team's report for the year. One audit row
// (object_type "team", action "read_report").
//
// Who may call: MayTeam(TeamReadReport) — the team's leader, the OST,
// service leaders and the administrator; anyone else gets
// samordna.ErrNotFound (audited). Errors: invalid_year (KindInvalid)
// outside 2000–2100.
func (a *App) TeamReportFor(ctx context.Context, actor *samordna.Actor, teamID string, year int) (*TeamReport, error) {
	if year < 2000 || year > 2100 {
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_year", "year is 2000 to 2100")
	}
	var r *TeamReport
	err := a.withTeamAction(ctx, actor, teamID, TeamReadReport, "read_report", func(tx *store.Tx, t *samordna.Team) error {
		var err error
		if r, err = teamReport(tx, t, year); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "team", ObjectID: t.ID, Action: "read_report",
			Purpose: strconv.Itoa(year)})
	})
	return r, err
}

// teamReport counts the team's matters submitted in the year (Oslo time).
func teamReport(tx *store.Tx, t *samordna.Team, year int) (*TeamReport, error) {
	from := time.Date(year, time.January, 1, 0, 0, 0, 0, pathway.Oslo()).UTC()
	to := time.Date(year+1, time.January, 1, 0, 0, 0, 0, pathway.Oslo()).UTC()
	all, err := store.TeamMattersOfTeam(tx, t.ID)
	if err != nil {
		return nil, err
	}
	r := &TeamReport{Team: t, Year: year}
	var anon, named, discussed, advice, unclassified, parents int
	groups, districts, referrals := map[string]int{}, map[string]int{}, map[string]int{}
	var days []int
	for _, m := range all {
		if m.Status == store.MatterWithdrawn || m.SubmittedAt.Before(from) || !m.SubmittedAt.Before(to) {
			continue
		}
		r.Matters++
		if m.Anonymous {
			anon++
		} else {
			named++
		}
		if m.ForParents {
			parents++
		}
		codes, err := store.TeamMatterTargetGroups(tx, m.ID)
		if err != nil {
			return nil, err
		}
		if len(codes) == 0 {
			unclassified++
		}
		for _, c := range codes {
			groups[c]++
		}
		d, err := matterDistrict(tx, m)
		if err != nil {
			return nil, err
		}
		districts[d]++
		if m.DiscussedAt != nil {
			discussed++
			days = append(days, int(m.DiscussedAt.Sub(m.SubmittedAt).Hours()/24))
			referrals[m.Referral]++
		}
		if m.Advice != "" {
			advice++
		}
	}
	r.Anonymous, r.Named, r.Discussed, r.WithAdvice, r.Unclassified, r.ForParents =
		count(anon), count(named), count(discussed), count(advice), count(unclassified), count(parents)
	for _, g := range samordna.TargetGroups {
		if g.Team || groups[g.Code] > 0 {
			r.ByTargetGroup = append(r.ByTargetGroup, ReportLine{Code: g.Code, Label: g.NB, Count: count(groups[g.Code])})
		}
	}
	if r.ByDistrict, err = districtLines(tx, t.MunicipalityID, districts); err != nil {
		return nil, err
	}
	for _, l := range referralLabels {
		r.Referrals = append(r.Referrals, ReportLine{Code: l.Code, Label: l.Label, Count: count(referrals[l.Code])})
	}
	r.Referrals = append(r.Referrals, ReportLine{Code: "", Label: "Ingen henvisning", Count: count(referrals[""])})
	if len(days) >= SmallCount {
		slices.Sort(days)
		med, max := days[len(days)/2], days[len(days)-1]
		if len(days)%2 == 0 {
			med = (days[len(days)/2-1] + days[len(days)/2]) / 2
		}
		r.MedianDays, r.MaxDays = &med, &max
	}
	issues, err := store.SystemIssuesSentInRange(tx, t.ID, from, to)
	if err != nil {
		return nil, err
	}
	r.SystemIssues = len(issues)
	return r, nil
}

// matterDistrict is the district of the matter's submitting service, ""
// when it has none.
func matterDistrict(tx *store.Tx, m *store.TeamMatter) (string, error) {
	if m.ServiceID == "" {
		return "", nil
	}
	s, err := store.ServiceByID(tx, m.ServiceID)
	if errors.Is(err, samordna.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return s.DistrictID, nil
}

// districtLines lists the municipality's districts in their order, then
// "no district" when some matter had none.
func districtLines(tx *store.Tx, municipalityID string, n map[string]int) ([]ReportLine, error) {
	ds, err := store.ListDistricts(tx, municipalityID)
	if err != nil {
		return nil, err
	}
	var out []ReportLine
	for _, d := range ds {
		out = append(out, ReportLine{Code: d.ID, Label: d.Name, Count: count(n[d.ID])})
	}
	if n[""] > 0 {
		out = append(out, ReportLine{Code: "", Label: "Uten bydel", Count: count(n[""])})
	}
	return out, nil
}

// TeamReportCSV is the report as CSV rows: section, label, count (counts
// 1–4 as "<5").
func TeamReportCSV(r *TeamReport) [][]string {
	rows := [][]string{{"del", "kategori", "antall"},
		{"saker", "Saker meldt inn " + strconv.Itoa(r.Year), strconv.Itoa(r.Matters)},
		{"saker", "Anonyme", r.Anonymous.String()}, {"saker", "Med navn (samtykke)", r.Named.String()},
		{"saker", "Meldt på vegne av foreldrene", r.ForParents.String()},
		{"saker", "Drøftet", r.Discussed.String()}, {"saker", "Med råd", r.WithAdvice.String()}}
	for _, l := range r.ByTargetGroup {
		rows = append(rows, []string{"brukergruppe", l.Label, l.Count.String()})
	}
	rows = append(rows, []string{"brukergruppe", "Uten brukergruppe", r.Unclassified.String()})
	for _, l := range r.ByDistrict {
		rows = append(rows, []string{"bydel", l.Label, l.Count.String()})
	}
	for _, l := range r.Referrals {
		rows = append(rows, []string{"henvisning", l.Label, l.Count.String()})
	}
	rows = append(rows, []string{"tid", "Median dager fra innmelding til drøfting", optDays(r.MedianDays)},
		[]string{"tid", "Lengste tid i dager", optDays(r.MaxDays)},
		[]string{"systemsaker", "Systemsaker sendt til OST", strconv.Itoa(r.SystemIssues)})
	return rows
}

// optDays shows a number of days, or "<5 drøftet" when too few matters
// were discussed to show it.
func optDays(d *int) string {
	if d == nil {
		return "<5 drøftet"
	}
	return strconv.Itoa(*d)
}

// TeamReportPDF renders the report for print (bokmål, as the municipality
// files it). Same access and audit as TeamReportFor.
func (a *App) TeamReportPDF(ctx context.Context, actor *samordna.Actor, teamID string, year int) ([]byte, error) {
	r, err := a.TeamReportFor(ctx, actor, teamID, year)
	if err != nil {
		return nil, err
	}
	title := fmt.Sprintf("Årsrapport %d – %s", r.Year, r.Team.Name)
	doc := pdf.New(pdf.Options{Title: title, Subject: "Teamrapport", Lang: "nb", Created: a.now(), Footer: "Samordna"})
	doc.Paragraph("Saker meldt inn til teamet i " + strconv.Itoa(r.Year) + ", etter brukergruppe (Hammerfest-rapporten " +
		"§ 2.3), bydel, anonyme og med navn, tid fra innmelding til drøfting, råd og henvisninger. Tall fra 1 til 4 vises " +
		"som «<5» der en person kan kjennes igjen.")
	sections := []struct {
		heading string
		from    string
	}{{"Saker", "saker"}, {"Etter brukergruppe", "brukergruppe"}, {"Etter bydel", "bydel"},
		{"Henvisninger videre", "henvisning"}, {"Tid fra innmelding til drøfting", "tid"}, {"Systemsaker", "systemsaker"}}
	rows := TeamReportCSV(r)[1:]
	for _, s := range sections {
		doc.Heading(s.heading)
		var table [][]string
		for _, row := range rows {
			if row[0] == s.from {
				table = append(table, []string{row[1], row[2]})
			}
		}
		doc.Table([]string{"Kategori", "Antall"}, table)
	}
	return doc.Bytes()
}
