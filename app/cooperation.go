package app

import (
	"context"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// This file holds cooperation meetings (samarbeidsmøter,
// arbeidsgruppemøter): seed 004 says "Det kan også være behov for å
// samarbeide i saker der det ikke foreligger rett til koordinator /
// barnekoordinator / ansvarsgruppe. I slike saker kan det avholdes
// samarbeidsmøter eller arbeidsgruppemøter", and the coordinator should
// "vurdere behov for samarbeidsmøter i forkant av ansvarsgruppemøter".
// A cooperation meeting needs no group and no coordinator: any employee
// who may write to the case calls it, invites the providers and the
// family it concerns, and manages it as a coordinator manages a group
// meeting (minutes, the person's views, sending the minutes). Its
// participants get the invitation but no access to the case: that rests
// on the relations access knows. On a named case it needs the person's
// consent to sharing with the professionals involved (share_with_members);
// on an anonymous case it names no one but employees.

// maxParticipants bounds a cooperation meeting.
const maxParticipants = 20

// PlanCooperationMeeting plans a cooperation meeting on the case with the
// participants (employees by username; the person and family by name and
// relation); the organiser takes part. Who may call: anyone who may write
// to the case. Errors: not_found; as PlanMeeting's validation (400),
// participants_required, invalid_member (400); consent_required,
// identifying_data, unknown_employee (422).
func (a *App) PlanCooperationMeeting(ctx context.Context, actor *samordna.Actor, caseID string, in NewMeeting,
	participants []NewGroupMember) (*MeetingView, error) {
	var v *MeetingView
	err := a.withCase(ctx, actor, caseID, access.Write, "plan_cooperation_meeting", func(tx *store.Tx, g *caseGrant) error {
		in.cooperation = true
		if len(in.Guests) > 0 {
			return samordna.Errorf(samordna.KindInvalid, "invalid_guest", "a cooperation meeting has participants, not guests")
		}
		in, err := a.validateMeeting(in)
		if err != nil {
			return err
		}
		if len(participants) == 0 {
			return samordna.Errorf(samordna.KindInvalid, "participants_required", "name who takes part besides you")
		}
		if len(participants) > maxParticipants {
			return samordna.Errorf(samordna.KindInvalid, "invalid_member", "at most %d participants", maxParticipants)
		}
		if err := validateMembers(participants); err != nil {
			return err
		}
		if err := a.cooperationBasis(tx, g, in, participants); err != nil {
			return err
		}
		m, err := a.planCooperation(tx, actor, g, in, participants)
		if err != nil {
			return err
		}
		if v, err = a.meetingView(tx, actor, g, m); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "plan_cooperation_meeting", "meeting", m.ID)
	})
	return v, err
}

// cooperationBasis checks the ground for sharing: consent on a named case;
// no names and no identifying text on an anonymous one.
func (a *App) cooperationBasis(tx *store.Tx, g *caseGrant, in NewMeeting, participants []NewGroupMember) error {
	if g.Case.Anonymous {
		for _, p := range participants {
			if p.Username == "" {
				return samordna.Errorf(samordna.KindRule, "identifying_data",
					"an anonymous case names no one: invite employees only")
			}
		}
		fields := [][2]string{{"place", in.Place}, {"person_part", in.PersonPart}}
		for _, item := range in.Agenda {
			fields = append(fields, [2]string{"agenda", item})
		}
		for _, x := range in.OtherBusiness {
			fields = append(fields, [2]string{"other_business", x.Text})
		}
		return checkAnonymousFields(fields...)
	}
	return a.RequireActiveConsent(tx, g.Case.ID, samordna.PurposeShareWithMembers)
}

func (a *App) planCooperation(tx *store.Tx, actor *samordna.Actor, g *caseGrant, in NewMeeting,
	participants []NewGroupMember) (*store.Meeting, error) {
	m := &store.Meeting{ID: samordna.NewID(), CaseID: g.Case.ID, MunicipalityID: g.Case.MunicipalityID,
		Kind: store.MeetingKindCooperation, StartsAt: in.StartsAt.UTC(), DurationMinutes: in.DurationMinutes,
		Place: in.Place, Status: store.MeetingPlanned, Agenda: in.Agenda, CreatedBy: actor.Employee.ID,
		CreatedAt: a.now()}
	setPersonAndOther(m, in)
	if err := store.CreateMeeting(tx, m); err != nil {
		return nil, err
	}
	all := append([]NewGroupMember{{Username: actor.Employee.Username}}, participants...)
	seen := map[string]bool{}
	for _, p := range all {
		at := &store.Attendee{MeetingID: m.ID, Name: p.Name, Relation: p.Relation, Role: "participant", Part: "whole"}
		if p.Username != "" {
			e, err := eligibleEmployee(tx, g.Case.MunicipalityID, p.Username, "unknown_employee")
			if err != nil {
				return nil, err
			}
			at.EmployeeID, at.Name, at.Relation = e.ID, e.Name, "employee"
		}
		if at.Relation == "self" {
			at.Part = m.PersonAttendance
		}
		key := memberKey(at.EmployeeID, at.Name, at.Relation)
		if seen[key] || at.Part == store.PersonNone {
			continue
		}
		seen[key] = true
		if err := store.AddAttendee(tx, at); err != nil {
			return nil, err
		}
	}
	if err := a.personViewsTask(tx, actor, g.Case, m, actor.Employee.ID); err != nil {
		return nil, err
	}
	return m, a.caseEvent(tx, actor, g.Case.ID, "cooperation_meeting_planned", "meeting", m.ID)
}
