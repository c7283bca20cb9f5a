-- +goose Up
-- Who took part in a consultation besides the discoverer (seed 000: "The
-- discoverer should not be alone in that conversation"); empty when
-- nobody was named, which the routine page warns about.
ALTER TABLE consultations ADD COLUMN participants TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE consultations DROP COLUMN participants;
