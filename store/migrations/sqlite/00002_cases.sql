-- +goose Up
-- Cases and the security spine: every relation that gives access to a case
-- (registered it, application to the coordinating unit, coordinator,
-- responsibility group with consent, report to child welfare, submission to
-- a team, emergency access) and every bar (blocking).

CREATE TABLE cases (
    id                    TEXT PRIMARY KEY,
    municipality_id       TEXT NOT NULL REFERENCES municipalities(id),
    subject_person_id     TEXT REFERENCES persons(id),
    anonymous             BOOLEAN NOT NULL,
    origin                TEXT NOT NULL,
    situation             TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL,
    title                 TEXT NOT NULL DEFAULT '',
    registered_by         TEXT NOT NULL REFERENCES employees(id),
    registered_service_id TEXT REFERENCES services(id),
    routine_id            TEXT NOT NULL DEFAULT '',
    routine_version       INTEGER NOT NULL DEFAULT 0,
    created_at            TIMESTAMP NOT NULL,
    updated_at            TIMESTAMP NOT NULL,
    closed_at             TIMESTAMP
);
CREATE INDEX cases_registered_by ON cases (registered_by, updated_at);
CREATE INDEX cases_subject ON cases (subject_person_id);
CREATE INDEX cases_service ON cases (registered_service_id, status);

-- The case's timeline: what happened, when, by whom. No content, only a
-- kind and a reference; the content lives in its own table.
CREATE TABLE case_events (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases(id),
    at         TIMESTAMP NOT NULL,
    actor_id   TEXT NOT NULL DEFAULT '',
    kind       TEXT NOT NULL,
    ref_type   TEXT NOT NULL DEFAULT '',
    ref_id     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events (case_id, at);

-- Links between cases: the cases of one family (a parent's case and the
-- children's), or a named case following an anonymous consultation.
CREATE TABLE case_links (
    case_id        TEXT NOT NULL REFERENCES cases(id),
    linked_case_id TEXT NOT NULL REFERENCES cases(id),
    kind           TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (case_id, linked_case_id)
);
CREATE INDEX case_links_linked ON case_links (linked_case_id);

-- Consent: the current state per consent, and every version.
CREATE TABLE consents (
    id                TEXT PRIMARY KEY,
    case_id           TEXT NOT NULL REFERENCES cases(id),
    version           INTEGER NOT NULL,
    status            TEXT NOT NULL,
    given_by_name     TEXT NOT NULL,
    given_by_relation TEXT NOT NULL DEFAULT 'self',
    given_by_person_id TEXT REFERENCES persons(id),
    recorded_by       TEXT NOT NULL REFERENCES employees(id),
    recorded_at       TIMESTAMP NOT NULL,
    valid_until       TIMESTAMP,
    withdrawn_at      TIMESTAMP,
    withdrawn_by      TEXT,
    form_id           TEXT
);
CREATE INDEX consents_case ON consents (case_id, status);

CREATE TABLE consent_purposes (
    consent_id TEXT NOT NULL REFERENCES consents(id),
    purpose    TEXT NOT NULL,
    PRIMARY KEY (consent_id, purpose)
);

CREATE TABLE consent_versions (
    consent_id        TEXT NOT NULL REFERENCES consents(id),
    version           INTEGER NOT NULL,
    status            TEXT NOT NULL,
    purposes          TEXT NOT NULL,
    given_by_name     TEXT NOT NULL,
    given_by_relation TEXT NOT NULL,
    valid_until       TIMESTAMP,
    form_id           TEXT,
    changed_by        TEXT NOT NULL,
    changed_at        TIMESTAMP NOT NULL,
    change            TEXT NOT NULL,
    PRIMARY KEY (consent_id, version)
);

-- Scanned signed consent forms (PDF, PNG or JPEG, checked by content).
CREATE TABLE consent_forms (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases(id),
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    uploaded_by  TEXT NOT NULL REFERENCES employees(id),
    uploaded_at  TIMESTAMP NOT NULL
);
CREATE INDEX consent_forms_case ON consent_forms (case_id);

-- Applications to the coordinating unit (for a coordinator and/or an
-- individual plan). Once a case has one, the coordinating unit may see it.
CREATE TABLE applications (
    id                 TEXT PRIMARY KEY,
    case_id            TEXT NOT NULL REFERENCES cases(id),
    municipality_id    TEXT NOT NULL REFERENCES municipalities(id),
    status             TEXT NOT NULL,
    wants_coordinator  BOOLEAN NOT NULL,
    wants_plan         BOOLEAN NOT NULL,
    wished_coordinator TEXT NOT NULL DEFAULT '',
    submitted_by       TEXT NOT NULL REFERENCES employees(id),
    submitted_at       TIMESTAMP NOT NULL
);
CREATE INDEX applications_case ON applications (case_id);
CREATE INDEX applications_municipality ON applications (municipality_id, status, submitted_at);

-- Coordinators appointed for a case; at most one is current (ended_at NULL).
CREATE TABLE case_coordinators (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases(id),
    employee_id  TEXT NOT NULL REFERENCES employees(id),
    kind         TEXT NOT NULL,
    status       TEXT NOT NULL,
    appointed_by TEXT NOT NULL,
    appointed_at TIMESTAMP NOT NULL,
    accepted_at  TIMESTAMP,
    ended_at     TIMESTAMP
);
CREATE INDEX case_coordinators_employee ON case_coordinators (employee_id, ended_at);
CREATE INDEX case_coordinators_case ON case_coordinators (case_id, ended_at);

CREATE TABLE responsibility_groups (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases(id),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    closed_at  TIMESTAMP
);
CREATE INDEX responsibility_groups_case ON responsibility_groups (case_id);

-- Members: employees (employee_id set) or the person, guardians and next
-- of kin (name and relation).
CREATE TABLE group_members (
    id          TEXT PRIMARY KEY,
    group_id    TEXT NOT NULL REFERENCES responsibility_groups(id),
    employee_id TEXT REFERENCES employees(id),
    name        TEXT NOT NULL DEFAULT '',
    relation    TEXT NOT NULL DEFAULT '',
    added_at    TIMESTAMP NOT NULL,
    removed_at  TIMESTAMP
);
CREATE INDEX group_members_employee ON group_members (employee_id, removed_at);
CREATE INDEX group_members_group ON group_members (group_id);

-- Reports to child welfare (meldeplikt); child welfare sees the cases it
-- has received reports for.
CREATE TABLE child_welfare_reports (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases(id),
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    kind            TEXT NOT NULL DEFAULT 'child_welfare',
    acute           BOOLEAN NOT NULL DEFAULT FALSE,
    description     TEXT NOT NULL,
    status          TEXT NOT NULL,
    sent_by         TEXT NOT NULL REFERENCES employees(id),
    sent_at         TIMESTAMP NOT NULL,
    received_by     TEXT REFERENCES employees(id),
    received_at     TIMESTAMP
);
CREATE INDEX child_welfare_reports_case ON child_welfare_reports (case_id);
CREATE INDEX child_welfare_reports_municipality ON child_welfare_reports (municipality_id, kind, status, sent_at);

-- Cases submitted to a standing team (TST, OST, resource group) for advice.
CREATE TABLE team_submissions (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases(id),
    team_id      TEXT NOT NULL REFERENCES teams(id),
    submitted_by TEXT NOT NULL REFERENCES employees(id),
    submitted_at TIMESTAMP NOT NULL
);
CREATE INDEX team_submissions_case ON team_submissions (case_id);
CREATE INDEX team_submissions_team ON team_submissions (team_id, submitted_at);

-- Blocking (sperring): at the person's request, named employees are barred
-- from the case until the bar is lifted.
CREATE TABLE case_blocks (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    employee_id TEXT NOT NULL REFERENCES employees(id),
    reason      TEXT NOT NULL DEFAULT '',
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    lifted_by   TEXT,
    lifted_at   TIMESTAMP
);
CREATE INDEX case_blocks_case ON case_blocks (case_id, employee_id);

-- Emergency access ("break the glass"): time-limited, with a reason, and
-- reviewed by the service leader afterwards.
CREATE TABLE emergency_accesses (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    employee_id TEXT NOT NULL REFERENCES employees(id),
    service_id  TEXT REFERENCES services(id),
    reason_code TEXT NOT NULL,
    reason_text TEXT NOT NULL,
    granted_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    reviewed_by TEXT,
    reviewed_at TIMESTAMP,
    review_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX emergency_accesses_employee ON emergency_accesses (employee_id, expires_at);
CREATE INDEX emergency_accesses_case ON emergency_accesses (case_id);
CREATE INDEX emergency_accesses_review ON emergency_accesses (service_id, reviewed_at);

-- +goose Down
DROP TABLE emergency_accesses;
DROP TABLE case_blocks;
DROP TABLE team_submissions;
DROP TABLE child_welfare_reports;
DROP TABLE group_members;
DROP TABLE responsibility_groups;
DROP TABLE case_coordinators;
DROP TABLE applications;
DROP TABLE consent_forms;
DROP TABLE consent_versions;
DROP TABLE consent_purposes;
DROP TABLE consents;
DROP TABLE case_links;
DROP TABLE case_events;
DROP TABLE cases;
