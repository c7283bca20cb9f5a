package store

import "time"

// This file persists step records: what the assignee wrote down when
// completing a routine step that asks for it (seed 000: the conversation,
// whether there are children, the advice given, the need for follow-up).

// StepRecord is one written-down record of a completed task.
type StepRecord struct {
	TaskID, CaseID, Record, Content, RecordedBy string
	RecordedAt                                  time.Time
}

// AddStepRecord stores one record of a task.
func AddStepRecord(tx *Tx, r *StepRecord) error {
	_, err := tx.Exec(`INSERT INTO step_records (task_id, case_id, record, content, recorded_by, recorded_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, r.TaskID, r.CaseID, r.Record, r.Content, r.RecordedBy, r.RecordedAt)
	return wrap(err, "add step record")
}

// StepRecordsOfTask returns the task's step records, by record.
func StepRecordsOfTask(tx *Tx, taskID string) ([]*StepRecord, error) {
	rows, err := tx.Query(`SELECT task_id, case_id, record, content, recorded_by, recorded_at
		FROM step_records WHERE task_id = $1 ORDER BY record`, taskID)
	if err != nil {
		return nil, wrap(err, "step records")
	}
	defer rows.Close()
	var out []*StepRecord
	for rows.Next() {
		var r StepRecord
		if err := rows.Scan(&r.TaskID, &r.CaseID, &r.Record, &r.Content, &r.RecordedBy, &r.RecordedAt); err != nil {
			return nil, wrap(err, "step records")
		}
		out = append(out, &r)
	}
	return out, wrap(rows.Err(), "step records")
}
