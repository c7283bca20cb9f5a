-- +goose Up
-- Whoever a routine makes responsible can do the step (issue 11, rule 5).
-- A coordinator role taken because a routine's step gives the case's
-- responsible service the task of setting up the responsibility group
-- (Ulstein row 6: barnevernet) records that basis: "routine:<routine id>@<version>/<step id>";
-- empty for an appointment by the coordinating unit's decision.
ALTER TABLE case_coordinators ADD COLUMN basis TEXT NOT NULL DEFAULT '';

-- A deviation (avvik) registered by hand (Ulstein row 9, "manglende
-- oppfølging"): what was not followed up, and who registered it. The
-- sweep's deviations have neither.
ALTER TABLE deviations ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE deviations ADD COLUMN reported_by TEXT REFERENCES employees(id);

-- The assessment of a drug test (Ulstein row 6, "Vurdere rustesting") on
-- the step that asks for it: whether a test is to be taken, and why.
CREATE TABLE drug_test_assessments (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    task_id     TEXT NOT NULL REFERENCES tasks(id),
    decision    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    assessed_by TEXT NOT NULL REFERENCES employees(id),
    assessed_at TIMESTAMP NOT NULL
);
CREATE INDEX drug_test_assessments_case ON drug_test_assessments (case_id, assessed_at);

-- +goose Down
DROP TABLE drug_test_assessments;
ALTER TABLE deviations DROP COLUMN reported_by;
ALTER TABLE deviations DROP COLUMN description;
ALTER TABLE case_coordinators DROP COLUMN basis;
