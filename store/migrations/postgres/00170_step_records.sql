-- +goose Up
-- What the assignee wrote down when completing a routine step that asks
-- for it (the step's records: in the routine): seed 000 asks the
-- conversation with the person or the pregnant woman to describe the
-- concern, whether there are children and the advice given, and to clarify
-- the need for follow-up. One row per task and record; the content is
-- personal text and is emptied by the retention purge.
CREATE TABLE step_records (
    task_id     TEXT NOT NULL REFERENCES tasks(id),
    case_id     TEXT NOT NULL REFERENCES cases(id),
    record      TEXT NOT NULL,
    content     TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL REFERENCES employees(id),
    recorded_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (task_id, record)
);
CREATE INDEX step_records_case ON step_records (case_id);

-- +goose Down
DROP TABLE step_records;
