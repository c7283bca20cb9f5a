-- +goose Up
-- The municipality's plan for children as next of kin (seed 001, Sola):
-- goals at municipality, service and individual level, each in the culture
-- or the structure dimension, with an owner (the chief executive, a
-- service leader or an employee), a yearly target and an indicator. The
-- indicator is computed from Samordna's own data or entered by the owner
-- each quarter. Goal texts are the municipality's policy, not personal
-- data.
CREATE TABLE goals (
    id              TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    level           TEXT NOT NULL CHECK (level IN ('municipality', 'service', 'individual')),
    dimension       TEXT NOT NULL CHECK (dimension IN ('culture', 'structure')),
    text            TEXT NOT NULL,
    owner_kind      TEXT NOT NULL CHECK (owner_kind IN ('chief_executive', 'service_leader', 'employee')),
    owner_id        TEXT REFERENCES employees(id),
    service_id      TEXT REFERENCES services(id),
    indicator       TEXT NOT NULL,
    indicator_text  TEXT NOT NULL DEFAULT '',
    position        INTEGER NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    archived_at     TIMESTAMPTZ
);
CREATE INDEX goals_municipality ON goals (municipality_id, level, position);

-- The yearly target of a goal.
CREATE TABLE goal_targets (
    goal_id TEXT NOT NULL REFERENCES goals(id),
    year    INTEGER NOT NULL,
    target  DOUBLE PRECISION NOT NULL,
    set_by  TEXT NOT NULL,
    set_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (goal_id, year)
);

-- Results the owner enters for an indicator Samordna cannot compute
-- (training held, fagsamlinger): the figure for the year so far at the end
-- of each quarter.
CREATE TABLE goal_results (
    goal_id    TEXT NOT NULL REFERENCES goals(id),
    year       INTEGER NOT NULL,
    quarter    INTEGER NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    value      DOUBLE PRECISION NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (goal_id, year, quarter)
);

-- The yearly cycle (årshjul): recurring activities with an owner and a
-- date rule (every interval_months months from start_month, on a day of
-- the month or the nth weekday), that become tasks lead_days before.
CREATE TABLE annual_activities (
    id               TEXT PRIMARY KEY,
    municipality_id  TEXT NOT NULL REFERENCES municipalities(id),
    level            TEXT NOT NULL CHECK (level IN ('municipality', 'service', 'individual')),
    kind             TEXT NOT NULL,
    title            TEXT NOT NULL,
    owner_id         TEXT NOT NULL REFERENCES employees(id),
    interval_months  INTEGER NOT NULL CHECK (interval_months IN (1, 2, 3, 4, 6, 12)),
    start_year       INTEGER NOT NULL,
    start_month      INTEGER NOT NULL CHECK (start_month BETWEEN 1 AND 12),
    month_day        INTEGER NOT NULL DEFAULT 0,
    week             INTEGER NOT NULL DEFAULT 0,
    weekday          INTEGER NOT NULL DEFAULT 0,
    start_minute     INTEGER NOT NULL DEFAULT 540,
    duration_minutes INTEGER NOT NULL DEFAULT 120,
    lead_days        INTEGER NOT NULL DEFAULT 14,
    created_by       TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    archived_at      TIMESTAMPTZ
);
CREATE INDEX annual_activities_municipality ON annual_activities (municipality_id, level);

-- An occurrence of an activity that has become a task for its owner; one
-- per date, so several servers sweeping create it once.
CREATE TABLE annual_activity_tasks (
    id           TEXT PRIMARY KEY,
    activity_id  TEXT NOT NULL REFERENCES annual_activities(id),
    occurs_on    TEXT NOT NULL,
    owner_id     TEXT NOT NULL REFERENCES employees(id),
    due_at       TIMESTAMPTZ NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'done')),
    created_at   TIMESTAMPTZ NOT NULL,
    completed_at TIMESTAMPTZ,
    completed_by TEXT,
    UNIQUE (activity_id, occurs_on)
);
CREATE INDEX annual_activity_tasks_owner ON annual_activity_tasks (owner_id, status, due_at);

-- Personal calendar feed links: a secret (stored hashed) that lets a
-- calendar app read the yearly cycle and nothing else.
CREATE TABLE calendar_feeds (
    token_hash  TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL REFERENCES employees(id),
    created_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX calendar_feeds_employee ON calendar_feeds (employee_id);

-- +goose Down
DROP TABLE calendar_feeds;
DROP TABLE annual_activity_tasks;
DROP TABLE annual_activities;
DROP TABLE goal_results;
DROP TABLE goal_targets;
DROP TABLE goals;
