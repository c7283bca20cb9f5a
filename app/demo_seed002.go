package app

import (
	"errors"
	"fmt"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// This file seeds the demo's seed 002 data besides the team meetings: each
// demo team matter gets a target group (§2.3; the nine OST/TST groups in
// turn), and the TSTs have sent system issues to the OST (§4.2): one
// decided and followed up, one decided with a deadline still ahead and one
// on the agenda of the OST's next meeting.

// demoSystemIssues are the demo's system issues, from which TST.
var demoSystemIssues = []struct {
	team, title, text, decision, owner, note string
}{
	{"TST Nord", "Lang ventetid på sakkyndig vurdering fra PPT",
		"Skolene i Nord venter ofte mer enn tre måneder på sakkyndig vurdering. Tiltakene kommer sent i gang.",
		"PPT lager en rutine for hastesaker og rapporterer ventetiden til OST hvert kvartal.", "leif.pptleder",
		"Rutinen for hastesaker er vedtatt og sendt til skolene."},
	{"TST Sentrum", "Helsesykepleier har for lite fast kontortid på skolene",
		"Elevene finner ikke helsesykepleier når de trenger det; kontortiden er kort og skifter.",
		"Helsestasjonen legger fram forslag til faste kontortider per skole (delprosjekt 5 § 4.3).", "gro.hsleder", ""},
	{"TST Sør", "Uklart hvem som kaller inn til samarbeidsmøter med BUP",
		"Skolene og barnehagene vet ikke hvem som kaller inn når BUP er med i saken.", "", "", ""},
}

// seedDemoSeed002 classifies the demo's team matters and sends the
// system issues.
func (a *App) seedDemoSeed002(s *demoSeeder) error {
	teams, err := store.ListTeams(s.tx)
	if err != nil {
		return err
	}
	byName := map[string]*samordna.Team{}
	var groups []string
	for _, g := range samordna.TargetGroups {
		if g.Team {
			groups = append(groups, g.Code)
		}
	}
	n := 0
	for _, t := range teams {
		byName[t.Name] = t
		matters, err := store.TeamMattersOfTeam(s.tx, t.ID)
		if err != nil {
			return err
		}
		for _, m := range matters {
			if err := store.SetTeamMatterTargetGroups(s.tx, m.ID, []string{groups[n%len(groups)]}); err != nil {
				return err
			}
			n++
		}
	}
	ost, err := store.FirstTeamOfKind(s.tx, demoMunicipalityID(s), samordna.TeamOverarching)
	if errors.Is(err, samordna.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	meetings, err := store.AllTeamMeetings(s.tx, ost.ID)
	if err != nil {
		return err
	}
	return a.seedDemoIssues(s, byName, ost, meetings)
}

// demoMunicipalityID is the demo municipality's id.
func demoMunicipalityID(s *demoSeeder) string {
	for _, e := range s.employees {
		return e.MunicipalityID
	}
	return ""
}

// seedDemoIssues sends each demo issue: the first two to past OST meetings
// (decided there), the last to the next one.
func (a *App) seedDemoIssues(s *demoSeeder, byName map[string]*samordna.Team, ost *samordna.Team, meetings []*store.TeamMeeting) error {
	var past, next []*store.TeamMeeting
	for _, m := range meetings {
		if m.Status == store.TeamMeetingCancelled {
			continue
		}
		if m.StartsAt.Before(a.now()) {
			past = append(past, m)
		} else {
			next = append(next, m)
		}
	}
	for i, d := range demoSystemIssues {
		t := byName[d.team]
		if t == nil || len(t.MemberIDs) == 0 {
			return fmt.Errorf("demo team %s missing", d.team)
		}
		x := &store.SystemIssue{MunicipalityID: t.MunicipalityID, FromTeamID: t.ID, ToTeamID: ost.ID, Title: d.title,
			Description: d.text, Status: store.IssueSent, SentBy: t.MemberIDs[0]}
		var m *store.TeamMeeting
		switch {
		case d.decision != "" && len(past) > 2-i:
			m = past[len(past)-3+i]
		case d.decision == "" && len(next) > 0:
			m = next[0]
		}
		x.SentAt = s.ref.AddDate(0, -2, 0)
		if m != nil {
			x.MeetingID, x.Status, x.SentAt = m.ID, store.IssueOnAgenda, m.StartsAt.AddDate(0, 0, -12)
		}
		if err := store.CreateSystemIssue(s.tx, x); err != nil {
			return err
		}
		if d.decision == "" || m == nil {
			continue
		}
		decided, due := m.StartsAt, m.StartsAt.AddDate(0, 2, 0)
		x.Status, x.Decision, x.OwnerID, x.FollowUpDue = store.IssueDecided, d.decision, s.employees[d.owner].ID, &due
		x.DecidedBy, x.DecidedAt = ost.MemberIDs[0], &decided
		if err := store.DecideSystemIssue(s.tx, x); err != nil {
			return err
		}
		if d.note != "" {
			if err := store.FollowUpSystemIssue(s.tx, x.ID, d.note, x.OwnerID, decided.AddDate(0, 1, 0)); err != nil {
				return err
			}
		}
	}
	return nil
}
