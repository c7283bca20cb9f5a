-- +goose Up
-- Whom the employee contacted in a serious, acute situation, and when
-- (seed 000 situation 5: "barnevern, politi, tjenesteområde psykisk
-- helsearbeid og rusomsorg eller andre ansvarlige instanser/personer
-- kontaktes"; seed 003 row 10). One row per contact; the note (whom they
-- spoke to, what was agreed) is personal text, emptied by the retention
-- purge.
CREATE TABLE acute_contacts (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases(id),
    contacted    TEXT NOT NULL CHECK (contacted IN ('police', 'emergency_room', 'child_welfare_on_duty',
                     'child_welfare', 'mental_health_substance', 'other')),
    contacted_at TIMESTAMPTZ NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    recorded_by  TEXT NOT NULL REFERENCES employees(id),
    recorded_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX acute_contacts_case ON acute_contacts (case_id, contacted_at);

-- +goose Down
DROP TABLE acute_contacts;
