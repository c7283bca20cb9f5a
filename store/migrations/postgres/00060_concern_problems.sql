-- +goose Up
-- What a concern records the pregnant woman or family struggles with
-- (pathway.Problem: substance_use, mental_illness), comma-separated. The
-- health personnel's duty to inform applies to substance use only
-- (seed 000; helsepersonelloven § 32). Empty: not stated.
ALTER TABLE concerns ADD COLUMN problems TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE concerns DROP COLUMN problems;
