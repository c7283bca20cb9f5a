package bench

import (
	"fmt"
	"time"

	"github.com/samordna/samordna"
)

// table is one table to load: its columns and a generator that yields its
// rows in order.
type table struct {
	name string
	cols []string
	rows func(yield func(row ...any) error) error
}

// tables lists every table the generator fills, in an order that respects
// the foreign keys. passwordHash is shared by every generated employee.
func (w *world) tables(passwordHash string) []table {
	return []table{
		w.municipalitiesTable(), w.employeesTable(passwordHash), w.rolesTable(), w.servicesTable(),
		w.serviceLeadersTable(), w.serviceMembersTable(), w.teamsTable(), w.teamMembersTable(), w.teamSubmittersTable(),
		w.personsTable(), w.casesTable(), w.concernsTable(), w.caseEventsTable(), w.applicationsTable(),
		w.coordinatorsTable(), w.groupsTable(), w.groupMembersTable(), w.consentsTable(),
		w.consentPurposesTable(), w.consentVersionsTable(), w.reportsTable(), w.submissionsTable(),
		w.plansTable(), w.planVersionsTable(), w.tasksTable(), w.auditTable(),
	}
}

func cols(s ...string) []string { return s }

func (w *world) municipalitiesTable() table {
	return table{"municipalities", cols("id", "name", "number", "created_at"), func(y func(...any) error) error {
		for _, m := range w.munis {
			if err := y(m.id, m.name, m.number, w.at(historyDays*86400+86400)); err != nil {
				return err
			}
		}
		return nil
	}}
}

func (w *world) employeesTable(hash string) table {
	return table{"employees", cols("id", "municipality_id", "username", "name", "title", "email", "password_hash",
		"disabled", "created_at", "updated_at"), func(y func(...any) error) error {
		created := w.at(historyDays*86400 + 3600)
		for _, e := range w.employees {
			if err := y(e.id, w.munis[e.mun].id, e.username, e.name, e.title, e.username+"@kommune.example",
				hash, false, created, created); err != nil {
				return err
			}
		}
		return nil
	}}
}

func (w *world) rolesTable() table {
	return table{"employee_roles", cols("employee_id", "role"), func(y func(...any) error) error {
		for _, e := range w.employees {
			for _, r := range e.roles() {
				if err := y(e.id, string(r)); err != nil {
					return err
				}
			}
		}
		return nil
	}}
}

func (w *world) serviceID(i int) string { return genID(w.spec.Seed, kindService, i) }

func (w *world) servicesTable() table {
	return table{"services", cols("id", "municipality_id", "name", "kind", "created_at"),
		func(y func(...any) error) error {
			for mi, m := range w.munis {
				for k, s := range m.services {
					if err := y(w.serviceID(s), m.id, fmt.Sprintf("%s %03d", serviceNames[k], mi+1),
						string(serviceKinds[k]), w.at(historyDays*86400)); err != nil {
						return err
					}
				}
			}
			return nil
		}}
}

// serviceLeadersTable gives every service its one generated leader.
func (w *world) serviceLeadersTable() table {
	return table{"service_leaders", cols("service_id", "employee_id"), func(y func(...any) error) error {
		for _, m := range w.munis {
			for k, s := range m.services {
				if err := y(w.serviceID(s), w.employees[m.leaders[k]].id); err != nil {
					return err
				}
			}
		}
		return nil
	}}
}

func (w *world) serviceMembersTable() table {
	return table{"service_members", cols("service_id", "employee_id"), func(y func(...any) error) error {
		for _, e := range w.employees {
			if e.kind == empAdmin {
				continue
			}
			if err := y(w.serviceID(e.service), e.id); err != nil {
				return err
			}
		}
		return nil
	}}
}

func (w *world) teamsTable() table {
	return table{"teams", cols("id", "municipality_id", "name", "kind", "purpose", "created_at"),
		func(y func(...any) error) error {
			for _, t := range w.teams {
				if err := y(t.id, w.munis[t.mun].id, fmt.Sprintf("%s %s", t.name, w.munis[t.mun].name), t.kind,
					"Tverrfaglig drøfting", w.at(historyDays*86400)); err != nil {
					return err
				}
			}
			return nil
		}}
}

func (w *world) teamMembersTable() table {
	return table{"team_members", cols("team_id", "employee_id"), func(y func(...any) error) error {
		for _, t := range w.teams {
			seen := map[int]bool{}
			for _, e := range t.members {
				if seen[e] {
					continue
				}
				seen[e] = true
				if err := y(t.id, w.employees[e].id); err != nil {
					return err
				}
			}
		}
		return nil
	}}
}

func (w *world) teamSubmittersTable() table {
	return table{"team_submitters", cols("team_id", "service_id"), func(y func(...any) error) error {
		for _, m := range w.munis {
			for _, ti := range m.teams[1:] {
				for _, s := range []int{svcKindergarten, svcSchool} {
					if err := y(w.teams[ti].id, w.serviceID(m.services[s])); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}}
}

var firstNames = []string{"Emma", "Nora", "Olivia", "Ella", "Sofie", "Jakob", "Noah", "Emil", "Lucas", "Oliver",
	"Ingrid", "Aksel", "Maja", "Filip", "Leah", "Henrik", "Sara", "Isak", "Frida", "Magnus"}
var lastNames = []string{"Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
	"Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen"}

func (w *world) personsTable() table {
	return table{"persons", cols("id", "municipality_id", "id_number", "id_kind", "name", "birth_date", "synthetic",
		"created_at"), func(y func(...any) error) error {
		var nums numbers
		for _, m := range w.munis {
			for i := m.personLo; i < m.personHi; i++ {
				birth, seq := w.personBirth(i)
				name := firstNames[i%len(firstNames)] + " " + lastNames[(i/len(firstNames))%len(lastNames)]
				if err := y(w.personID(i), m.id, nums.get(birth, seq), string(samordna.IDKindFNR),
					name, birth.Format("2006-01-02"), true, w.at(historyDays*86400)); err != nil {
					return err
				}
			}
		}
		return nil
	}}
}

// eachCase calls fn for every case with its plan.
func (w *world) eachCase(fn func(k int, p *casePlan) error) error {
	for k := range w.cases {
		if err := fn(k, &w.cases[k]); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) casesTable() table {
	return table{"cases", cols("id", "municipality_id", "subject_person_id", "anonymous", "origin", "situation",
		"status", "title", "registered_by", "registered_service_id", "routine_id", "routine_version", "created_at",
		"updated_at", "closed_at"), func(y func(...any) error) error {
		return w.eachCase(func(k int, p *casePlan) error {
			var subject any
			if p.subject >= 0 {
				subject = w.personID(int(p.subject))
			}
			status, closed := "open", any(nil)
			if p.closed > 0 {
				status, closed = "closed", w.at(p.closed)
			}
			reg := &w.employees[p.regBy]
			return y(w.caseID(k), w.munis[p.mun].id, subject, p.subject < 0, "concern", situations[p.situation],
				status, fmt.Sprintf("Sak %d", k+1), reg.id, w.serviceID(reg.service), "lillehammer-oppdager", 1,
				w.at(p.created), w.at(p.updated), closed)
		})
	}}
}

func (w *world) concernsTable() table {
	return table{"concerns", cols("id", "case_id", "municipality_id", "situation", "anonymous", "description",
		"registered_by", "created_at"), func(y func(...any) error) error {
		return w.eachCase(func(k int, p *casePlan) error {
			return y(genID(w.spec.Seed, kindConcern, k), w.caseID(k), w.munis[p.mun].id, situations[p.situation],
				p.subject < 0, "Bekymring meldt av ansatt: endring i atferd og fravær over tid.",
				w.employees[p.regBy].id, w.at(p.created))
		})
	}}
}

func (w *world) caseEventsTable() table {
	return table{"case_events", cols("id", "case_id", "at", "actor_id", "kind", "ref_type", "ref_id"),
		func(y func(...any) error) error {
			n := 0
			ev := func(k int, at int32, actor int32, kind string) error {
				n++
				return y(genID(w.spec.Seed, kindEvent, n), w.caseID(k), w.at(at), w.employees[actor].id, kind, "", "")
			}
			return w.eachCase(func(k int, p *casePlan) error {
				if err := ev(k, p.created, p.regBy, "registered"); err != nil {
					return err
				}
				if p.hasApp {
					if err := ev(k, p.created-3600, p.regBy, "application_submitted"); err != nil {
						return err
					}
				}
				if p.coord >= 0 {
					if err := ev(k, p.created-7200, p.unitBy, "coordinator_appointed"); err != nil {
						return err
					}
				}
				return nil
			})
		}}
}

func (w *world) applicationsTable() table {
	return table{"applications", cols("id", "case_id", "municipality_id", "status", "wants_coordinator", "wants_plan",
		"wished_coordinator", "submitted_by", "submitted_at", "outcome", "decided_by", "decided_at",
		"decision_reason", "decided_coordinator_id", "coordinator_kind", "plan_decision"),
		func(y func(...any) error) error {
			return w.eachCase(func(k int, p *casePlan) error {
				if !p.hasApp {
					return nil
				}
				status, outcome, decidedBy, decidedAt, coord, kind, plan := "submitted", "", any(nil), any(nil), any(nil), "", ""
				switch {
				case p.coord >= 0:
					status, outcome, kind, plan = "granted", "granted", "child_coordinator", "later"
					coord = w.employees[p.coord].id
				case p.created > 30*86400:
					status, outcome = "refused", "refused"
				}
				if outcome != "" {
					decidedBy, decidedAt = w.employees[p.unitBy].id, w.at(p.created-7200)
				}
				if p.plan {
					plan = "now"
				}
				return y(genID(w.spec.Seed, kindApplication, k), w.caseID(k), w.munis[p.mun].id, status, true, p.plan,
					"", w.employees[p.regBy].id, w.at(p.created-3600), outcome, decidedBy, decidedAt, "", coord, kind, plan)
			})
		}}
}

func (w *world) coordinatorsTable() table {
	return table{"case_coordinators", cols("id", "case_id", "municipality_id", "employee_id", "kind", "status",
		"appointed_by", "appointed_at", "accepted_at", "ended_at", "end_reason"), func(y func(...any) error) error {
		return w.eachCase(func(k int, p *casePlan) error {
			if p.coord < 0 {
				return nil
			}
			status, ended, reason := "accepted", any(nil), ""
			if p.closed > 0 {
				status, ended, reason = "ended", w.at(p.closed), "case_closed"
			}
			return y(genID(w.spec.Seed, kindCoordinator, k), w.caseID(k), w.munis[p.mun].id, w.employees[p.coord].id,
				"child_coordinator", status, w.employees[p.unitBy].id, w.at(p.created-7200), w.at(p.created-10800), ended, reason)
		})
	}}
}

func (w *world) groupID(k int) string { return genID(w.spec.Seed, kindGroup, k) }

func (w *world) groupsTable() table {
	// The groups are history: earlier sweeps have looked at each for the
	// action plan's reminder (action_plan_checked_at).
	return table{"responsibility_groups", cols("id", "case_id", "municipality_id", "created_by", "created_at", "closed_at",
		"action_plan_checked_at"),
		func(y func(...any) error) error {
			return w.eachCase(func(k int, p *casePlan) error {
				if !p.group {
					return nil
				}
				var closed any
				if p.closed > 0 {
					closed = w.at(p.closed)
				}
				return y(w.groupID(k), w.caseID(k), w.munis[p.mun].id, w.employees[p.coord].id, w.at(p.created-86400),
					closed, w.at(p.created-86400+60))
			})
		}}
}

func (w *world) groupMembersTable() table {
	return table{"group_members", cols("id", "group_id", "employee_id", "name", "relation", "added_at", "service_id",
		"role", "position"), func(y func(...any) error) error {
		n := 0
		return w.eachCase(func(k int, p *casePlan) error {
			if !p.group {
				return nil
			}
			added := w.at(p.created - 86400)
			emps := []int32{p.coord, p.members[0], p.members[1]}
			for i, e := range emps {
				if i > 0 && (e == p.coord || (i == 2 && e == emps[1])) {
					continue
				}
				n++
				role := "member"
				if i == 0 {
					role = "coordinator"
				}
				em := &w.employees[e]
				if err := y(genID(w.spec.Seed, kindMember, n), w.groupID(k), em.id, em.name, "", added,
					w.serviceID(em.service), role, i); err != nil {
					return err
				}
			}
			n++
			return y(genID(w.spec.Seed, kindMember, n), w.groupID(k), nil, "Foresatt", "guardian", added, nil, "guardian", 3)
		})
	}}
}

func (w *world) consentID(k int) string { return genID(w.spec.Seed, kindConsent, k) }

var groupPurposes = []samordna.ConsentPurpose{samordna.PurposeResponsibilityGroup, samordna.PurposeShareWithMembers,
	samordna.PurposeRegisterWithUnit, samordna.PurposeIndividualPlan}

func (w *world) consentsTable() table {
	return table{"consents", cols("id", "case_id", "version", "status", "given_by_name", "given_by_relation",
		"recorded_by", "recorded_at"), func(y func(...any) error) error {
		return w.eachCase(func(k int, p *casePlan) error {
			if !p.group {
				return nil
			}
			return y(w.consentID(k), w.caseID(k), 1, "active", "Foresatt", "guardian", w.employees[p.coord].id,
				w.at(p.created-80000))
		})
	}}
}

func (w *world) consentPurposesTable() table {
	return table{"consent_purposes", cols("consent_id", "purpose"), func(y func(...any) error) error {
		return w.eachCase(func(k int, p *casePlan) error {
			if !p.group {
				return nil
			}
			for _, pu := range groupPurposes {
				if err := y(w.consentID(k), string(pu)); err != nil {
					return err
				}
			}
			return nil
		})
	}}
}

func (w *world) consentVersionsTable() table {
	return table{"consent_versions", cols("consent_id", "version", "status", "purposes", "given_by_name",
		"given_by_relation", "changed_by", "changed_at", "change"), func(y func(...any) error) error {
		return w.eachCase(func(k int, p *casePlan) error {
			if !p.group {
				return nil
			}
			return y(w.consentID(k), 1, "active",
				"responsibility_group,share_with_members,register_with_coordinating_unit,individual_plan",
				"Foresatt", "guardian", w.employees[p.coord].id, w.at(p.created-80000), "recorded")
		})
	}}
}

func (w *world) reportsTable() table {
	return table{"child_welfare_reports", cols("id", "case_id", "municipality_id", "kind", "acute", "description",
		"status", "sent_by", "sent_at", "received_by", "received_at", "sender_name", "sender_title", "locked_at"),
		func(y func(...any) error) error {
			return w.eachCase(func(k int, p *casePlan) error {
				if !p.report {
					return nil
				}
				m := &w.munis[p.mun]
				reg := &w.employees[p.regBy]
				sent := w.at(p.created - 600)
				return y(genID(w.spec.Seed, kindReport, k), w.caseID(k), m.id, "child_welfare", p.situation == 4,
					"Melding etter barnevernsloven § 13-2.", "received", reg.id, sent,
					w.employees[m.childWelfare[k%len(m.childWelfare)]].id, sent.Add(2*time.Hour), reg.name, reg.title, sent)
			})
		}}
}

func (w *world) submissionsTable() table {
	return table{"team_submissions", cols("id", "case_id", "team_id", "submitted_by", "submitted_at"),
		func(y func(...any) error) error {
			return w.eachCase(func(k int, p *casePlan) error {
				if p.team < 0 {
					return nil
				}
				return y(genID(w.spec.Seed, kindSubmission, k), w.caseID(k), w.teams[p.team].id,
					w.employees[p.regBy].id, w.at(p.created-1800))
			})
		}}
}

func (w *world) planID(k int) string { return genID(w.spec.Seed, kindPlan, k) }

func (w *world) plansTable() table {
	return table{"plans", cols("id", "case_id", "municipality_id", "kind", "status", "version", "group_id",
		"created_by", "created_at", "updated_at", "closed_at"), func(y func(...any) error) error {
		return w.eachCase(func(k int, p *casePlan) error {
			if !p.plan {
				return nil
			}
			status, closed := "active", any(nil)
			if p.closed > 0 {
				status, closed = "closed", w.at(p.closed)
			}
			return y(w.planID(k), w.caseID(k), w.munis[p.mun].id, "individual_plan", status, 1, w.groupID(k),
				w.employees[p.coord].id, w.at(p.created-172800), w.at(p.updated), closed)
		})
	}}
}

func (w *world) planVersionsTable() table {
	return table{"plan_versions", cols("plan_id", "version", "content", "change", "changed_by", "changed_at"),
		func(y func(...any) error) error {
			return w.eachCase(func(k int, p *casePlan) error {
				if !p.plan {
					return nil
				}
				return y(w.planID(k), 1, `{"what_matters":"Å ha det bra på skolen","goals":[],"measures":[]}`,
					"created", w.employees[p.coord].id, w.at(p.created-172800))
			})
		}}
}
