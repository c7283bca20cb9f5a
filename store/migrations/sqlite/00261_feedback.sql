-- +goose Up
-- Feedback from the person in an individual follow-up (FIT, seed 001
-- individual level: "Sikre at ansatte aktivt og systematisk anvender
-- tilbakemeldingsverktøy i møte med det enkelte barn/familie"). The
-- municipality names the items (0-10 scales) of two kinds: 'outcome' (how
-- things are going) and 'session' (how the session was). Samordna ships
-- neutral defaults, not the licensed ORS/SRS texts.
CREATE TABLE feedback_items (
    id              TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    scale           TEXT NOT NULL CHECK (scale IN ('outcome', 'session')),
    label           TEXT NOT NULL,
    position        INTEGER NOT NULL,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX feedback_items_municipality ON feedback_items (municipality_id, scale, position);

-- One session of a follow-up where the person gave their ratings.
CREATE TABLE feedback_sessions (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases(id),
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    service_id      TEXT REFERENCES services(id),
    session_date    TEXT NOT NULL,
    respondent      TEXT NOT NULL CHECK (respondent IN ('person', 'child', 'parent', 'family')),
    recorded_by     TEXT NOT NULL REFERENCES employees(id),
    recorded_at     TIMESTAMP NOT NULL
);
CREATE INDEX feedback_sessions_case ON feedback_sessions (case_id, session_date);
CREATE INDEX feedback_sessions_municipality ON feedback_sessions (municipality_id, session_date);

-- The ratings of a session, 0-10, one per item.
CREATE TABLE feedback_ratings (
    session_id TEXT NOT NULL REFERENCES feedback_sessions(id),
    item_id    TEXT NOT NULL REFERENCES feedback_items(id),
    value      INTEGER NOT NULL CHECK (value BETWEEN 0 AND 10),
    PRIMARY KEY (session_id, item_id)
);

-- +goose Down
DROP TABLE feedback_ratings;
DROP TABLE feedback_sessions;
DROP TABLE feedback_items;
