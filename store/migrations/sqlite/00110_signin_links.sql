-- +goose Up
-- One-time sign-in links (issue 12): "samordna init" and "samordna user
-- link" print a link an employee opens once to sign in without a password,
-- for the municipality's first administrator and for new staff. Only the
-- SHA-256 of the link's random secret is stored, so a copy of the database
-- cannot be used to sign in. A link is used at most once (used_at) and not
-- after expires_at.
CREATE TABLE signin_links (
    id          TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL REFERENCES employees(id),
    secret_hash TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP
);
CREATE INDEX signin_links_employee ON signin_links (employee_id);

-- +goose Down
DROP TABLE signin_links;
