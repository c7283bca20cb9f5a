-- +goose Up
-- Core of Samordna: the municipality, its services, employees and teams,
-- persons and their relations, sign-in and the audit trail.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE municipalities (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    number     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE employees (
    id              TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    username        TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    title           TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    password_hash   TEXT NOT NULL DEFAULT '',
    disabled        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE employee_roles (
    employee_id TEXT NOT NULL REFERENCES employees(id),
    role        TEXT NOT NULL,
    PRIMARY KEY (employee_id, role)
);

CREATE TABLE services (
    id                 TEXT PRIMARY KEY,
    municipality_id    TEXT NOT NULL REFERENCES municipalities(id),
    name               TEXT NOT NULL,
    kind               TEXT NOT NULL,
    leader_employee_id TEXT REFERENCES employees(id),
    created_at         TIMESTAMPTZ NOT NULL
);

CREATE TABLE service_members (
    service_id  TEXT NOT NULL REFERENCES services(id),
    employee_id TEXT NOT NULL REFERENCES employees(id),
    PRIMARY KEY (service_id, employee_id)
);
CREATE INDEX service_members_employee ON service_members (employee_id);

CREATE TABLE teams (
    id              TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    name            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    purpose         TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE team_members (
    team_id     TEXT NOT NULL REFERENCES teams(id),
    employee_id TEXT NOT NULL REFERENCES employees(id),
    PRIMARY KEY (team_id, employee_id)
);
CREATE INDEX team_members_employee ON team_members (employee_id);

CREATE TABLE team_submitters (
    team_id    TEXT NOT NULL REFERENCES teams(id),
    service_id TEXT NOT NULL REFERENCES services(id),
    PRIMARY KEY (team_id, service_id)
);

CREATE TABLE persons (
    id              TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    id_number       TEXT UNIQUE,
    id_kind         TEXT NOT NULL DEFAULT '',
    name            TEXT NOT NULL,
    birth_date      TEXT,
    due_date        TEXT,
    synthetic       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE person_relations (
    id             TEXT PRIMARY KEY,
    person_id      TEXT NOT NULL REFERENCES persons(id),
    kind           TEXT NOT NULL,
    related_id     TEXT NOT NULL REFERENCES persons(id),
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX person_relations_person ON person_relations (person_id);
CREATE INDEX person_relations_related ON person_relations (related_id);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    employee_id  TEXT NOT NULL REFERENCES employees(id),
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    lang         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_employee ON sessions (employee_id);

CREATE TABLE access_tokens (
    id           TEXT PRIMARY KEY,
    employee_id  TEXT NOT NULL REFERENCES employees(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX access_tokens_employee ON access_tokens (employee_id);

CREATE TABLE login_failures (
    id       TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    client   TEXT NOT NULL,
    at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_username_at ON login_failures (username, at);
CREATE INDEX login_failures_client_at ON login_failures (client, at);

-- The audit trail: one row per read, change, refusal or sign-in, written in
-- the same transaction as the action. Rows are hash-chained (prev_hash, hash)
-- and append-only; audit_head serialises the chain.
CREATE TABLE audit_events (
    seq            BIGINT PRIMARY KEY,
    at             TIMESTAMPTZ NOT NULL,
    request_id     TEXT NOT NULL DEFAULT '',
    actor_id       TEXT NOT NULL DEFAULT '',
    actor_username TEXT NOT NULL DEFAULT '',
    actor_role     TEXT NOT NULL DEFAULT '',
    actor_service  TEXT NOT NULL DEFAULT '',
    person_id      TEXT NOT NULL DEFAULT '',
    case_id        TEXT NOT NULL DEFAULT '',
    object_type    TEXT NOT NULL DEFAULT '',
    object_id      TEXT NOT NULL DEFAULT '',
    action         TEXT NOT NULL,
    outcome        TEXT NOT NULL,
    purpose        TEXT NOT NULL DEFAULT '',
    client         TEXT NOT NULL DEFAULT '',
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);
CREATE INDEX audit_events_case ON audit_events (case_id, seq);
CREATE INDEX audit_events_person ON audit_events (person_id, seq);
CREATE INDEX audit_events_actor ON audit_events (actor_id, seq);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY,
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- +goose StatementBegin
CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql;
-- +goose StatementEnd

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC;

-- +goose Down
DROP TABLE audit_head;
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
DROP TABLE login_failures;
DROP TABLE access_tokens;
DROP TABLE sessions;
DROP TABLE person_relations;
DROP TABLE persons;
DROP TABLE team_submitters;
DROP TABLE team_members;
DROP TABLE teams;
DROP TABLE service_members;
DROP TABLE services;
DROP TABLE employee_roles;
DROP TABLE employees;
DROP TABLE municipalities;
DROP TABLE meta;
