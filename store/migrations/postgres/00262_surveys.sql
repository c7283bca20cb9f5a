-- +goose Up
-- User surveys (brukerundersøkelser, seed 001 service level). The
-- municipality writes a survey of statements answered on a 1-5 scale;
-- answer links are single-use and need no sign-in. An answer keeps no
-- trace of its link: survey_links knows only whether it was used, and a
-- response knows only its survey and the service the link was made for
-- (its group), never a time. Results show for groups of five or more.
CREATE TABLE surveys (
    id              TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    title           TEXT NOT NULL,
    intro           TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    created_by      TEXT NOT NULL REFERENCES employees(id),
    created_at      TIMESTAMPTZ NOT NULL,
    closed_at       TIMESTAMPTZ
);
CREATE INDEX surveys_municipality ON surveys (municipality_id, created_at);

CREATE TABLE survey_questions (
    survey_id TEXT NOT NULL REFERENCES surveys(id),
    position  INTEGER NOT NULL,
    text      TEXT NOT NULL,
    PRIMARY KEY (survey_id, position)
);

-- A single-use answer link: only the SHA-256 of its token is kept.
CREATE TABLE survey_links (
    token_hash TEXT PRIMARY KEY,
    survey_id  TEXT NOT NULL REFERENCES surveys(id),
    service_id TEXT REFERENCES services(id),
    created_by TEXT NOT NULL REFERENCES employees(id),
    created_at TIMESTAMPTZ NOT NULL,
    used       BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX survey_links_survey ON survey_links (survey_id);

CREATE TABLE survey_responses (
    id         TEXT PRIMARY KEY,
    survey_id  TEXT NOT NULL REFERENCES surveys(id),
    service_id TEXT REFERENCES services(id)
);
CREATE INDEX survey_responses_survey ON survey_responses (survey_id);

-- One answer (1-5) per question; a question left out has no row.
CREATE TABLE survey_answers (
    response_id TEXT NOT NULL REFERENCES survey_responses(id),
    position    INTEGER NOT NULL,
    value       INTEGER NOT NULL CHECK (value BETWEEN 1 AND 5),
    PRIMARY KEY (response_id, position)
);

-- +goose Down
DROP TABLE survey_answers;
DROP TABLE survey_responses;
DROP TABLE survey_links;
DROP TABLE survey_questions;
DROP TABLE surveys;
