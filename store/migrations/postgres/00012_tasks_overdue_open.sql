-- +goose Up
-- The deadline sweep asks for the open, unescalated tasks past their
-- overdue time, oldest first, 100 at a time (store.OverdueUnescalatedTaskIDs).
-- With tasks_overdue (status, escalated_at, overdue_after) PostgreSQL
-- estimated the three conditions independently, expected hundreds of
-- thousands of rows at national scale and sorted them (0.65 s a sweep,
-- every minute). This partial index holds only open, unescalated tasks in
-- the order asked for, so a sweep reads the first rows of it and stops. It
-- replaces tasks_overdue, which served only the sweep.
DROP INDEX tasks_overdue;
CREATE INDEX tasks_overdue_open ON tasks (overdue_after, id) WHERE status = 'open' AND escalated_at IS NULL;

-- +goose Down
DROP INDEX tasks_overdue_open;
CREATE INDEX tasks_overdue ON tasks (status, escalated_at, overdue_after);
