package matrixtest_test

import (
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// Seed 002's part of the matrix (app/systemissues.go, app/teamreport.go,
// app/targetgroups.go): a team of the fixture's own ("team_issues",
// "team_report") in which the actor is a member (state member_consent) or
// the leader (state coordinator); a system issue it sent to the demo's OST
// ("system_issue"), owned by the actor in the state application; and an
// anonymous matter brought to the team ("matter_groups"), submitted by the
// actor in the state discoverer. The expected outcome is the app's rule
// (MayTeam, MayIssue, MayClassifyMatter) on the facts read now.
func init() {
	objectKinds["team_issues"] = objectKind{
		make: func(fx *fixture) (string, error) { return fx.objects["team"], nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			return matrixApp.MayTeam(tx, actor, fx.objects["team"], action)
		},
	}
	objectKinds["team_report"] = objectKind{
		make: func(fx *fixture) (string, error) { return fx.objects["team"], nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			return matrixApp.MayTeam(tx, actor, fx.objects["team"], "report")
		},
	}
	objectKinds["system_issue"] = objectKind{
		make: func(fx *fixture) (string, error) { return fx.objects["system_issue"], nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			return matrixApp.MayIssue(tx, actor, fx.objects["system_issue"], action)
		},
	}
	objectKinds["matter_groups"] = objectKind{
		make: func(fx *fixture) (string, error) { return fx.objects["matter"], nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			return matrixApp.MayClassifyMatter(tx, actor, fx.objects["matter"])
		},
	}
	// Teams that meet (app/teams.go, app/teammeeting.go,
	// app/teamarrange.go): the fixture's team ("team"), a planned meeting
	// of it a week on ("team_meeting") — the actor a fixed member
	// (member_consent), the leader (coordinator) or an invitee for the
	// whole meeting (application) — and the matter ("team_matter").
	objectKinds["team"] = objectKind{
		make: func(fx *fixture) (string, error) { return fx.objects["team"], nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			return matrixApp.MayTeam(tx, actor, fx.objects["team"], action)
		},
	}
	objectKinds["team_meeting"] = objectKind{
		make: func(fx *fixture) (string, error) { return fx.objects["team_meeting"], nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			return matrixApp.MayTeamMeeting(tx, actor, fx.objects["team_meeting"], action)
		},
	}
	objectKinds["team_matter"] = objectKind{
		make: func(fx *fixture) (string, error) { return fx.objects["matter"], nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			return matrixApp.MayTeamMatter(tx, actor, fx.objects["matter"], action)
		},
	}
	for k, v := range map[string]string{
		"POST /api/v1/teams/{id}/matters":          `{"anonymous": true, "question": "Hvordan følge opp fraværet?"}`,
		"POST /api/v1/teams/{id}/series":           `{"first_starts_at": "2026-03-10T08:00:00Z", "place": "Rådhuset"}`,
		"POST /api/v1/team-meetings/{id}/move":     `{"starts_at": "2026-03-10T12:00:00Z", "reason": "Kollisjon med kurs"}`,
		"POST /api/v1/team-meetings/{id}/invitees": `{"username": "{username}"}`,
		"POST /api/v1/team-meetings/{id}/minutes":  `{"summary": "Ingen saker.", "dry_run": true}`,
	} {
		apiBodies[k] = v
	}
	for k, v := range map[string]map[string]string{
		"POST /teams/{id}/matters":          {"anonymous": "yes", "question": "Hvordan følge opp fraværet?"},
		"POST /teams/{id}/series":           {"date": "2026-03-10", "time": "09:00", "duration": "120", "place": "Rådhuset"},
		"POST /team-meetings/{id}/move":     {"date": "2026-03-10", "time": "13:00", "reason": "Kollisjon med kurs"},
		"POST /team-meetings/{id}/cancel":   {"reason": "Sykdom i teamet"},
		"POST /team-meetings/{id}/invite":   {"employee": "{postTargetID}"},
		"POST /team-meetings/{id}/chair":    {"chair": ""},
		"POST /team-meetings/{id}/review":   {"summary": "Ingen saker."},
		"POST /team-meetings/{id}/finalise": {"summary": "Ingen saker."},
	} {
		pageForms[k] = v
	}
	for k, v := range map[string]string{
		"PUT /api/v1/cases/{id}/target-groups":        `{"codes": ["child_learning"]}`,
		"PUT /api/v1/team-matters/{id}/target-groups": `{"codes": ["child_learning"]}`,
		"POST /api/v1/teams/{id}/system-issues":       `{"title": "Ventetid på PPT", "description": "Skolene venter lenge på sakkyndig vurdering."}`,
		"POST /api/v1/system-issues/{id}/decision":    `{"decision": "PPT lager ny rutine.", "owner": "lars.nav", "follow_up_due": "2026-06-30"}`,
		"POST /api/v1/system-issues/{id}/follow-up":   `{"note": "Rutinen er sendt til skolene."}`,
	} {
		apiBodies[k] = v
	}
	for k, v := range map[string]map[string]string{
		"POST /cases/{id}/target-groups":     {"groups": "child_learning"},
		"POST /teams/{id}/system-issues":     {"step": "send", "title": "Ventetid på PPT", "description": "Skolene venter lenge."},
		"POST /system-issues/{id}/decision":  {"decision": "PPT lager ny rutine.", "due": "2026-06-30"},
		"POST /system-issues/{id}/follow-up": {"note": "Rutinen er sendt til skolene."},
	} {
		pageForms[k] = v
	}
}

// makeSeed002Objects makes the fixture's team, system issue and matter.
func (w *world) makeSeed002Objects(tx *store.Tx, fx *fixture) error {
	lars := w.emp[registrar].ID
	t := &samordna.Team{ID: samordna.NewID(), MunicipalityID: w.muni, Name: "Matrise-TST " + samordna.NewID()[:6],
		Kind: samordna.TeamInterdisciplinary}
	switch fx.state {
	case "member_consent":
		t.MemberIDs = []string{fx.actor.ID}
	case "coordinator":
		t.LeaderID, t.MemberIDs = fx.actor.ID, []string{fx.actor.ID}
	}
	if err := store.CreateTeam(tx, t, fixedNow); err != nil {
		return err
	}
	fx.objects["team"] = t.ID
	ost, err := store.FirstTeamOfKind(tx, w.muni, samordna.TeamOverarching)
	if err != nil {
		return err
	}
	x := &store.SystemIssue{MunicipalityID: w.muni, FromTeamID: t.ID, ToTeamID: ost.ID, Title: "Ventetid",
		Description: "Lang ventetid på PPT.", Status: store.IssueSent, SentBy: lars, SentAt: fixedNow}
	if err := store.CreateSystemIssue(tx, x); err != nil {
		return err
	}
	if fx.state == "application" {
		due, now := fixedNow.AddDate(0, 1, 0), fixedNow
		x.Status, x.Decision, x.OwnerID, x.FollowUpDue, x.DecidedBy, x.DecidedAt =
			store.IssueDecided, "Ny rutine", fx.actor.ID, &due, lars, &now
		if err := store.DecideSystemIssue(tx, x); err != nil {
			return err
		}
	}
	fx.objects["system_issue"] = x.ID
	by := lars
	if fx.state == "discoverer" {
		by = fx.actor.ID
	}
	m := &store.TeamMatter{MunicipalityID: w.muni, TeamID: t.ID, Anonymous: true, Question: "Hvordan hjelpe eleven?",
		Status: store.MatterWaiting, SubmittedBy: by, SubmittedAt: fixedNow}
	if err := store.CreateTeamMatter(tx, m); err != nil {
		return err
	}
	fx.objects["matter"] = m.ID
	return w.makeTeamMeeting(tx, fx, t)
}

// makeTeamMeeting plans the fixture team's meeting a week on, with the
// fixed members taking part and, in the state application, the actor
// invited to the whole meeting.
func (w *world) makeTeamMeeting(tx *store.Tx, fx *fixture, t *samordna.Team) error {
	start := fixedNow.AddDate(0, 0, 7)
	mt := &store.TeamMeeting{TeamID: t.ID, StartsAt: start, EndsAt: start.Add(2 * time.Hour), Place: "Rådhuset",
		CreatedAt: fixedNow}
	if err := store.CreateTeamMeeting(tx, mt); err != nil {
		return err
	}
	for _, id := range t.MemberIDs {
		if err := store.AddTeamMeetingParticipant(tx, &store.TeamMeetingParticipant{MeetingID: mt.ID, EmployeeID: id}); err != nil {
			return err
		}
	}
	if fx.state == "application" {
		if err := store.AddTeamMeetingParticipant(tx, &store.TeamMeetingParticipant{MeetingID: mt.ID,
			EmployeeID: fx.actor.ID, AdHoc: true}); err != nil {
			return err
		}
	}
	fx.objects["team_meeting"] = mt.ID
	return nil
}
