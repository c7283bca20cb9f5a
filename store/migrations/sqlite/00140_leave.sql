-- +goose Up
-- People leave (issue 12): the successor's notification says what was
-- handed over (counts, as JSON, no personal data), and the municipality's
-- directory provisions employees over SCIM 2.0 with a bearer secret of which
-- only the hash is kept.
ALTER TABLE notifications ADD COLUMN detail TEXT NOT NULL DEFAULT '';

CREATE TABLE scim_tokens (
    id              TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    token_hash      TEXT NOT NULL UNIQUE,
    created_at      TIMESTAMP NOT NULL,
    revoked_at      TIMESTAMP
);

-- +goose Down
DROP TABLE scim_tokens;
ALTER TABLE notifications DROP COLUMN detail;
