package app_test

import (
	"context"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/routines"
	"github.com/samordna/samordna/store"
)

// Seed 000 Framgangsmåte: the conversation with the person (or the pregnant
// woman) is to contain "beskrivelse av bekymringen eller situasjonen" and
// "en avklaring av: Behovet for oppfølging i henhold til Behandlingslinje".
// The conversation step asks to record the concern, whether there are
// children and the advice given; completing the task stores them, a record
// left empty is a warning, a record the step does not ask for is refused,
// the records are shown with the task, and the retention purge empties them.
func TestSeed000ConversationRecordsTheConcernChildrenAndAdvice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, at(2026, 3, 2, 9, 0))
		ctx := context.Background()
		c := w.concern("ola", named(pathway.SituationPregnant, ""))
		w.complete("ola", c.Case.ID, "consult", "")
		conv := w.openTasks(c.Case.ID)["conversation"]
		if conv == nil {
			t.Fatal("no conversation task after the consultation")
		}
		if v, err := w.app.GetTask(ctx, w.as("ola"), conv.ID); err != nil || v.Step == nil ||
			len(v.Step.Records) != 3 || v.Step.Records[1] != pathway.RecordChildren {
			t.Fatalf("the conversation step asks for: %+v (%v)", v, err)
		}

		// A record the step does not ask for is refused and completes nothing.
		_, _, _, err := w.app.CompleteTaskWithRecords(ctx, w.as("ola"), conv.ID, "",
			map[string]string{"follow_up_need": "x"})
		if samordna.ErrorCode(err) != "unknown_record" {
			t.Fatalf("unknown record: %v", err)
		}
		if w.task(conv.ID).Status != store.TaskOpen {
			t.Fatal("a refused completion closed the task")
		}

		// The advice is forgotten: the task is done, with a warning naming it.
		done, next, warnings, err := w.app.CompleteTaskWithRecords(ctx, w.as("ola"), conv.ID, "", map[string]string{
			"conversation": "Mor fortalte om daglig bruk av cannabis i svangerskapet.",
			"children":     "To barn, 2 og 5 år.",
		})
		w.must(err)
		if len(warnings) != 1 || warnings[0].Code != "record_missing" {
			t.Errorf("warnings %+v, want one record_missing for the advice", warnings)
		}
		if len(next) != 1 || next[0].StepID != "document" {
			t.Errorf("after the conversation: %+v", next)
		}
		if done.Records["children"] != "To barn, 2 og 5 år." || done.Records["advice"] != "" {
			t.Errorf("records with the task: %+v", done.Records)
		}
		v, err := w.app.GetTask(ctx, w.as("ola"), conv.ID)
		w.must(err)
		if v.Records["conversation"] == "" || len(v.Records) != 2 {
			t.Errorf("records read back: %+v", v.Records)
		}

		// The documenting step records the need for follow-up; all written: no warning.
		doc := w.openTasks(c.Case.ID)["document"]
		_, _, warnings, err = w.app.CompleteTaskWithRecords(ctx, w.as("ola"), doc.ID, "refused",
			map[string]string{"follow_up_need": "Oppfølging av jordmor; ikke samtykke til mer nå."})
		w.must(err)
		if len(warnings) != 0 {
			t.Errorf("warnings with every record written: %+v", warnings)
		}

		// The retention purge empties what was written.
		w.must(db.Write(ctx, func(tx *store.Tx) error {
			return store.PurgeCaseContent(tx, c.Case.ID, store.PurgedContent{})
		}))
		if n := countRows(t, db, `SELECT COUNT(*) FROM step_records WHERE case_id = $1 AND content <> ''`, c.Case.ID); n != 0 {
			t.Errorf("%d step records keep their text after the purge", n)
		}
	})
}

// Seed 003 row 2: the member of the resource group "Gjev råd til
// meldaren"; the step asks for the advice to be written down with the task.
func TestSeed003Row2AdviceToTheReporterIsRecorded(t *testing.T) {
	reg := pathway.NewRegistry()
	if err := reg.LoadFS(routines.FS); err != nil {
		t.Fatal(err)
	}
	r, ok := reg.Latest("ulstein-rus-sped-smabarn")
	if !ok {
		t.Fatal("no Ulstein routine")
	}
	s, _ := r.Step("row-02")
	if len(s.Records) != 1 || s.Records[0] != pathway.RecordAdvice {
		t.Errorf("row 2 records %v, want [advice]", s.Records)
	}
	if app.MaxRecordLength < 2000 {
		t.Errorf("a record may hold only %d characters", app.MaxRecordLength)
	}
}
