-- +goose Up
-- Children as next of kin (barn som pårørende), helsepersonelloven § 10a and
-- seed 001 (Sola, "Når barn er pårørende"): when an adult service follows a
-- person with mental illness, substance use or serious illness, it asks
-- whether the person has children under 18 and records each child, their
-- situation, the information and follow-up given and by whom, and what
-- became of it: a linked case (with consent, or through the duty to report)
-- or the reason why not.

-- The answer to "does the person have children under 18?" for one case of
-- an adult service: 'children' (then the children are listed) or
-- 'no_children'. One row per case; a missing row is an open question (a
-- task for the case's responsible employee).
CREATE TABLE next_of_kin_answers (
    case_id         TEXT PRIMARY KEY REFERENCES cases(id),
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    service_id      TEXT REFERENCES services(id),
    answer          TEXT NOT NULL CHECK (answer IN ('children', 'no_children')),
    answered_by     TEXT NOT NULL REFERENCES employees(id),
    answered_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX next_of_kin_answers_municipality ON next_of_kin_answers (municipality_id, answered_at);

-- One child under 18 of the person the case is about. name, birth_date,
-- situation, information, follow_up and no_case_reason are personal text,
-- emptied by the retention purge. outcome: '' (not decided yet), 'case'
-- (linked_case_id names the child's own case; basis says why it could be
-- made: 'consent' or 'report_duty') or 'no_case' (no_case_reason says why).
CREATE TABLE next_of_kin_children (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases(id),
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    service_id      TEXT REFERENCES services(id),
    person_id       TEXT REFERENCES persons(id),
    name            TEXT NOT NULL,
    birth_date      TEXT NOT NULL DEFAULT '',
    situation       TEXT NOT NULL DEFAULT '',
    information     TEXT NOT NULL DEFAULT '',
    follow_up       TEXT NOT NULL DEFAULT '',
    informed_by     TEXT REFERENCES employees(id),
    outcome         TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'case', 'no_case')),
    linked_case_id  TEXT REFERENCES cases(id),
    basis           TEXT NOT NULL DEFAULT '' CHECK (basis IN ('', 'consent', 'report_duty')),
    no_case_reason  TEXT NOT NULL DEFAULT '',
    recorded_by     TEXT NOT NULL REFERENCES employees(id),
    recorded_at     TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX next_of_kin_children_case ON next_of_kin_children (case_id);
CREATE INDEX next_of_kin_children_municipality ON next_of_kin_children (municipality_id, recorded_at);

-- Each service's barneansvarlig: the employee who sees to it that the
-- service asks about and follows up children as next of kin.
CREATE TABLE service_child_responsibles (
    service_id  TEXT PRIMARY KEY REFERENCES services(id),
    employee_id TEXT NOT NULL REFERENCES employees(id),
    set_by      TEXT NOT NULL DEFAULT '',
    set_at      TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE service_child_responsibles;
DROP TABLE next_of_kin_children;
DROP TABLE next_of_kin_answers;
