-- +goose Up
-- Meetings as seed 004 describes them: cooperation meetings
-- (samarbeidsmøter) without a responsibility group (group_id NULL, kind
-- 'cooperation'); whether the person attends all, part or none of a
-- meeting, and the views the coordinator gathered beforehand when not;
-- "eventuelt" matters in priority order with the time each needs; guests
-- (providers who are not members) called in for one matter; the delivery
-- of the minutes to recipients who are not reached in the system; the
-- user's part in choosing the members and in the annual evaluation.
--
-- SQLite cannot drop NOT NULL from group_id, so meetings is rebuilt: its
-- rows are kept aside, the table made anew and the rows put back. The
-- foreign keys of meeting_attendees and meeting_minutes are deferred: the
-- rows they lose when meetings is dropped are found again when the rows
-- come back, before the commit checks them.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE meetings_old AS SELECT * FROM meetings;
DROP TABLE meetings;
CREATE TABLE meetings (
    id                  TEXT PRIMARY KEY,
    case_id             TEXT NOT NULL REFERENCES cases(id),
    group_id            TEXT REFERENCES responsibility_groups(id),
    municipality_id     TEXT NOT NULL REFERENCES municipalities(id),
    number              INTEGER NOT NULL,
    starts_at           TIMESTAMP NOT NULL,
    duration_minutes    INTEGER NOT NULL,
    place               TEXT NOT NULL,
    status              TEXT NOT NULL,
    agenda              TEXT NOT NULL,
    short_notice_reason TEXT NOT NULL DEFAULT '',
    chair_member_id     TEXT,
    minute_taker_id     TEXT,
    agenda_sent_at      TIMESTAMP,
    ics_sequence        INTEGER NOT NULL DEFAULT 0,
    created_by          TEXT NOT NULL REFERENCES employees(id),
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    kind                TEXT NOT NULL DEFAULT 'responsibility_group',
    person_attendance   TEXT NOT NULL DEFAULT 'whole',
    person_part         TEXT NOT NULL DEFAULT '',
    person_views        TEXT NOT NULL DEFAULT '',
    person_views_by     TEXT,
    person_views_at     TIMESTAMP,
    other_business      TEXT NOT NULL DEFAULT '[]',
    other_business_minutes INTEGER NOT NULL DEFAULT 0
);
INSERT INTO meetings (id, case_id, group_id, municipality_id, number, starts_at, duration_minutes, place, status,
    agenda, short_notice_reason, chair_member_id, minute_taker_id, agenda_sent_at, ics_sequence, created_by,
    created_at, updated_at)
SELECT id, case_id, group_id, municipality_id, number, starts_at, duration_minutes, place, status,
    agenda, short_notice_reason, chair_member_id, minute_taker_id, agenda_sent_at, ics_sequence, created_by,
    created_at, updated_at FROM meetings_old;
DROP TABLE meetings_old;
CREATE INDEX meetings_group ON meetings (group_id, starts_at);
CREATE INDEX meetings_case ON meetings (case_id, starts_at);

-- A guest's matter: what a provider who is not a member is called in for.
ALTER TABLE meeting_attendees ADD COLUMN matter TEXT NOT NULL DEFAULT '';
-- A participant's relation to the person, when not an employee.
ALTER TABLE meeting_attendees ADD COLUMN relation TEXT NOT NULL DEFAULT '';

-- Finalised minutes to recipients the system does not reach (the person,
-- guardians, guests): the coordinator records how and when they were sent.
CREATE TABLE minutes_deliveries (
    id         TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    position   INTEGER NOT NULL,
    recipient  TEXT NOT NULL,
    status     TEXT NOT NULL DEFAULT 'pending',
    method     TEXT NOT NULL DEFAULT '',
    sent_on    TEXT NOT NULL DEFAULT '',
    marked_by  TEXT REFERENCES employees(id),
    marked_at  TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX minutes_deliveries_meeting ON minutes_deliveries (meeting_id, position);

-- Who among the person and family chose the members with the coordinator.
ALTER TABLE responsibility_groups ADD COLUMN members_chosen_with TEXT NOT NULL DEFAULT '';

-- Each annual evaluation, with the person's own view of the group's work.
CREATE TABLE group_evaluations (
    id           TEXT PRIMARY KEY,
    group_id     TEXT NOT NULL REFERENCES responsibility_groups(id),
    case_id      TEXT NOT NULL REFERENCES cases(id),
    continued    BOOLEAN NOT NULL,
    note         TEXT NOT NULL,
    user_view    TEXT NOT NULL,
    user_view_by TEXT NOT NULL,
    evaluated_by TEXT NOT NULL REFERENCES employees(id),
    evaluated_at TIMESTAMP NOT NULL
);
CREATE INDEX group_evaluations_group ON group_evaluations (group_id, evaluated_at);

-- +goose Down
DROP TABLE group_evaluations;
ALTER TABLE responsibility_groups DROP COLUMN members_chosen_with;
DROP TABLE minutes_deliveries;
ALTER TABLE meeting_attendees DROP COLUMN relation;
ALTER TABLE meeting_attendees DROP COLUMN matter;
ALTER TABLE meetings DROP COLUMN other_business_minutes;
ALTER TABLE meetings DROP COLUMN other_business;
ALTER TABLE meetings DROP COLUMN person_views_at;
ALTER TABLE meetings DROP COLUMN person_views_by;
ALTER TABLE meetings DROP COLUMN person_views;
ALTER TABLE meetings DROP COLUMN person_part;
ALTER TABLE meetings DROP COLUMN person_attendance;
ALTER TABLE meetings DROP COLUMN kind;
