-- +goose Up
-- The deadline sweep reminds a new responsibility group to make an action
-- plan (seed 003 row 7). It looked at every open group of the country on
-- every sweep; now it looks at each group once: action_plan_checked_at
-- records when it did, and the partial index holds only the groups not yet
-- looked at, so a sweep reads only those (usually none).
ALTER TABLE responsibility_groups ADD COLUMN action_plan_checked_at TIMESTAMPTZ;
CREATE INDEX responsibility_groups_unchecked ON responsibility_groups (created_at, id)
    WHERE action_plan_checked_at IS NULL;

-- +goose Down
DROP INDEX responsibility_groups_unchecked;
ALTER TABLE responsibility_groups DROP COLUMN action_plan_checked_at;
