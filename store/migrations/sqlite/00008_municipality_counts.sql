-- +goose Up
-- The coordinating unit's yearly counts, group list and caseloads read only
-- the municipality's own rows (docs/PERFORMANCE.md, "Yearly counts: scan the
-- whole country"): responsibility groups and coordinator assignments carry
-- their case's municipality, filled from cases here and set on every
-- insert, and each query is a range scan of an index that starts with the
-- municipality. A case never changes municipality, so the copy stays true.
-- Groups: by created_at (the counts take those created before the year's
-- end; the overview lists the newest first), closed_at makes the counts
-- index-only. Assignments: by ended_at, so the current ones (caseloads) and
-- those in force in a year (ended_at IS NULL OR ended_at >= the year's
-- start) are each one or two narrow ranges.
-- (SQLite cannot add NOT NULL to an existing column; PostgreSQL has it.)

ALTER TABLE responsibility_groups ADD COLUMN municipality_id TEXT REFERENCES municipalities(id);
UPDATE responsibility_groups SET municipality_id =
    (SELECT c.municipality_id FROM cases c WHERE c.id = responsibility_groups.case_id);
CREATE INDEX responsibility_groups_municipality ON responsibility_groups (municipality_id, created_at, closed_at);

ALTER TABLE case_coordinators ADD COLUMN municipality_id TEXT REFERENCES municipalities(id);
UPDATE case_coordinators SET municipality_id =
    (SELECT c.municipality_id FROM cases c WHERE c.id = case_coordinators.case_id);
CREATE INDEX case_coordinators_municipality ON case_coordinators (municipality_id, ended_at, appointed_at);

CREATE INDEX plans_municipality ON plans (municipality_id, kind, created_at);

-- The unit's overview lists the municipality's coordinators and caseloads.
CREATE INDEX employees_municipality ON employees (municipality_id);

-- +goose Down
DROP INDEX employees_municipality;
DROP INDEX plans_municipality;
DROP INDEX case_coordinators_municipality;
ALTER TABLE case_coordinators DROP COLUMN municipality_id;
DROP INDEX responsibility_groups_municipality;
ALTER TABLE responsibility_groups DROP COLUMN municipality_id;
