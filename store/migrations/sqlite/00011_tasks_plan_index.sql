-- +goose Up
-- A plan's measures are tasks; the plan view and finalising a meeting's
-- minutes ask for the tasks of one plan (store.PlanTaskStatuses). Without
-- this index that read every task of the country (1.6 s at national
-- scale). Partial: only tasks made from a plan's measures have a plan.
CREATE INDEX tasks_plan ON tasks (plan_id) WHERE plan_id IS NOT NULL;

-- +goose Down
DROP INDEX tasks_plan;
