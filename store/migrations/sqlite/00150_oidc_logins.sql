-- +goose Up
-- Sign-in with OpenID Connect (issue 12): a sign-in under way is kept on the
-- server for ten minutes, found by the hash of a random value in a cookie of
-- the browser that started it, and used once. It holds the state, nonce and
-- PKCE verifier the provider's answer must match, and where to go afterwards.
CREATE TABLE oidc_logins (
    id_hash     TEXT PRIMARY KEY,
    state       TEXT NOT NULL,
    nonce       TEXT NOT NULL,
    verifier    TEXT NOT NULL,
    return_path TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);
CREATE INDEX oidc_logins_expires ON oidc_logins (expires_at);

-- The ID token a session was signed in with, sent back to the provider as
-- id_token_hint when signing out ('' for password sign-in).
ALTER TABLE sessions ADD COLUMN id_token TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sessions DROP COLUMN id_token;
DROP INDEX oidc_logins_expires;
DROP TABLE oidc_logins;
