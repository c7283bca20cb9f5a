package matrixtest_test

import (
	"fmt"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/internal/matrixtest"
	"github.com/samordna/samordna/store"
)

// This file is the access matrix's vocabulary: how to read a route's
// declared Access ("<object>:<action>") and, for each kind of object, how
// to make one for a fixture and what the policy expects.
//
// A feature that adds an object kind to its routes' Access (say
// "plan:read") adds an entry to objectKinds: make builds the object on the
// fixture's case (with plain SQL or store functions) and expect tells from
// the policy whether the actor may act on it. Until it does, the matrix
// fails for those routes: an Access the test does not understand is an
// unchecked route.

// objectKind is one kind of object a route's {id} can name.
type objectKind struct {
	// make creates the object on the fixture (for the fixture's case, state
	// and actor) and returns its id.
	make func(fx *fixture) (string, error)
	// expect tells whether the actor may perform action on the object,
	// reading what it needs in tx.
	expect func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error)
}

// caseAction decides a case action with the access package on the facts
// read now.
func caseAction(tx *store.Tx, caseID string, actor *samordna.Employee, action string) (bool, error) {
	if action == acceptCoordinator {
		return mayAcceptCoordinator(tx, caseID, actor)
	}
	if action == coordinateByRoutine {
		return matrixApp.MayTakeCoordinationByRoutine(tx, actor, caseID)
	}
	if !knownAction(action) {
		return false, fmt.Errorf("unknown access action %q", action)
	}
	s := access.SubjectOf(actor)
	f, ok, err := store.CaseFacts(tx, caseID, s, fixedNow)
	if err != nil || !ok {
		return false, err
	}
	return access.Can(s, access.Action(action), f), nil
}

// knownAction reports whether the access package knows the action.
func knownAction(a string) bool {
	switch access.Action(a) {
	case access.Read, access.Write, access.ManageConsent, access.Block, access.ViewAccessLog, access.Decide,
		access.BreakGlass, access.Coordinate, access.Inform, access.Close, access.Reopen, acceptCoordinator, coordinateByRoutine:
		return true
	}
	return false
}

// coordinateByRoutine ("case:coordinate_by_routine") is not an access
// action but the rule of TakeCoordinationByRoutine (Ulstein row 6): a
// child-welfare caseworker who reads the case while its routine's step
// gives child welfare the responsibility group. The app decides it from the
// case's tasks and routine (matrixApp is the matrix world's App).
const coordinateByRoutine = "coordinate_by_routine"

// acceptCoordinator ("case:accept_coordinator") is not an access action
// but the rule of AcceptCoordinator: only the employee appointed as the
// case's coordinator, or offered the role by a handover, may accept it.
const acceptCoordinator = "accept_coordinator"

// mayAcceptCoordinator: the case has a current coordinator assignment
// naming the actor (appointed, or offered the role), the case is in the
// actor's municipality and the actor is not barred from it. Whether there
// is still something to accept (409 already_accepted) does not matter.
func mayAcceptCoordinator(tx *store.Tx, caseID string, actor *samordna.Employee) (bool, error) {
	f, ok, err := store.CaseFacts(tx, caseID, access.SubjectOf(actor), fixedNow)
	if err != nil || !ok || !f.SameMunicipality || f.Blocked {
		return false, err
	}
	k, err := store.CurrentAssignment(tx, caseID)
	if err != nil || k == nil {
		return false, err
	}
	return k.EmployeeID == actor.ID || k.HandoverTo == actor.ID, nil
}

var objectKinds = map[string]objectKind{
	// The case itself; for a route without {id} (the break-glass form) the
	// case is named in the body.
	"case": {
		make: func(fx *fixture) (string, error) { return fx.caseID, nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			return caseAction(tx, fx.caseID, actor, action)
		},
	},
	// A consent is decided on its case.
	"consent": {
		make: func(fx *fixture) (string, error) { return fx.consentID, nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			return caseAction(tx, fx.caseID, actor, action)
		},
	},
	// An emergency access is reviewed by the leader of its reviewing
	// service, never by the employee who used it.
	"emergency_access": {
		make: func(fx *fixture) (string, error) { return fx.emergencyID, nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			if action != "review" {
				return false, fmt.Errorf("unknown emergency_access action %q", action)
			}
			x, err := store.EmergencyAccessByID(tx, fx.emergencyID)
			if err != nil {
				return false, err
			}
			leads, err := store.LeadsService(tx, actor.ID, x.ServiceID)
			if err != nil {
				return false, err
			}
			return access.CanReviewEmergency(access.SubjectOf(actor), leads, x.EmployeeID == actor.ID), nil
		},
	},
	// An application to the coordinating unit is decided on its case: read
	// by the case's readers, decided by the unit (access.Decide). It lives on
	// its own case in the fixture's state; that case holds the application,
	// so the coordinating unit reads it in every state but a block.
	"application": {
		make: func(fx *fixture) (string, error) { return fx.objects["application"], nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			switch action {
			case "read", "decide":
				return caseAction(tx, fx.objects["application.case"], actor, action)
			}
			return false, fmt.Errorf("unknown application action %q", action)
		},
	},
	// A meeting of the responsibility group of the fixture's case: read by
	// the case's readers; planned, invited to and cancelled by the
	// coordinator or the coordinating unit (access.Coordinate); its minutes
	// written by them or by the meeting's minute-taker while the
	// minute-taker may read the case. The fixture's actor takes the minutes
	// when a member of the group.
	"meeting": {
		make: func(fx *fixture) (string, error) { return fx.objects["meeting"], nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			switch action {
			case "read", "coordinate":
				return caseAction(tx, fx.caseID, actor, action)
			case "write_minutes":
				return mayWriteMinutes(tx, fx, actor)
			}
			return false, fmt.Errorf("unknown meeting action %q", action)
		},
	},
}

// The task and notification kinds are issue 4's; they are described here
// from its current code (app/tasks.go, app/notifications.go).
func init() {
	// A task of the fixture's case, assigned to the coordinating unit's
	// role: seen by the case's readers and by its assignees (unless barred,
	// in another municipality, or the administrator). "complete" is
	// expected like "read": a reader who is not an assignee gets
	// not_assignee (422), which tells nothing new; anyone else 404.
	objectKinds["task"] = objectKind{
		make: func(fx *fixture) (string, error) { return fx.objects["task"], nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			if action != "read" && action != "complete" {
				return false, fmt.Errorf("unknown task action %q", action)
			}
			s := access.SubjectOf(actor)
			f, ok, err := store.CaseFacts(tx, fx.caseID, s, fixedNow)
			if err != nil || !ok || f.Blocked || !f.SameMunicipality || s.Has(samordna.RoleAdmin) {
				return false, err
			}
			assignee, err := store.IsAssignee(tx, fx.objects["task"], s)
			return assignee || access.Can(s, access.Read, f), err
		},
	}
	// A notification is its owner's alone; the fixture's belongs to the
	// actor except in the state "none", where it is the registrar's.
	objectKinds["notification"] = objectKind{
		make: func(fx *fixture) (string, error) { return fx.objects["notification"], nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			if action != "own" {
				return false, fmt.Errorf("unknown notification action %q", action)
			}
			return fx.objects["notification.owner"] == actor.ID, nil
		},
	}
}

// A sent report to child welfare (issue 4, app/reports.go): seen by its
// sender and by the caseworkers of the receiving service, in its
// municipality, unless barred from the case or the administrator.
// "receive" is expected like "read": the sender gets not_recipient (422),
// anyone else who cannot see the report 404.
func init() {
	objectKinds["report"] = objectKind{
		make: func(fx *fixture) (string, error) { return fx.objects["report"], nil },
		expect: func(tx *store.Tx, fx *fixture, actor *samordna.Employee, action string) (bool, error) {
			if action != "read" && action != "receive" {
				return false, fmt.Errorf("unknown report action %q", action)
			}
			r, err := store.ReportByID(tx, fx.objects["report"])
			if err != nil {
				return false, err
			}
			s := access.SubjectOf(actor)
			if r.MunicipalityID != actor.MunicipalityID || s.Has(samordna.RoleAdmin) {
				return false, nil
			}
			f, _, err := store.CaseFacts(tx, r.CaseID, s, fixedNow)
			if err != nil || f.Blocked {
				return false, err
			}
			recipient, err := store.IsReportRecipient(tx, actor.ID, r.MunicipalityID, r.Kind)
			return recipient || r.SentBy == actor.ID, err
		},
	}
}

// makeReport sends the fixture's report on a named case of its own in the
// fixture's state (the report makes child welfare a reader of its case):
// by the actor in the state "discoverer", else by the registrar.
func (w *world) makeReport(tx *store.Tx, fx *fixture) error {
	caseID, err := w.stateCase(tx, fx)
	if err != nil {
		return err
	}
	p := &samordna.Person{MunicipalityID: w.muni, Name: "Ufødt Testesen", DueDate: "2026-08-01", Synthetic: true}
	if err := store.CreatePerson(tx, p, fixedNow); err != nil {
		return err
	}
	if _, err := tx.Exec(`UPDATE cases SET subject_person_id = $1, anonymous = FALSE WHERE id = $2`, p.ID, caseID); err != nil {
		return err
	}
	sender := w.emp[registrar]
	if fx.state == "discoverer" {
		sender = fx.actor
	}
	r := &store.Report{ID: samordna.NewID(), CaseID: caseID, MunicipalityID: w.muni, Kind: store.ReportChildWelfare,
		Description: "Testmelding", Status: store.ReportSent, SentBy: sender.ID, SentAt: fixedNow,
		SenderName: sender.Name, Signature: "x", LockedAt: &fixedNow}
	if err := store.CreateReport(tx, r, samplePDF); err != nil {
		return err
	}
	fx.objects["report"] = r.ID
	return nil
}

// makeIssue4Objects builds the task and the notification of the fixture.
func (w *world) makeIssue4Objects(tx *store.Tx, fx *fixture) error {
	t := &store.Task{CaseID: fx.caseID, MunicipalityID: w.muni, Kind: store.TaskKindStep, Title: "Kontakt personen",
		Responsible: "coordinating_unit", AssigneeKind: store.AssignRole, Role: string(samordna.RoleCoordinatingUnit),
		Status: store.TaskOpen, StartedAt: fixedNow, CreatedAt: fixedNow}
	if err := store.CreateTask(tx, t); err != nil {
		return err
	}
	fx.objects["task"] = t.ID
	owner := fx.actor.ID
	if fx.state == "none" {
		owner = w.emp[registrar].ID
	}
	n := &store.Notification{EmployeeID: owner, Kind: "task_overdue", CaseID: fx.caseID, TaskID: t.ID,
		CreatedAt: fixedNow}
	if err := store.CreateNotification(tx, n); err != nil {
		return err
	}
	fx.objects["notification"], fx.objects["notification.owner"] = n.ID, owner
	return nil
}

// mayWriteMinutes: access.Coordinate on the meeting's case, or the
// meeting's minute-taker (a current member) who may read the case.
func mayWriteMinutes(tx *store.Tx, fx *fixture, actor *samordna.Employee) (bool, error) {
	if ok, err := caseAction(tx, fx.caseID, actor, string(access.Coordinate)); ok || err != nil {
		return ok, err
	}
	m, err := store.MeetingByID(tx, fx.objects["meeting"])
	if err != nil {
		return false, err
	}
	members, err := store.Members(tx, m.GroupID)
	if err != nil {
		return false, err
	}
	for _, x := range members {
		if x.ID == m.MinuteTakerID && x.EmployeeID == actor.ID {
			return caseAction(tx, fx.caseID, actor, string(access.Read))
		}
	}
	return false, nil
}

// makeObjects builds the fixture's objects of the coordination feature:
// an application (on a case of its own in the fixture's state), and on the
// fixture's case an open responsibility group (the one the state made, or
// a new one) with two members by name that the remove routes take away
// (one for the API, one for the pages) and a planned meeting whose
// minute-taker is the actor when a member.
func (w *world) makeObjects(tx *store.Tx, fx *fixture) error {
	fx.objects = map[string]string{}
	lars := w.emp[registrar].ID
	appCase, err := w.stateCase(tx, fx)
	if err != nil {
		return err
	}
	if fx.state != "application" {
		if err := matrixtest.AddApplication(tx, appCase, w.muni, lars, fixedNow); err != nil {
			return err
		}
	}
	fx.objects["application.case"] = appCase
	apps, err := store.ApplicationsOfCase(tx, appCase)
	if err != nil || len(apps) == 0 {
		return fmt.Errorf("the application of the fixture: %v", err)
	}
	fx.objects["application"] = apps[0].ID
	grp, err := store.OpenGroupOfCase(tx, fx.caseID)
	if err != nil {
		return err
	}
	if grp == nil {
		grp = &store.Group{ID: samordna.NewID(), CaseID: fx.caseID, CreatedBy: lars, CreatedAt: fixedNow}
		if err := store.CreateGroup(tx, grp); err != nil {
			return err
		}
	}
	for _, key := range []string{"member.api", "member.web"} {
		m := &store.Member{ID: samordna.NewID(), GroupID: grp.ID, Name: "Kari Testesen", Relation: "guardian",
			AddedAt: fixedNow}
		if err := store.AddMember(tx, m); err != nil {
			return err
		}
		fx.objects[key] = m.ID
	}
	taker := ""
	members, err := store.Members(tx, grp.ID)
	if err != nil {
		return err
	}
	for _, m := range members {
		if m.EmployeeID == fx.actor.ID {
			taker = m.ID
		}
	}
	mt := &store.Meeting{ID: samordna.NewID(), CaseID: fx.caseID, GroupID: grp.ID, MunicipalityID: w.muni,
		StartsAt: fixedNow.AddDate(0, 0, 14), DurationMinutes: 60, Place: "Rådhuset, møterom 2",
		Status: store.MeetingPlanned, Agenda: []string{"Status"}, MinuteTakerID: taker, CreatedBy: lars,
		CreatedAt: fixedNow}
	if err := store.CreateMeeting(tx, mt); err != nil {
		return err
	}
	fx.objects["meeting"] = mt.ID
	if err := w.makeIssue4Objects(tx, fx); err != nil {
		return err
	}
	if err := w.makeReport(tx, fx); err != nil {
		return err
	}
	if err := w.makePersonObject(tx, fx); err != nil { // persons_kinds_test.go
		return err
	}
	if err := w.makeSolaObject(tx, fx); err != nil { // sola_kinds_test.go
		return err
	}
	return w.makePlanObject(tx, fx) // plans_kinds_test.go
}

// memberParam fills {member}: a member of the fixture's group by name,
// one for the API's route and another for the page's, so that the first
// removal does not leave the second without a member.
func memberParam(r route, fx *fixture) string {
	if r.api {
		return fx.objects["member.api"]
	}
	return fx.objects["member.web"]
}

// Valid bodies of the coordination routes (the others get {} or an empty
// form: an allowed caller then gets a validation error, never 404).
func init() {
	for k, v := range map[string]string{
		"POST /api/v1/applications/{id}/decision":                  `{"outcome": "refused", "reason": "Behovet dekkes av tjenestene"}`,
		"POST /api/v1/cases/{id}/coordinator/handover":             `{"username": "{username}"}`,
		"POST /api/v1/cases/{id}/coordinator/accept":               "",
		"POST /api/v1/cases/{id}/responsibility-group/close":       `{"reason": "Behovet er dekket"}`,
		"POST /api/v1/cases/{id}/responsibility-group/evaluation":  `{"continue": true, "note": "Gruppen trengs fortsatt"}`,
		"POST /api/v1/cases/{id}/responsibility-group/escalations": `{"category": "unresolved", "matter": "Uenighet om tiltak"}`,
		"POST /api/v1/cases/{id}/meetings":                         `{"starts_at": "2026-03-30T10:00:00Z", "place": "Rådhuset"}`,
		"POST /api/v1/meetings/{id}/invitation":                    "",
		"POST /api/v1/meetings/{id}/cancel":                        "",
		"POST /api/v1/meetings/{id}/minutes/finalise":              "",
	} {
		apiBodies[k] = v
	}
	for k, v := range map[string]map[string]string{
		"POST /applications/{id}/decision":      {"outcome": "refused", "reason": "Behovet dekkes av tjenestene"},
		"POST /cases/{id}/coordinator/handover": {"username": "{username}"},
		"POST /cases/{id}/group/close":          {"reason": "Behovet er dekket"},
		"POST /cases/{id}/group/evaluation":     {"continue": "yes", "note": "Gruppen trengs fortsatt"},
		"POST /cases/{id}/group/escalations":    {"category": "unresolved", "matter": "Uenighet om tiltak"},
		"POST /cases/{id}/meetings":             {"date": "2026-03-30", "time": "10:00", "place": "Rådhuset"},
	} {
		pageForms[k] = v
	}
}
