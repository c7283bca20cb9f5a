-- +goose Up
-- Sign-in throttling (issue 14.3). login_failures was counted before the
-- password check and written after it, so parallel guesses all passed the
-- limit. Each row of login_throttle is one counter (a user, an address or a
-- device cookie; the key is a hash, so no typed username is stored) that an
-- attempt reserves with one conditional upsert before the password is
-- checked: the database, not the process, decides who may try, so the limit
-- holds with several servers on one PostgreSQL. A window starts with its
-- first attempt and lasts app.LoginWindow.
CREATE TABLE login_throttle (
    bucket       TEXT PRIMARY KEY,
    window_start TIMESTAMP NOT NULL,
    attempts     INTEGER NOT NULL
);
CREATE INDEX login_throttle_window_start ON login_throttle (window_start);
DROP TABLE login_failures;

-- +goose Down
CREATE TABLE login_failures (
    id       TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    client   TEXT NOT NULL,
    at       TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_username_at ON login_failures (username, at);
CREATE INDEX login_failures_client_at ON login_failures (client, at);
DROP TABLE login_throttle;
