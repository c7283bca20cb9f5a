-- +goose Up
-- The municipality's catalogue of recognised methods (seed 001 individual
-- level, structure: "anerkjente metoder og prosedyrer for screening" and
-- "for oppfølging av barn i målgruppa"): screening tools and follow-up
-- measures it has adopted. A plan's measure may name one (method_id in
-- plan_measures), so the leadership sees which are used.
CREATE TABLE methods (
    id              TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    kind            TEXT NOT NULL CHECK (kind IN ('screening', 'follow_up')),
    name            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL DEFAULT '',
    adopted_by      TEXT NOT NULL DEFAULT '',
    adopted_at      TIMESTAMPTZ NOT NULL,
    retired_at      TIMESTAMPTZ
);
CREATE INDEX methods_municipality ON methods (municipality_id, kind);

ALTER TABLE plan_measures ADD COLUMN method_id TEXT REFERENCES methods(id);

-- +goose Down
ALTER TABLE plan_measures DROP COLUMN method_id;
DROP TABLE methods;
