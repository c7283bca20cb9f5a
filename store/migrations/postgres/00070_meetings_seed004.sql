-- +goose Up
-- Meetings as seed 004 describes them: cooperation meetings
-- (samarbeidsmøter) without a responsibility group (group_id NULL, kind
-- 'cooperation'); whether the person attends all, part or none of a
-- meeting, and the views the coordinator gathered beforehand when not;
-- "eventuelt" matters in priority order with the time each needs; guests
-- (providers who are not members) called in for one matter; the delivery
-- of the minutes to recipients who are not reached in the system; the
-- user's part in choosing the members and in the annual evaluation.
ALTER TABLE meetings ALTER COLUMN group_id DROP NOT NULL;
ALTER TABLE meetings ADD COLUMN kind TEXT NOT NULL DEFAULT 'responsibility_group';
ALTER TABLE meetings ADD COLUMN person_attendance TEXT NOT NULL DEFAULT 'whole';
ALTER TABLE meetings ADD COLUMN person_part TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN person_views TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN person_views_by TEXT;
ALTER TABLE meetings ADD COLUMN person_views_at TIMESTAMPTZ;
ALTER TABLE meetings ADD COLUMN other_business TEXT NOT NULL DEFAULT '[]';
ALTER TABLE meetings ADD COLUMN other_business_minutes INTEGER NOT NULL DEFAULT 0;

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
    marked_at  TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL
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
    evaluated_at TIMESTAMPTZ NOT NULL
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
ALTER TABLE meetings ALTER COLUMN group_id SET NOT NULL;
