-- +goose Up
-- The case list of the coordinating unit and child welfare
-- (store.ListReadableCases with access.ReadableCasesWhere) walks the
-- municipality's cases newest first and stops after one page, instead of
-- collecting and sorting every applied or reported case of the municipality
-- (docs/PERFORMANCE.md, "Case list (coordinating unit)"). The probes for an
-- application or a report use the existing applications_case and
-- child_welfare_reports_case indexes.
CREATE INDEX cases_municipality_updated ON cases (municipality_id, updated_at, id);

-- +goose Down
DROP INDEX cases_municipality_updated;
