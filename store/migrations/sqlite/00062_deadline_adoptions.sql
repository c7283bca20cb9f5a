-- +goose Up
-- Deadlines the municipality adopted (issue 11, rule 9). Where a routine
-- gives no deadline of its own, Samordna proposes one ("Lokal frist"); the
-- administrator adopts or changes it per routine and step. Each change is a
-- new version; the highest version is in force for new tasks. The limits
-- that belong to no step (routine_id '': step_id immediate_grace, how long
-- an immediate step waits before it escalates; acute_acknowledge, how long
-- child welfare has to acknowledge an acute report) are adopted the same way.
CREATE TABLE deadline_adoptions (
    id              TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    routine_id      TEXT NOT NULL,
    step_id         TEXT NOT NULL,
    version         INTEGER NOT NULL,
    deadline        TEXT NOT NULL,
    working_days    BOOLEAN NOT NULL DEFAULT FALSE,
    note            TEXT NOT NULL DEFAULT '',
    adopted_by      TEXT REFERENCES employees(id),
    adopted_at      TIMESTAMP NOT NULL,
    UNIQUE (municipality_id, routine_id, step_id, version)
);

-- Whose deadline a task has: routine (the routine's own), municipality
-- (adopted by the municipality) or proposed (Samordna's, not adopted yet);
-- empty for tasks made before this and for tasks of no routine step.
ALTER TABLE tasks ADD COLUMN deadline_source TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE tasks DROP COLUMN deadline_source;
DROP TABLE deadline_adoptions;
