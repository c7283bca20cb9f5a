-- +goose Up
-- Coordination (seed 000, seed 004): the coordinating unit's decision on an
-- application, coordinator acceptance and handover, the responsibility
-- group's members, escalations and meetings with their minutes.

-- The decision on an application. outcome is '' until decided, then
-- 'granted' or 'refused'; plan_decision is 'now', 'later' or 'no'.
ALTER TABLE applications ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN decided_by TEXT;
ALTER TABLE applications ADD COLUMN decided_at TIMESTAMPTZ;
ALTER TABLE applications ADD COLUMN decision_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN decided_coordinator_id TEXT;
ALTER TABLE applications ADD COLUMN coordinator_kind TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN plan_decision TEXT NOT NULL DEFAULT '';

-- A handover waits on the current coordinator's row until the new
-- coordinator accepts it; end_reason says why a row ended.
ALTER TABLE case_coordinators ADD COLUMN handover_to TEXT;
ALTER TABLE case_coordinators ADD COLUMN handover_by TEXT;
ALTER TABLE case_coordinators ADD COLUMN handover_at TIMESTAMPTZ;
ALTER TABLE case_coordinators ADD COLUMN end_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX case_coordinators_handover ON case_coordinators (handover_to, ended_at);

ALTER TABLE responsibility_groups ADD COLUMN closed_by TEXT;
ALTER TABLE responsibility_groups ADD COLUMN close_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE responsibility_groups ADD COLUMN evaluated_at TIMESTAMPTZ;

-- Employee members carry their service and their role in the group;
-- position orders the members for rotating chair and minute-taker.
ALTER TABLE group_members ADD COLUMN service_id TEXT;
ALTER TABLE group_members ADD COLUMN role TEXT NOT NULL DEFAULT '';
ALTER TABLE group_members ADD COLUMN position INTEGER NOT NULL DEFAULT 0;

-- Matters the group cannot resolve, raised to the leaders (seed 004).
CREATE TABLE group_escalations (
    id         TEXT PRIMARY KEY,
    group_id   TEXT NOT NULL REFERENCES responsibility_groups(id),
    case_id    TEXT NOT NULL REFERENCES cases(id),
    category   TEXT NOT NULL,
    matter     TEXT NOT NULL,
    raised_by  TEXT NOT NULL REFERENCES employees(id),
    raised_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX group_escalations_group ON group_escalations (group_id, raised_at);

-- Meetings of a responsibility group. agenda is a JSON array of strings.
CREATE TABLE meetings (
    id                  TEXT PRIMARY KEY,
    case_id             TEXT NOT NULL REFERENCES cases(id),
    group_id            TEXT NOT NULL REFERENCES responsibility_groups(id),
    municipality_id     TEXT NOT NULL REFERENCES municipalities(id),
    number              INTEGER NOT NULL,
    starts_at           TIMESTAMPTZ NOT NULL,
    duration_minutes    INTEGER NOT NULL,
    place               TEXT NOT NULL,
    status              TEXT NOT NULL,
    agenda              TEXT NOT NULL,
    short_notice_reason TEXT NOT NULL DEFAULT '',
    chair_member_id     TEXT,
    minute_taker_id     TEXT,
    agenda_sent_at      TIMESTAMPTZ,
    ics_sequence        INTEGER NOT NULL DEFAULT 0,
    created_by          TEXT NOT NULL REFERENCES employees(id),
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX meetings_group ON meetings (group_id, starts_at);
CREATE INDEX meetings_case ON meetings (case_id, starts_at);

-- Who is invited to a meeting: group members, and the coordinating unit's
-- caseworker for the first part of the first meeting.
CREATE TABLE meeting_attendees (
    id          TEXT PRIMARY KEY,
    meeting_id  TEXT NOT NULL REFERENCES meetings(id),
    member_id   TEXT,
    employee_id TEXT,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    part        TEXT NOT NULL DEFAULT 'whole'
);
CREATE INDEX meeting_attendees_meeting ON meeting_attendees (meeting_id);

-- Minutes: a JSON document, a draft until finalised; then locked, with the
-- SHA-256 of the content checked on every read.
CREATE TABLE meeting_minutes (
    meeting_id   TEXT PRIMARY KEY REFERENCES meetings(id),
    status       TEXT NOT NULL,
    content      TEXT NOT NULL,
    sha256       TEXT NOT NULL DEFAULT '',
    updated_by   TEXT NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    finalised_by TEXT,
    finalised_at TIMESTAMPTZ
);

-- +goose Down
DROP TABLE meeting_minutes;
DROP TABLE meeting_attendees;
DROP TABLE meetings;
DROP TABLE group_escalations;
DROP INDEX case_coordinators_handover;
ALTER TABLE group_members DROP COLUMN position;
ALTER TABLE group_members DROP COLUMN role;
ALTER TABLE group_members DROP COLUMN service_id;
ALTER TABLE responsibility_groups DROP COLUMN evaluated_at;
ALTER TABLE responsibility_groups DROP COLUMN close_reason;
ALTER TABLE responsibility_groups DROP COLUMN closed_by;
ALTER TABLE case_coordinators DROP COLUMN end_reason;
ALTER TABLE case_coordinators DROP COLUMN handover_at;
ALTER TABLE case_coordinators DROP COLUMN handover_by;
ALTER TABLE case_coordinators DROP COLUMN handover_to;
ALTER TABLE applications DROP COLUMN plan_decision;
ALTER TABLE applications DROP COLUMN coordinator_kind;
ALTER TABLE applications DROP COLUMN decided_coordinator_id;
ALTER TABLE applications DROP COLUMN decision_reason;
ALTER TABLE applications DROP COLUMN decided_at;
ALTER TABLE applications DROP COLUMN decided_by;
ALTER TABLE applications DROP COLUMN outcome;
