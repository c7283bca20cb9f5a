-- +goose Up
-- "Mine oppgaver" (store.ListTasks) finds a subject's tasks branch by
-- branch, each from an index on the assignee: tasks_employee, tasks_team,
-- tasks_case (the case's group), tasks_role, and this one for the tasks of
-- a service's members, so no list scans the municipality's tasks.
-- It is partial: only tasks assigned to a service (few) are in it, so it
-- stays small and its statistics describe only them. A full index would
-- hold every other task under one NULL key, and after ANALYZE SQLite would
-- rate a lookup in it as dear as a scan of all tasks.
CREATE INDEX tasks_service ON tasks (assignee_service_id, status) WHERE assignee_service_id IS NOT NULL;

-- +goose Down
DROP INDEX tasks_service;
