-- +goose Up
-- The discoverer's routine: concerns and inquiries, consultations, the
-- routine's steps as tasks with deadlines, deviations, notifications with an
-- outbox for e-mail, routine documents uploaded by the administrator, and
-- what a report to child welfare needs once it is sent (signature, lock,
-- acknowledgement deadline, the PDF copy).

-- The routine a municipality's new cases follow when the concern names none.
ALTER TABLE municipalities ADD COLUMN default_routine_id TEXT NOT NULL DEFAULT '';

-- Routine documents (YAML, see pathway.Parse) uploaded by the administrator.
-- The routines shipped with the binary are not stored here.
CREATE TABLE routine_documents (
    id          TEXT PRIMARY KEY,
    routine_id  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    name        TEXT NOT NULL,
    file_name   TEXT NOT NULL DEFAULT '',
    document    TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    uploaded_by TEXT NOT NULL DEFAULT '',
    uploaded_at TIMESTAMPTZ NOT NULL,
    UNIQUE (routine_id, version)
);

-- A concern (bekymring) or inquiry (henvendelse): how a case began. An
-- anonymous one holds no identifying data (checked before it is stored).
CREATE TABLE concerns (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases(id),
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    situation       TEXT NOT NULL,
    anonymous       BOOLEAN NOT NULL,
    description     TEXT NOT NULL,
    registered_by   TEXT NOT NULL REFERENCES employees(id),
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX concerns_case ON concerns (case_id);

-- Consultations (drøftinger) with a colleague, a leader, the resource group
-- or a team: anonymously, or openly with consent; with the advice given and
-- who gave it.
CREATE TABLE consultations (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases(id),
    with_kind     TEXT NOT NULL,
    mode          TEXT NOT NULL,
    consent_given BOOLEAN NOT NULL,
    team_id       TEXT REFERENCES teams(id),
    adviser_id    TEXT REFERENCES employees(id),
    adviser_name  TEXT NOT NULL DEFAULT '',
    summary       TEXT NOT NULL DEFAULT '',
    advice        TEXT NOT NULL,
    held_at       TIMESTAMPTZ NOT NULL,
    recorded_by   TEXT NOT NULL REFERENCES employees(id),
    recorded_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX consultations_case ON consultations (case_id, held_at);

-- Tasks: a routine step (or a plan's measure) for one case, with its due
-- date, who must do it (an employee, a role, a team, a service or the
-- case's responsibility group) and what came of it.
CREATE TABLE tasks (
    id                   TEXT PRIMARY KEY,
    case_id              TEXT NOT NULL REFERENCES cases(id),
    municipality_id      TEXT NOT NULL REFERENCES municipalities(id),
    kind                 TEXT NOT NULL,
    routine_id           TEXT NOT NULL DEFAULT '',
    routine_version      INTEGER NOT NULL DEFAULT 0,
    step_id              TEXT NOT NULL DEFAULT '',
    plan_id              TEXT NOT NULL DEFAULT '',
    title                TEXT NOT NULL,
    responsible          TEXT NOT NULL,
    assignee_kind        TEXT NOT NULL,
    assignee_employee_id TEXT REFERENCES employees(id),
    assignee_role        TEXT NOT NULL DEFAULT '',
    assignee_team_id     TEXT REFERENCES teams(id),
    assignee_service_id  TEXT REFERENCES services(id),
    status               TEXT NOT NULL,
    started_at           TIMESTAMPTZ NOT NULL,
    due_at               TIMESTAMPTZ,
    overdue_after        TIMESTAMPTZ,
    completed_at         TIMESTAMPTZ,
    completed_by         TEXT REFERENCES employees(id),
    outcome              TEXT NOT NULL DEFAULT '',
    escalated_at         TIMESTAMPTZ,
    previous_task_id     TEXT NOT NULL DEFAULT '',
    created_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX tasks_case ON tasks (case_id, status);
CREATE INDEX tasks_employee ON tasks (assignee_employee_id, status, due_at);
CREATE INDEX tasks_role ON tasks (municipality_id, assignee_role, status);
CREATE INDEX tasks_team ON tasks (assignee_team_id, status);
CREATE INDEX tasks_overdue ON tasks (status, escalated_at, overdue_after);

-- Deviations (avvik): a plan's deadline that was not kept.
CREATE TABLE deviations (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES cases(id),
    task_id          TEXT NOT NULL REFERENCES tasks(id),
    kind             TEXT NOT NULL,
    detected_at      TIMESTAMPTZ NOT NULL,
    revision_task_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deviations_case ON deviations (case_id, detected_at);

-- In-app notifications. They name what happened and what it refers to,
-- never the content.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL REFERENCES employees(id),
    kind        TEXT NOT NULL,
    case_id     TEXT REFERENCES cases(id),
    task_id     TEXT REFERENCES tasks(id),
    report_id   TEXT REFERENCES child_welfare_reports(id),
    created_at  TIMESTAMPTZ NOT NULL,
    read_at     TIMESTAMPTZ
);
CREATE INDEX notifications_employee ON notifications (employee_id, read_at, created_at);

-- The outbox: messages (e-mail) to deliver later, written in the same
-- transaction as their cause. A deliverer claims a row by setting
-- claimed_at with a conditional UPDATE, so several instances send it once.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    recipient_id    TEXT REFERENCES employees(id),
    topic           TEXT NOT NULL,
    notification_id TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    claimed_at      TIMESTAMPTZ,
    sent_at         TIMESTAMPTZ,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox (sent_at, claimed_at, created_at);

-- A report is signed by its named sender, locked once sent, must be
-- acknowledged by ack_due_at when acute, and keeps the PDF copy made when it
-- was sent.
ALTER TABLE child_welfare_reports ADD COLUMN sender_name TEXT NOT NULL DEFAULT '';
ALTER TABLE child_welfare_reports ADD COLUMN sender_title TEXT NOT NULL DEFAULT '';
ALTER TABLE child_welfare_reports ADD COLUMN sender_service TEXT NOT NULL DEFAULT '';
ALTER TABLE child_welfare_reports ADD COLUMN signature TEXT NOT NULL DEFAULT '';
ALTER TABLE child_welfare_reports ADD COLUMN locked_at TIMESTAMPTZ;
ALTER TABLE child_welfare_reports ADD COLUMN ack_due_at TIMESTAMPTZ;
ALTER TABLE child_welfare_reports ADD COLUMN escalated_at TIMESTAMPTZ;
ALTER TABLE child_welfare_reports ADD COLUMN pdf BYTEA;
CREATE INDEX child_welfare_reports_ack ON child_welfare_reports (status, escalated_at, ack_due_at);

-- +goose Down
DROP INDEX child_welfare_reports_ack;
ALTER TABLE child_welfare_reports DROP COLUMN pdf;
ALTER TABLE child_welfare_reports DROP COLUMN escalated_at;
ALTER TABLE child_welfare_reports DROP COLUMN ack_due_at;
ALTER TABLE child_welfare_reports DROP COLUMN locked_at;
ALTER TABLE child_welfare_reports DROP COLUMN signature;
ALTER TABLE child_welfare_reports DROP COLUMN sender_service;
ALTER TABLE child_welfare_reports DROP COLUMN sender_title;
ALTER TABLE child_welfare_reports DROP COLUMN sender_name;
DROP TABLE outbox;
DROP TABLE notifications;
DROP TABLE deviations;
DROP TABLE tasks;
DROP TABLE consultations;
DROP TABLE concerns;
DROP TABLE routine_documents;
ALTER TABLE municipalities DROP COLUMN default_routine_id;
