-- +goose Up
-- Teams that meet (issue 15, seed 002 §3.3, §4.1.3, §4.2; seed 003 row 2):
-- a team's meeting series (from its meeting rule), its meetings one by one
-- (moved or cancelled singly), who takes part (the fixed members and
-- invitees for one matter or meeting), and the matters brought to it —
-- anonymous, or named with a consent covering that team — with the
-- question, the meeting whose agenda holds it, and the advice, who follows
-- up and the onward referral given there. The question, reason and advice
-- of a named matter are personal text, emptied by the retention purge with
-- the matter's case.
CREATE TABLE team_series (
    team_id          TEXT PRIMARY KEY REFERENCES teams(id),
    rule             TEXT NOT NULL,
    first_starts_at  TIMESTAMP NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    until_at         TIMESTAMP NOT NULL,
    place            TEXT NOT NULL DEFAULT '',
    sequence         INTEGER NOT NULL DEFAULT 0,
    created_by       TEXT REFERENCES employees(id),
    created_at       TIMESTAMP NOT NULL
);

CREATE TABLE team_meetings (
    id           TEXT PRIMARY KEY,
    team_id      TEXT NOT NULL REFERENCES teams(id),
    series_start TIMESTAMP,
    starts_at    TIMESTAMP NOT NULL,
    ends_at      TIMESTAMP NOT NULL,
    place        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held', 'cancelled')),
    capacity     INTEGER NOT NULL DEFAULT 6 CHECK (capacity > 0),
    minutes      TEXT NOT NULL DEFAULT '',
    finalised_at TIMESTAMP,
    finalised_by TEXT REFERENCES employees(id),
    sequence     INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX team_meetings_team ON team_meetings (team_id, starts_at);
CREATE UNIQUE INDEX team_meetings_series ON team_meetings (team_id, series_start) WHERE series_start IS NOT NULL;

CREATE TABLE team_matters (
    id                    TEXT PRIMARY KEY,
    municipality_id       TEXT NOT NULL REFERENCES municipalities(id),
    team_id               TEXT NOT NULL REFERENCES teams(id),
    meeting_id            TEXT REFERENCES team_meetings(id),
    anonymous             BOOLEAN NOT NULL,
    question              TEXT NOT NULL,
    person_id             TEXT REFERENCES persons(id),
    case_id               TEXT REFERENCES cases(id),
    consent_id            TEXT REFERENCES consents(id),
    service_id            TEXT REFERENCES services(id),
    reason                TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL CHECK (status IN ('waiting', 'on_agenda', 'discussed', 'withdrawn')),
    submitted_by          TEXT NOT NULL REFERENCES employees(id),
    submitted_at          TIMESTAMP NOT NULL,
    advice                TEXT NOT NULL DEFAULT '',
    follow_up_by          TEXT REFERENCES employees(id),
    referral              TEXT NOT NULL DEFAULT '' CHECK (referral IN ('', 'coordinating_unit', 'child_welfare',
                              'ppt', 'bup', 'family_counselling')),
    discussed_at          TIMESTAMP,
    advice_task_id        TEXT REFERENCES tasks(id),
    CHECK (anonymous OR (person_id IS NOT NULL AND case_id IS NOT NULL AND consent_id IS NOT NULL)),
    CHECK (NOT anonymous OR person_id IS NULL)
);
CREATE INDEX team_matters_team ON team_matters (team_id, submitted_at);
CREATE INDEX team_matters_meeting ON team_matters (meeting_id);
CREATE INDEX team_matters_case ON team_matters (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX team_matters_submitter ON team_matters (submitted_by, submitted_at);

CREATE TABLE team_meeting_participants (
    meeting_id     TEXT NOT NULL REFERENCES team_meetings(id),
    employee_id    TEXT NOT NULL REFERENCES employees(id),
    ad_hoc         BOOLEAN NOT NULL DEFAULT FALSE,
    matter_id      TEXT REFERENCES team_matters(id),
    present        BOOLEAN,
    PRIMARY KEY (meeting_id, employee_id)
);
CREATE INDEX team_meeting_participants_employee ON team_meeting_participants (employee_id);

-- +goose Down
DROP TABLE team_meeting_participants;
DROP TABLE team_matters;
DROP TABLE team_meetings;
DROP TABLE team_series;
