package app

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file keeps the step records: what the assignee writes down when
// completing a routine step that asks for it. Seed 000 (Lillehammer,
// Framgangsmåte) asks that the conversation with the person or the
// pregnant woman "i tillegg til beskrivelse av bekymringen eller
// situasjonen" clarify the need for follow-up; Samordna's conversation step
// records the concern, whether there are children and the advice given,
// and the documenting step the need for follow-up. Ulstein row 2 ("Gjev råd
// til meldaren") records the advice. A missing record is a warning, not a
// refusal: the conversation may have been held without all of it known.

// MaxRecordLength bounds one step record.
const MaxRecordLength = 10000

// checkRecords checks what was written down against the step's records and
// returns the records the step declares. A record the step does not ask
// for is refused (unknown_record), so nothing is stored that no page
// shows.
func checkRecords(r *pathway.Routine, t *store.Task, c *samordna.Case, records map[string]string) ([]pathway.Record, error) {
	var declared []pathway.Record
	if r != nil && t.Kind == store.TaskKindStep {
		if s, ok := r.Step(t.StepID); ok {
			declared = s.Records
		}
	}
	for k, v := range records {
		if !slices.Contains(declared, pathway.Record(k)) {
			return nil, samordna.Errorf(samordna.KindInvalid, "unknown_record",
				"the step does not ask for the record %q", truncateRunes(k, 40))
		}
		if utf8.RuneCountInString(v) > MaxRecordLength {
			return nil, samordna.Errorf(samordna.KindInvalid, "record_too_long",
				"a record may be at most %d characters", MaxRecordLength)
		}
		if c.Anonymous {
			if err := checkAnonymousText("records."+k, v); err != nil {
				return nil, err
			}
		}
	}
	return declared, nil
}

// saveRecords stores the non-empty records of the completed task and warns
// about each declared record left empty (record_missing).
func (a *App) saveRecords(tx *store.Tx, actor *samordna.Actor, t *store.Task, declared []pathway.Record,
	records map[string]string) ([]Warning, error) {
	var warnings []Warning
	for _, rec := range declared {
		text := strings.TrimSpace(records[string(rec)])
		if text == "" {
			warnings = append(warnings, Warning{Code: "record_missing",
				Message: fmt.Sprintf("the step asks to record %q (%s); nothing was written", rec, rec.Label())})
			continue
		}
		if err := store.AddStepRecord(tx, &store.StepRecord{TaskID: t.ID, CaseID: t.CaseID, Record: string(rec),
			Content: text, RecordedBy: actor.Employee.ID, RecordedAt: a.now()}); err != nil {
			return nil, err
		}
	}
	return warnings, nil
}

// addTaskRecords fills v.Records from what was written down for its task.
func (a *App) addTaskRecords(tx *store.Tx, v *TaskView) error {
	if v == nil || v.Step == nil || len(v.Step.Records) == 0 || v.Status == store.TaskOpen {
		return nil
	}
	rs, err := store.StepRecordsOfTask(tx, v.ID)
	if err != nil {
		return err
	}
	for _, r := range rs {
		if v.Records == nil {
			v.Records = map[string]string{}
		}
		v.Records[r.Record] = r.Content
	}
	return nil
}
