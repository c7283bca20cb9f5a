-- +goose Up
-- "Mine oppgaver" (store.ListTasks) reads a page in phases: open tasks by
-- due date, then open tasks without one, then done and cancelled ones, and
-- continues after the last task shown (keyset, not OFFSET). Each branch of
-- the list (by employee, team, service or role) walks its index in the
-- page's order from the cursor and stops after one page, so a page costs
-- one page of index entries, not all the assignee's tasks of three years.
-- The indexes gain the order's columns (due_at, id); the old ones were
-- prefixes of these and are replaced.
DROP INDEX tasks_employee;
CREATE INDEX tasks_employee ON tasks (assignee_employee_id, status, due_at, id);
DROP INDEX tasks_team;
CREATE INDEX tasks_team ON tasks (assignee_team_id, status, due_at, id);
DROP INDEX tasks_service;
CREATE INDEX tasks_service ON tasks (assignee_service_id, status, due_at, id) WHERE assignee_service_id IS NOT NULL;
DROP INDEX tasks_role;
CREATE INDEX tasks_role ON tasks (municipality_id, assignee_role, status, due_at, id);

-- +goose Down
DROP INDEX tasks_role;
CREATE INDEX tasks_role ON tasks (municipality_id, assignee_role, status);
DROP INDEX tasks_service;
CREATE INDEX tasks_service ON tasks (assignee_service_id, status) WHERE assignee_service_id IS NOT NULL;
DROP INDEX tasks_team;
CREATE INDEX tasks_team ON tasks (assignee_team_id, status);
DROP INDEX tasks_employee;
CREATE INDEX tasks_employee ON tasks (assignee_employee_id, status, due_at);
