-- +goose Up
-- Closing and reopening a case (issue 14, point 11). Each row is one
-- closing (kind 'close', with its reason code) or reopening (kind
-- 'reopen'); the case's own status and closed_at say where it stands now.
-- The note is free text about the person and is emptied by the retention
-- purge.
CREATE TABLE case_closings (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES cases(id),
    kind       TEXT NOT NULL CHECK (kind IN ('close', 'reopen')),
    reason     TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    by_id      TEXT NOT NULL REFERENCES employees(id),
    at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_closings_case ON case_closings (case_id, at);

-- +goose Down
DROP TABLE case_closings;
