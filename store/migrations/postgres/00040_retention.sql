-- +goose Up
-- Retention (issue 14, point 11). The municipality's administrator sets how
-- long a closed case is kept (retention_months; NULL means not set, and
-- then nothing is ever deleted). Past it, the sweep deletes the case's
-- content and anonymises its person; purged_cases records which cases it
-- has done (and is how several servers claim a case once). The audit trail
-- is never touched: its rows hold only ids (person_id, case_id, object_id)
-- and the employees who acted, so once the person's name and number are
-- gone the rows are pseudonymous and the hash chain still verifies.
ALTER TABLE municipalities ADD COLUMN retention_months INTEGER;
ALTER TABLE municipalities ADD COLUMN retention_set_by TEXT;
ALTER TABLE municipalities ADD COLUMN retention_set_at TIMESTAMPTZ;

CREATE TABLE purged_cases (
    case_id          TEXT PRIMARY KEY REFERENCES cases(id),
    purged_at        TIMESTAMPTZ NOT NULL,
    retention_months INTEGER NOT NULL
);

-- A person whose name and number were removed because no kept case needs
-- them any longer.
ALTER TABLE persons ADD COLUMN anonymised_at TIMESTAMPTZ;

-- The sweep's query: a municipality's closed cases, oldest closing first.
CREATE INDEX cases_closed ON cases (municipality_id, closed_at) WHERE status = 'closed';

-- +goose Down
DROP INDEX cases_closed;
ALTER TABLE persons DROP COLUMN anonymised_at;
DROP TABLE purged_cases;
ALTER TABLE municipalities DROP COLUMN retention_set_at;
ALTER TABLE municipalities DROP COLUMN retention_set_by;
ALTER TABLE municipalities DROP COLUMN retention_months;
