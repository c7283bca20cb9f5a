package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// Seed 002 §2.3 ("Brukergrupper med tilpassede behov"): 13 groups under
// "Barn og ungdom" (14 lines with the heading) and 10 under "Voksne"; §4.1
// and §4.2 name nine child groups as the OST's and the TSTs' user groups.
func TestSeed002Section23TargetGroupCatalog(t *testing.T) {
	children, adults, team := 0, 0, 0
	for _, g := range samordna.TargetGroups {
		if g.NB == "" || g.NN == "" || g.EN == "" || len(g.Services) == 0 {
			t.Errorf("%s: a name or its services (§3.1) missing", g.Code)
		}
		if g.Age == samordna.TargetChildren {
			children++
		} else {
			adults++
		}
		if g.Team {
			team++
		}
	}
	if children != 13 || adults != 10 || team != 9 {
		t.Errorf("children %d, adults %d, OST/TST groups %d; want 13, 10, 9", children, adults, team)
	}
	g, ok := samordna.TargetGroupByCode("child_of_parents_at_risk")
	if !ok || g.NB != "Barn av foreldre med rus/psykiske problemer eller alvorlig sykdom" {
		t.Errorf("the seed's wording: %+v", g)
	}
	// Seed 002 §3: every kind of service has a sector and one of the three
	// confidentiality regimes (§2.3 "Definisjon Taushetsplikt").
	for _, k := range []samordna.ServiceKind{samordna.ServiceRespite, samordna.ServiceHomeCare, samordna.ServicePhysioErgo,
		samordna.ServiceImmigrant, samordna.ServiceYouth, samordna.ServiceOutreach, samordna.ServiceSupportContact} {
		if !k.Valid() || k.Info().Sector == samordna.SectorOther {
			t.Errorf("%s: not a known kind with a sector", k)
		}
	}
	if samordna.ServiceChildWelfare.Info().Regime != samordna.RegimeServiceLaw ||
		samordna.ServiceHealthStation.Info().Regime != samordna.RegimeHealthPersonnel ||
		samordna.ServiceSchool.Info().Regime != samordna.RegimeAdministration {
		t.Error("child welfare: særlov; health station: helsepersonelloven; school: forvaltningsloven")
	}
}

// Seed 002 §2.3 and issue 15 point 6: a case is classified by target
// groups by those who work on it; the classification shows on the case,
// is audited, is counted in the coordinating unit's yearly counts, and
// nobody else can set it.
func TestSeed002Section23CaseTargetGroupsAreSetAndCounted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		w := newWorld(t, db, now)
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationUnclearConcern, ""))

		got, err := w.app.SetCaseTargetGroups(ctx, w.as("ola"), c.Case.ID, []string{"child_learning", "child_psychosocial"})
		w.must(err)
		if len(got) != 2 || got[0] != "child_psychosocial" || got[1] != "child_learning" {
			t.Errorf("catalog order: %v", got)
		}
		v, err := w.app.GetCase(ctx, w.as("ola"), c.Case.ID)
		w.must(err)
		if len(v.TargetGroups) != 2 {
			t.Errorf("the case shows %v", v.TargetGroups)
		}
		for _, tc := range []struct {
			codes []string
			code  string
		}{
			{[]string{"child_unknown"}, "invalid_target_group"},
			{[]string{"child_psychosocial", "child_learning", "child_neglect", "child_abuse", "child_behaviour", "child_substance"},
				"too_many_target_groups"},
		} {
			if _, err := w.app.SetCaseTargetGroups(ctx, w.as("ola"), c.Case.ID, tc.codes); samordna.ErrorCode(err) != tc.code {
				t.Errorf("%v: %v, want %s", tc.codes, err, tc.code)
			}
		}
		// Someone without the case: refused ≡ missing, and audited.
		if _, err := w.app.SetCaseTargetGroups(ctx, w.as("per"), c.Case.ID, nil); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("per without the case: %v", err)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM audit_events WHERE action = 'set_target_groups' AND outcome = 'denied'`); n != 1 {
			t.Errorf("%d denied audit rows", n)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM case_target_groups WHERE case_id = $1`, c.Case.ID); n != 2 {
			t.Errorf("a refused change changed the classification: %d rows", n)
		}
		counts, err := w.app.YearlyCountsFor(ctx, w.as("kari"), 2026)
		w.must(err)
		if counts.TargetGroups["child_psychosocial"] != 1 || counts.TargetGroups["child_learning"] != 1 {
			t.Errorf("yearly counts by target group: %v", counts.TargetGroups)
		}
	})
}

// Seed 002 §4.2 "Temaet skal melde systemsaker videre til OST" and §4.1
// (the OST works at system level: "systemisk arbeid, rutinebeskrivelser
// og kontinuerlig kontroll"): a TST sends a system issue with no person in
// it; it reaches the OST's next meeting; the OST decides with an owner and
// a deadline; the owner follows up; the TST sees the outcome.
func TestSeed002Section42SystemIssueReachesOSTWithoutAnyPerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
		w := newWorld(t, db, now)
		ctx := context.Background()
		w.concern("ola", named(pathway.SituationUnclearConcern, "")) // registers Emil Testesen
		tst := w.teams["tst"]
		if _, err := w.app.SendSystemIssue(ctx, w.as("ingrid"), tst.ID, app.NewSystemIssue{Title: "Ventetid", Description: "x"}); samordna.ErrorCode(err) != "no_ost" {
			t.Errorf("without an OST: %v, want no_ost", err)
		}
		ost, err := w.app.CreateTeam(ctx, nil, app.NewTeam{Name: "OST", Kind: samordna.TeamOverarching,
			LeaderID: w.id("nils"), MemberIDs: []string{w.id("berit")}})
		w.must(err)
		meeting := &store.TeamMeeting{ID: samordna.NewID(), TeamID: ost.ID, StartsAt: now.Add(7 * 24 * time.Hour),
			EndsAt: now.Add(7*24*time.Hour + 2*time.Hour), Status: store.TeamMeetingPlanned, Capacity: 6, CreatedAt: now}
		w.must(db.Write(ctx, func(tx *store.Tx) error { return store.CreateTeamMeeting(tx, meeting) }))

		for _, in := range []app.NewSystemIssue{
			{Title: "Ventetid på PPT", Description: "Gjelder " + childFNR + " og flere"},
			{Title: "Ventetid på PPT", Description: "Som for emil testesen: PPT svarer ikke før etter tre måneder."},
		} {
			if _, err := w.app.SendSystemIssue(ctx, w.as("ingrid"), tst.ID, in); samordna.ErrorCode(err) != "identifying_data" {
				t.Errorf("%q: %v, want identifying_data", in.Description, err)
			}
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM system_issues`); n != 0 {
			t.Fatalf("a refused issue was stored: %d", n)
		}
		in := app.NewSystemIssue{Title: "Ventetid på PPT", Description: "Skolene i Nord venter over tre måneder på sakkyndig vurdering."}
		if _, err := w.app.SendSystemIssue(ctx, w.as("ola"), tst.ID, in); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("ola is not in the TST: %v", err)
		}
		if _, err := w.app.SendSystemIssue(ctx, w.as("nils"), ost.ID, in); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("the OST sends to itself: %v", err)
		}
		x, err := w.app.SendSystemIssue(ctx, w.as("ingrid"), tst.ID, in)
		w.must(err)
		if x.Status != store.IssueOnAgenda || x.Meeting == nil || x.Meeting.ID != meeting.ID || x.ToTeam != "OST" {
			t.Fatalf("not on the OST's next meeting: %+v", x.SystemIssue)
		}
		if _, err := w.app.GetSystemIssue(ctx, w.as("ola"), x.ID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("ola reads the issue: %v", err)
		}
		pv, err := w.app.GetSystemIssue(ctx, w.as("per"), x.ID)
		w.must(err)
		if pv.CanDecide {
			t.Error("a TST member may decide for the OST")
		}
		dec := app.IssueDecision{Decision: "PPT legger fram ny rutine for sakkyndige vurderinger.", OwnerName: "berit",
			FollowUpDue: "2026-04-30"}
		if _, err := w.app.DecideSystemIssue(ctx, w.as("per"), x.ID, dec); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("per decides: %v", err)
		}
		if _, err := w.app.FollowUpSystemIssue(ctx, w.as("berit"), x.ID, "Gjort"); samordna.ErrorCode(err) != "not_decided" {
			t.Errorf("follow-up before the decision: %v", err)
		}
		bad := dec
		bad.FollowUpDue = "30.04.2026"
		if _, err := w.app.DecideSystemIssue(ctx, w.as("nils"), x.ID, bad); samordna.ErrorCode(err) != "invalid_date" {
			t.Errorf("a bad date: %v", err)
		}
		d, err := w.app.DecideSystemIssue(ctx, w.as("nils"), x.ID, dec)
		w.must(err)
		if d.Status != store.IssueDecided || d.OwnerName != "Berit Barnevernleder" {
			t.Errorf("decided: %+v", d.SystemIssue)
		}
		_, err = w.app.FollowUpSystemIssue(ctx, w.as("berit"), x.ID, "Ny rutine vedtatt i OST og sendt til skolene.")
		w.must(err)
		_, list, err := w.app.TeamSystemIssues(ctx, w.as("per"), tst.ID)
		w.must(err)
		if len(list) != 1 || list[0].Status != store.IssueFollowedUp || list[0].Decision != dec.Decision ||
			list[0].FollowUpDue == nil || list[0].FollowUpDue.In(pathway.Oslo()).Format("2006-01-02") != "2026-05-01" {
			t.Errorf("the TST sees the outcome: %+v", list)
		}
		issues, err := func() ([]*store.SystemIssue, error) {
			var out []*store.SystemIssue
			err := db.Read(ctx, func(tx *store.Tx) (err error) { out, err = app.SystemIssuesOnAgenda(tx, meeting.ID); return })
			return out, err
		}()
		w.must(err)
		if len(issues) != 1 {
			t.Errorf("the OST meeting's agenda holds %d issues", len(issues))
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM audit_events WHERE object_type = 'system_issue' AND outcome = 'allowed'`); n < 4 {
			t.Errorf("%d audit rows for the issue", n)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM audit_events WHERE object_type IN ('system_issue', 'team') AND outcome = 'denied'`); n < 4 {
			t.Errorf("%d denied audit rows", n)
		}
	})
}

// Issue 15 point 7 (seed 002 §4.1 "kontinuerlig kontroll", §2.3's groups
// as categories): the team report counts a year's matters by target group
// and district, anonymous and named, the days to discussion, advice and
// referrals; counts 1–4 show as "under 5"; leaders only; CSV and PDF.
func TestIssue15TeamReportCountsMattersAndHidesSmallCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
		w := newWorld(t, db, now)
		ctx := context.Background()
		tst := w.teams["tst"]
		nord, err := w.app.CreateDistrict(ctx, nil, "Nord")
		w.must(err)
		sor, err := w.app.CreateDistrict(ctx, nil, "Sør")
		w.must(err)
		schoolN, err := w.app.CreateService(ctx, nil, app.NewService{Name: "Reindalen skole", Kind: samordna.ServiceSchool, DistrictID: nord.ID})
		w.must(err)
		schoolS, err := w.app.CreateService(ctx, nil, app.NewService{Name: "Fjordtun skole", Kind: samordna.ServiceSchool, DistrictID: sor.ID})
		w.must(err)
		var matters []string
		w.must(db.Write(ctx, func(tx *store.Tx) error {
			for i := range 8 {
				at := time.Date(2026, time.Month(2+i), 3, 9, 0, 0, 0, time.UTC)
				m := &store.TeamMatter{MunicipalityID: tst.MunicipalityID, TeamID: tst.ID, Anonymous: true,
					Question: "Hvordan hjelpe en elev som uteblir?", ServiceID: schoolN.ID, Status: store.MatterWaiting,
					SubmittedBy: w.id("ola"), SubmittedAt: at}
				if i >= 6 {
					m.ServiceID = schoolS.ID
				}
				if err := store.CreateTeamMatter(tx, m); err != nil {
					return err
				}
				matters = append(matters, m.ID)
				disc := at.Add(time.Duration(7+i) * 24 * time.Hour)
				m.Status, m.Advice, m.DiscussedAt = store.MatterDiscussed, "Kontakt PPT", &disc
				if i < 3 {
					m.Referral = "ppt"
				}
				if err := store.SetTeamMatterOutcome(tx, m); err != nil {
					return err
				}
			}
			return nil
		}))
		for i, id := range matters {
			codes := []string{"child_psychosocial"}
			if i >= 6 {
				codes = []string{"child_learning"}
			}
			_, err := w.app.SetMatterTargetGroups(ctx, w.as("ingrid"), id, codes)
			w.must(err)
		}
		if _, err := w.app.SetMatterTargetGroups(ctx, w.as("siv"), matters[0], nil); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("siv is neither submitter nor in the team: %v", err)
		}
		tl, err := w.app.CreateTeam(ctx, nil, app.NewTeam{Name: "TST Sør", Kind: samordna.TeamInterdisciplinary, LeaderID: w.id("tor")})
		w.must(err)
		_ = tl
		if _, err := w.app.TeamReportFor(ctx, w.as("ola"), tst.ID, 2026); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("a teacher reads the team report: %v", err)
		}
		r, err := w.app.TeamReportFor(ctx, w.as("nils"), tst.ID, 2026) // a service leader
		w.must(err)
		line := func(ls []app.ReportLine, code string) app.Count {
			for _, l := range ls {
				if l.Code == code {
					return l.Count
				}
			}
			t.Errorf("no line %q", code)
			return app.Count{}
		}
		if r.Matters != 8 || r.Anonymous != (app.Count{N: 8}) || r.Named != (app.Count{}) || r.WithAdvice.N != 8 {
			t.Errorf("totals: %+v", r)
		}
		if c := line(r.ByTargetGroup, "child_psychosocial"); c != (app.Count{N: 6}) {
			t.Errorf("psychosocial: %+v", c)
		}
		if c := line(r.ByTargetGroup, "child_learning"); !c.Hidden {
			t.Errorf("two matters must show as under 5: %+v", c)
		}
		if line(r.ByDistrict, nord.ID).N != 6 || !line(r.ByDistrict, sor.ID).Hidden || !line(r.Referrals, "ppt").Hidden {
			t.Errorf("districts %+v, referrals %+v", r.ByDistrict, r.Referrals)
		}
		if r.MedianDays == nil || *r.MedianDays != 10 || *r.MaxDays != 14 {
			t.Errorf("days to discussion: %v %v", r.MedianDays, r.MaxDays)
		}
		if _, err := w.app.TeamReportFor(ctx, w.as("admin"), tst.ID, 2026); err != nil {
			t.Errorf("the administrator: %v", err)
		}
		csv := app.TeamReportCSV(r)
		found := false
		for _, row := range csv {
			if row[1] == "Barn med lærevansker" && row[2] == "<5" {
				found = true
			}
		}
		if !found {
			t.Errorf("the CSV shows small counts: %v", csv)
		}
		pdf, err := w.app.TeamReportPDF(ctx, w.as("nils"), tst.ID, 2026)
		w.must(err)
		checkPDFText(t, pdf, "Årsrapport 2026", "TST Nord", "Barn med psykososiale vansker", "<5")
	})
}

// Seed 002 §2.3/§4 (three confidentiality regimes) and §5.2 ("Utarbeide og
// kvalitetssikre samtykke og taushetspliktskjema"): the common consent
// form names the team the case may be discussed in by name and lists the
// regime of each service present; a team of another municipality is
// refused.
func TestSeed002Section52ConsentFormNamesTheTeamAndTheRegimes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationUnclearConcern, ""))
		pdf, err := w.app.ConsentFormPDFForTeam(ctx, w.as("ola"), c.Case.ID, w.teams["tst"].ID)
		w.must(err)
		checkPDFText(t, pdf, "[X] Jeg samtykker til at saken kan drøftes med navn i teamet «TST Nord»",
			"Taushetsplikt i tjenestene som deltar", "Helsestasjonen", "Helsepersonelloven", "helsepersonelloven § 21",
			"Barneverntjenesten", "Særlov", "barnevernsloven § 13-1")
		if _, err := w.app.ConsentFormPDFForTeam(ctx, w.as("ola"), c.Case.ID, "no-such-team"); samordna.ErrorCode(err) != "unknown_team" {
			t.Errorf("an unknown team: %v", err)
		}
	})
}

// Issue 15 "Done when": the demo has the TSTs and the OST with a year of
// matters; seed 002 §2.3 and §4.2: each demo matter has a target group and
// the TSTs have sent system issues to the OST, which decided two of them
// (one followed up) and has the third on its next meeting's agenda. The OST
// (nils.leder) reads the TST Nord report; the CSV shows small counts as <5.
func TestSeed002DemoHasTargetGroupsSystemIssuesAndReports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		a, _ := seedDemo(t, db)
		ctx := context.Background()
		if n := countRows(t, db, `SELECT COUNT(*) FROM team_matters m WHERE NOT EXISTS
			(SELECT 1 FROM team_matter_target_groups g WHERE g.matter_id = m.id)`); n != 0 {
			t.Errorf("%d demo matters without a target group", n)
		}
		for status, want := range map[string]int{"followed_up": 1, "decided": 1, "on_agenda": 1} {
			if n := countRows(t, db, `SELECT COUNT(*) FROM system_issues WHERE status = $1`, status); n != want {
				t.Errorf("%d system issues %s, want %d", n, status, want)
			}
		}
		var nils *samordna.Employee
		var tst *samordna.Team
		w := db.Read(ctx, func(tx *store.Tx) error {
			var err error
			if nils, _, err = store.EmployeeByUsername(tx, "nils.leder"); err != nil {
				return err
			}
			teams, err := store.ListTeams(tx)
			for _, x := range teams {
				if x.Name == "TST Nord" {
					tst = x
				}
			}
			return err
		})
		if w != nil || tst == nil {
			t.Fatalf("demo: %v", w)
		}
		r, err := a.TeamReportFor(ctx, &samordna.Actor{Employee: nils}, tst.ID, demoToday.Year())
		if err != nil {
			t.Fatal(err)
		}
		if r.Matters == 0 || len(r.ByTargetGroup) < 9 {
			t.Errorf("the TST Nord report: %+v", r)
		}
	})
}
