-- +goose Up
-- Plans (seed 003 rows 7-9, seed 004): the individual plan, the action plan
-- and the relay log share one engine. The plan row holds the current state
-- (kind, status, version, relay-log holder, closing); every change writes a
-- new row in plan_versions with the whole content as JSON, so versions and
-- their differences can always be shown. plan_measures lists the current
-- version's measures with the task each became, so a measure's status can
-- follow its task and the deadline sweep can find the plan of a task.

CREATE TABLE plans (
    id                       TEXT PRIMARY KEY,
    case_id                  TEXT NOT NULL REFERENCES cases(id),
    municipality_id          TEXT NOT NULL REFERENCES municipalities(id),
    kind                     TEXT NOT NULL,
    status                   TEXT NOT NULL,
    version                  INTEGER NOT NULL,
    group_id                 TEXT REFERENCES responsibility_groups(id),
    holder_id                TEXT REFERENCES employees(id),
    handover_to              TEXT REFERENCES employees(id),
    handover_by              TEXT,
    handover_at              TIMESTAMP,
    close_requested_by       TEXT NOT NULL DEFAULT '',
    close_requested_by_person TEXT REFERENCES persons(id),
    close_reason             TEXT NOT NULL DEFAULT '',
    closed_by                TEXT,
    closed_at                TIMESTAMP,
    created_by               TEXT NOT NULL REFERENCES employees(id),
    created_at               TIMESTAMP NOT NULL,
    updated_at               TIMESTAMP NOT NULL
);
CREATE INDEX plans_case ON plans (case_id, kind, status);
CREATE INDEX plans_group ON plans (group_id);
CREATE INDEX plans_handover ON plans (handover_to);

-- Every version of a plan, oldest first by version. change names what
-- happened: created, updated, measures_from_minutes, holder_changed, closed.
CREATE TABLE plan_versions (
    plan_id     TEXT NOT NULL REFERENCES plans(id),
    version     INTEGER NOT NULL,
    content     TEXT NOT NULL,
    change      TEXT NOT NULL,
    changed_by  TEXT NOT NULL,
    changed_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (plan_id, version)
);

-- The current version's measures and the tasks they became.
CREATE TABLE plan_measures (
    plan_id        TEXT NOT NULL REFERENCES plans(id),
    measure_id     TEXT NOT NULL,
    case_id        TEXT NOT NULL REFERENCES cases(id),
    responsible_id TEXT REFERENCES employees(id),
    due_date       TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    task_id        TEXT,
    PRIMARY KEY (plan_id, measure_id)
);
CREATE INDEX plan_measures_task ON plan_measures (task_id);
CREATE INDEX plan_measures_case ON plan_measures (case_id, status);

-- +goose Down
DROP TABLE plan_measures;
DROP TABLE plan_versions;
DROP TABLE plans;
