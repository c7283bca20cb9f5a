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

// adultConcern registers, as siv of the mental health and substance
// service, a case about an adult (Mona Mor) who asks for help.
func adultConcern(w *world) *app.Concern {
	return w.concern("siv", app.NewConcern{Situation: pathway.SituationAsksForHelp, Description: "Ber om hjelp med rus.",
		Subject:  &app.ConcernSubject{IDNumber: motherFNR, Name: "Mona Mor"},
		Problems: []pathway.Problem{pathway.ProblemSubstanceUse}})
}

// nextOfKinTasks returns the case's next-of-kin tasks.
func (w *world) nextOfKinTasks(caseID string) []*store.Task {
	w.t.Helper()
	var out []*store.Task
	w.must(w.db.Read(context.Background(), func(tx *store.Tx) error {
		tasks, err := store.TasksOfCase(tx, caseID)
		for _, t := range tasks {
			if t.Kind == store.TaskKindChildren {
				out = append(out, t)
			}
		}
		return err
	}))
	return out
}

// Seed 001 (Sola), intro: "Det skal være en naturlig og integrert oppgaver
// for hjelpetjenestene for voksne og barn, at barn blir fanget opp" and
// "Helsepersonelloven § 10a forplikter alt helsepersonell ... å ivareta barn
// og unges interesser som pårørende." A person followed by the mental health
// and substance service, without an answer about children, gets a task for
// the case's responsible employee (once, however often the sweep runs); a
// child's case in the school gets none; answering closes the task.
func TestSeed001AdultServiceWithoutAnswerAboutChildrenGetsATask(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		w := newWorld(t, db, now)
		ctx := context.Background()
		adult := adultConcern(w)
		child := w.concern("ola", named(pathway.SituationUnclearConcern, ""))

		res, err := w.app.SweepOverdue(ctx, now.Add(time.Minute))
		w.must(err)
		if res.NextOfKinTasks != 1 {
			t.Errorf("the sweep started %d next-of-kin tasks, want 1", res.NextOfKinTasks)
		}
		if _, err := w.app.SweepOverdue(ctx, now.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		tasks := w.nextOfKinTasks(adult.Case.ID)
		if len(tasks) != 1 || tasks[0].EmployeeID != w.id("siv") || tasks[0].Status != store.TaskOpen ||
			tasks[0].Title != app.NextOfKinTaskTitle || !tasks[0].DueAt.Equal(now.Add(time.Minute+7*24*time.Hour)) {
			t.Fatalf("next-of-kin tasks of the adult's case: %+v", tasks)
		}
		if n := len(w.nextOfKinTasks(child.Case.ID)); n != 0 {
			t.Errorf("a child's case in the school got %d next-of-kin tasks", n)
		}
		// It shows in siv's task list.
		list, err := w.app.ListTasks(ctx, w.as("siv"), app.TaskQuery{})
		w.must(err)
		found := false
		for _, v := range list.Tasks {
			found = found || v.ID == tasks[0].ID
		}
		if !found {
			t.Error("the task is not in the responsible employee's task list")
		}
		// The task cannot be ticked off without an answer.
		if _, _, err := w.app.CompleteTask(ctx, w.as("siv"), tasks[0].ID, ""); samordna.ErrorCode(err) != "answer_required" {
			t.Errorf("completing without an answer: %v", err)
		}
		// Someone without the case cannot answer: refused ≡ missing.
		if err := w.app.AnswerNextOfKin(ctx, w.as("ola"), adult.Case.ID, "no_children"); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("ola answers: %v", err)
		}
		wantErrCode(t, w.app.AnswerNextOfKin(ctx, w.as("siv"), adult.Case.ID, "maybe"), "invalid_answer")
		w.must(w.app.AnswerNextOfKin(ctx, w.as("siv"), adult.Case.ID, "no_children"))
		if tasks := w.nextOfKinTasks(adult.Case.ID); tasks[0].Status != store.TaskDone {
			t.Errorf("task after the answer: %s", tasks[0].Status)
		}
		if res, _ := w.app.SweepOverdue(ctx, now.Add(time.Hour)); res.NextOfKinTasks != 0 {
			t.Error("an answered case got a new task")
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM audit_events WHERE action = 'ask_about_children'`); n != 1 {
			t.Errorf("%d audit rows for the question, want 1", n)
		}
	})
}

// Seed 001, individual level: the adult service records each child (name,
// birth date or fødselsnummer, situation), what information and follow-up
// they were given and by whom; each child gets a linked case (with consent
// or through the duty to report) or a recorded reason why not; the task
// stays open until every child has one. The indicator counts equal a hand
// count; the retention purge empties the texts.
func TestSeed001ChildrenAsNextOfKinAreRecordedAndFollowedUp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		w := newWorld(t, db, now)
		ctx := context.Background()
		adult := adultConcern(w)
		_, err := w.app.AskAboutChildren(ctx, now)
		w.must(err)

		emil, err := w.app.AddChildNextOfKin(ctx, w.as("siv"), adult.Case.ID, app.NewChildNextOfKin{
			IDNumber: childFNR, Name: "Emil Testesen", Situation: "Vet at mor er syk, sover dårlig.",
			Information: "Samtale med Emil om mors sykdom.", FollowUp: "Tilbud om samtalegruppe."})
		w.must(err)
		if emil.BirthDate != "2018-05-04" || emil.PersonID == "" || emil.InformedBy != w.id("siv") {
			t.Errorf("child from fødselsnummer: %+v", emil)
		}
		lisa, err := w.app.AddChildNextOfKin(ctx, w.as("siv"), adult.Case.ID, app.NewChildNextOfKin{
			Name: "Lisa Testesen", BirthDate: "2012-01-15", Situation: "Bor mest hos far.", InformedBy: "tor"})
		w.must(err)
		for _, tc := range []struct {
			in   app.NewChildNextOfKin
			code string
		}{
			{app.NewChildNextOfKin{Name: ""}, "name_required"},
			{app.NewChildNextOfKin{Name: "Voksen", BirthDate: "2000-01-01"}, "not_a_minor"},
			{app.NewChildNextOfKin{Name: "X", BirthDate: "15.01.2012"}, "invalid_date"},
			{app.NewChildNextOfKin{Name: "X", IDNumber: "12345678901"}, "invalid_id_number"},
			{app.NewChildNextOfKin{Name: "X", InformedBy: "nobody"}, "unknown_employee"},
		} {
			_, err := w.app.AddChildNextOfKin(ctx, w.as("siv"), adult.Case.ID, tc.in)
			wantErrCode(t, err, tc.code)
		}
		if _, err := w.app.AddChildNextOfKin(ctx, w.as("ola"), adult.Case.ID, app.NewChildNextOfKin{Name: "X"}); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("ola records a child: %v", err)
		}
		wantErrCode(t, w.app.AnswerNextOfKin(ctx, w.as("siv"), adult.Case.ID, "no_children"), "children_recorded")
		if tasks := w.nextOfKinTasks(adult.Case.ID); tasks[0].Status != store.TaskOpen {
			t.Error("the task closed while the children have no outcome")
		}

		// Emil gets his own case (registered by siv) with consent.
		emilCase := w.concern("siv", named(pathway.SituationKnownFamily, ""))
		_, err = w.app.UpdateChildNextOfKin(ctx, w.as("siv"), emil.ID, app.ChildFollowUp{Outcome: "case",
			LinkedCaseID: emilCase.Case.ID, Basis: "maybe"})
		wantErrCode(t, err, "invalid_basis")
		_, err = w.app.UpdateChildNextOfKin(ctx, w.as("siv"), lisa.ID, app.ChildFollowUp{Outcome: "no_case"})
		wantErrCode(t, err, "reason_required")
		// A case siv cannot write to is refused as missing.
		other := w.concern("ola", named(pathway.SituationUnclearConcern, ""))
		if _, err = w.app.UpdateChildNextOfKin(ctx, w.as("siv"), emil.ID, app.ChildFollowUp{Outcome: "case",
			LinkedCaseID: other.Case.ID, Basis: "consent"}); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("linking a case siv may not write to: %v", err)
		}
		got, err := w.app.UpdateChildNextOfKin(ctx, w.as("siv"), emil.ID, app.ChildFollowUp{Outcome: "case",
			LinkedCaseID: emilCase.Case.ID, Basis: "consent", Situation: emil.Situation, Information: emil.Information,
			FollowUp: emil.FollowUp})
		w.must(err)
		if got.Outcome != "case" || got.LinkedCaseID != emilCase.Case.ID || got.InformedByName != "Siv Rus" {
			t.Errorf("Emil after the link: %+v", got)
		}
		if n := countRows(t, db, `SELECT COUNT(*) FROM case_links WHERE kind = 'family' AND
			((case_id = $1 AND linked_case_id = $2) OR (case_id = $2 AND linked_case_id = $1))`, adult.Case.ID, emilCase.Case.ID); n != 1 {
			t.Errorf("%d family links between the parent's and Emil's case, want 1", n)
		}
		if tasks := w.nextOfKinTasks(adult.Case.ID); tasks[0].Status != store.TaskOpen {
			t.Error("the task closed while Lisa has no outcome")
		}
		_, err = w.app.UpdateChildNextOfKin(ctx, w.as("siv"), lisa.ID, app.ChildFollowUp{Outcome: "no_case",
			NoCaseReason: "Far følger opp; familien ønsker ikke mer.", Situation: "Bor mest hos far."})
		w.must(err)
		if tasks := w.nextOfKinTasks(adult.Case.ID); tasks[0].Status != store.TaskDone || tasks[0].Outcome != "children" {
			t.Errorf("the task after every child has an outcome: %+v", tasks[0])
		}

		v, err := w.app.NextOfKin(ctx, w.as("siv"), adult.Case.ID)
		w.must(err)
		if !v.Asks || v.Answer == nil || v.Answer.Answer != "children" || len(v.Children) != 2 || !v.CanWrite ||
			v.Children[1].InformedByName != "Tor Rusleder" {
			t.Errorf("view: %+v", v)
		}
		if _, err := w.app.NextOfKin(ctx, w.as("ola"), adult.Case.ID); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("ola reads the children: %v", err)
		}

		// Indicators: a hand count of the above.
		w.must(db.Read(ctx, func(tx *store.Tx) error {
			mid := w.as("siv").Employee.MunicipalityID
			from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
			n, err := store.CountChildrenIdentified(tx, mid, "", from, to)
			if err != nil || n != 2 {
				t.Errorf("children identified = %d, %v; want 2", n, err)
			}
			if n, _ := store.CountChildrenIdentified(tx, mid, "", to, to.AddDate(1, 0, 0)); n != 0 {
				t.Errorf("children identified next year = %d", n)
			}
			counts, err := store.NextOfKinCounts(tx, mid, from, to)
			if err != nil || len(counts) != 1 || counts[0].ServiceName != "Psykisk helse og rus" || counts[0].Asked != 1 ||
				counts[0].WithKids != 1 || counts[0].Children != 2 || counts[0].LinkedCases != 1 || counts[0].NoCase != 1 ||
				counts[0].Pending != 0 {
				t.Errorf("counts per service: %+v, %v", counts, err)
			}
			return nil
		}))

		w.must(db.Write(ctx, func(tx *store.Tx) error {
			return store.PurgeCaseContent(tx, adult.Case.ID, store.PurgedContent{})
		}))
		if n := countRows(t, db, `SELECT COUNT(*) FROM next_of_kin_children WHERE case_id = $1 AND
			(name <> '' OR situation <> '' OR no_case_reason <> '' OR birth_date <> '')`, adult.Case.ID); n != 0 {
			t.Error("the children's texts survive the retention purge")
		}
	})
}

// Seed 001: each service names its barneansvarlig; only the administrator
// may set it.
func TestSeed001ServiceNamesItsBarneansvarlig(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		ctx := context.Background()
		svc := w.as("siv").Employee.Services[0].ID
		if err := w.app.SetChildResponsible(ctx, w.as("tor"), svc, "siv"); !errors.Is(err, samordna.ErrNotFound) {
			t.Errorf("a leader sets it: %v", err)
		}
		wantErrCode(t, w.app.SetChildResponsible(ctx, w.as("admin"), svc, "nobody"), "unknown_employee")
		w.must(w.app.SetChildResponsible(ctx, w.as("admin"), svc, "siv"))
		e, err := w.app.ChildResponsible(ctx, w.as("tor"), svc)
		w.must(err)
		if e == nil || e.Name != "Siv Rus" {
			t.Errorf("barneansvarlig = %+v", e)
		}
		adult := adultConcern(w)
		v, err := w.app.NextOfKin(ctx, w.as("siv"), adult.Case.ID)
		w.must(err)
		if v.ChildResponsible != "Siv Rus" {
			t.Errorf("the case shows barneansvarlig %q", v.ChildResponsible)
		}
	})
}

// The sweep asks about children one window of open cases at a time
// (store.UnaskedAdultCaseIDs): windows walked one after the other find
// every unasked adult case once, whatever the window, skip children's
// cases, end with the zero key, and find nothing once all are asked.
func TestUnaskedAdultCasesWalkInWindows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		w := newWorld(t, db, now)
		ctx := context.Background()
		want := map[string]bool{}
		for i := range 5 {
			fnr := samordna.SyntheticIDNumber(time.Date(1990+i, 8, 12, 0, 0, 0, 0, time.UTC), 5)
			c := w.concern("siv", app.NewConcern{Situation: pathway.SituationAsksForHelp, Description: "Ber om hjelp.",
				Subject: &app.ConcernSubject{IDNumber: fnr, Name: "Voksen Person"}})
			want[c.Case.ID] = true
			if i%2 == 0 {
				w.concern("ola", named(pathway.SituationUnclearConcern, "")) // a child's case between them
			}
		}
		walk := func(window int) (found map[string]int, windows int) {
			found = map[string]int{}
			var at store.CaseKey
			for windows < 100 {
				windows++
				var ids []string
				w.must(db.Read(ctx, func(tx *store.Tx) error {
					var err error
					ids, at, err = store.UnaskedAdultCaseIDs(tx, now, at, window)
					return err
				}))
				for _, id := range ids {
					found[id]++
				}
				if at.ID == "" {
					return found, windows
				}
			}
			t.Fatalf("window %d: the walk never ended", window)
			return nil, 0
		}
		open := countRows(t, db, `SELECT COUNT(*) FROM cases WHERE status = 'open'`)
		for _, window := range []int{1, 2, 3, 100} {
			found, windows := walk(window)
			if len(found) != len(want) {
				t.Errorf("window %d: found %d unasked cases, want %d", window, len(found), len(want))
			}
			for id, n := range found {
				if !want[id] || n != 1 {
					t.Errorf("window %d: case %s found %d times (adult case: %v)", window, id, n, want[id])
				}
			}
			// Full windows, then one that is short (or empty) and ends the walk.
			if windows != open/window+1 {
				t.Errorf("window %d over %d open cases: %d windows", window, open, windows)
			}
		}
		n, err := w.app.AskAboutChildren(ctx, now)
		w.must(err)
		if n != len(want) {
			t.Errorf("AskAboutChildren started %d tasks, want %d", n, len(want))
		}
		if found, _ := walk(2); len(found) != 0 {
			t.Errorf("after asking, the walk still finds %d cases", len(found))
		}
	})
}
