-- +goose Up
-- The organisation a real municipality sets up itself (issue 12): districts
-- (for example Nord, Sentrum, Sør) that schools and kindergartens belong to,
-- the district and meeting rule of a team, a team's leader, and the external
-- ids a CSV import or the municipality's directory (SCIM) uses to recognise a
-- service or an employee again instead of making a duplicate.
CREATE TABLE districts (
    id              TEXT PRIMARY KEY,
    municipality_id TEXT NOT NULL REFERENCES municipalities(id),
    name            TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX districts_name ON districts (municipality_id, name);

ALTER TABLE services ADD COLUMN district_id TEXT REFERENCES districts(id);
ALTER TABLE services ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX services_external ON services (municipality_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX services_district ON services (district_id);

ALTER TABLE employees ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX employees_external ON employees (municipality_id, external_id) WHERE external_id IS NOT NULL;

ALTER TABLE teams ADD COLUMN district_id TEXT REFERENCES districts(id);
ALTER TABLE teams ADD COLUMN meeting_rule TEXT NOT NULL DEFAULT '';
ALTER TABLE teams ADD COLUMN leader_employee_id TEXT REFERENCES employees(id);

-- +goose Down
ALTER TABLE teams DROP COLUMN leader_employee_id;
ALTER TABLE teams DROP COLUMN meeting_rule;
ALTER TABLE teams DROP COLUMN district_id;
DROP INDEX employees_external;
ALTER TABLE employees DROP COLUMN external_id;
DROP INDEX services_district;
DROP INDEX services_external;
ALTER TABLE services DROP COLUMN external_id;
ALTER TABLE services DROP COLUMN district_id;
DROP TABLE districts;
