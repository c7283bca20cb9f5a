package bench

import (
	"time"
)

// step is a routine step the generated tasks follow (the Lillehammer
// discoverer routine's step ids, so a generated task looks like one the
// routine engine made).
type step struct {
	id, title, responsible string
	days                   int
}

var steps = []step{
	{"consult", "Drøft med kollega eller leder", "discoverer", 7},
	{"conversation", "Samtale med brukeren", "discoverer", 14},
	{"document", "Dokumenter avklaringen", "discoverer", 5},
	{"apply", "Søk koordinerende enhet", "discoverer", 14},
	{"ke-contact", "Kontakt brukeren", "coordinating_unit", 5},
	{"ke-decide", "Vedta koordinator og plan", "coordinating_unit", 30},
	{"coord-involve", "Involver partene", "coordinator", 14},
	{"coord-group", "Opprett ansvarsgruppe", "coordinator", 30},
}

// taskRow is one generated task, before it becomes a row.
type taskRow struct {
	stepID, title, responsible, kind, assigneeKind string
	employee                                       int32 // -1 unless assigneeKind is employee
	role                                           string
	team                                           int32
	status                                         string
	started, due                                   time.Time
	completed, escalated                           *time.Time
	completedBy                                    int32
}

// caseTasks plans case k's tasks: the routine's steps in order, then the
// plan's measures for the responsibility group. Closed cases have all done;
// open cases have their last one to three open, with due dates from two
// months ago to three months ahead (so some are overdue). Overdue tasks
// more than an hour past due were escalated by earlier sweeps.
func (w *world) caseTasks(k int, p *casePlan) []taskRow {
	r := rngFor(w.spec.Seed, kindTask, k)
	n := int(p.nTasks)
	open := 0
	if p.closed == 0 {
		open = min(n, 1+k%3)
	}
	end := p.closed
	span := p.created - end
	out := make([]taskRow, 0, n)
	for j := range n {
		t := taskRow{kind: "step", assigneeKind: "employee", employee: p.regBy, team: -1, completedBy: -1}
		s := steps[j%len(steps)]
		switch {
		case j >= len(steps) && p.group:
			t.kind, t.assigneeKind, t.employee = "measure", "group", -1
			s = step{"", "Tiltak i planen", "responsibility_group", 30}
		case s.responsible == "coordinating_unit" && p.hasApp:
			t.assigneeKind, t.role, t.employee = "role", "coordinating_unit", -1
		case s.responsible == "coordinator" && p.coord >= 0:
			t.employee = p.coord
		case p.team >= 0 && j%5 == 4:
			t.assigneeKind, t.team, t.employee = "team", p.team, -1
			s.responsible = "resource_group"
		default:
			s = steps[j%4]
		}
		t.stepID, t.title, t.responsible = s.id, s.title, s.responsible
		if j >= n-open {
			t.status = "open"
			t.started = w.at(r.Int32N(60 * 86400))
			t.due = t.started.Add(time.Duration(s.days) * 24 * time.Hour)
			if t.due.Before(w.now.Add(-time.Hour)) {
				esc := t.due.Add(5 * time.Minute)
				t.escalated = &esc
			}
		} else {
			t.status = "done"
			t.started = w.at(p.created - int32(int64(span)*int64(j)/int64(n)))
			t.due = t.started.Add(time.Duration(s.days) * 24 * time.Hour)
			done := t.started.Add(time.Duration(r.Int64N(int64(s.days)*86400+1)) * time.Second)
			if done.After(w.now) {
				done = w.now.Add(-time.Minute)
			}
			t.completed, t.completedBy = &done, p.regBy
		}
		out = append(out, t)
	}
	return out
}

func (w *world) tasksTable() table {
	return table{"tasks", cols("id", "case_id", "municipality_id", "kind", "routine_id", "routine_version", "step_id",
		"title", "responsible", "assignee_kind", "assignee_employee_id", "assignee_role", "assignee_team_id", "status",
		"started_at", "due_at", "overdue_after", "completed_at", "completed_by", "escalated_at", "created_at"),
		func(y func(...any) error) error {
			n := 0
			return w.eachCase(func(k int, p *casePlan) error {
				for _, t := range w.caseTasks(k, p) {
					var emp, team, completed, by, esc any
					if t.employee >= 0 {
						emp = w.employees[t.employee].id
					}
					if t.team >= 0 {
						team = w.teams[t.team].id
					}
					if t.completed != nil {
						completed, by = *t.completed, w.employees[t.completedBy].id
					}
					if t.escalated != nil {
						esc = *t.escalated
					}
					if err := y(genID(w.spec.Seed, kindTask, n), w.caseID(k), w.munis[p.mun].id, t.kind,
						"lillehammer-oppdager", 1, t.stepID, t.title, t.responsible, t.assigneeKind, emp, t.role, team,
						t.status, t.started, t.due, t.due, completed, by, esc, t.started); err != nil {
						return err
					}
					n++
				}
				return nil
			})
		}}
}
