-- +goose Up
-- E-mail that keeps confidentiality (issue 12 point 7). Each employee
-- chooses immediate mail or a daily digest; acute items always go at once.
-- The outbox (00004) gets a lease (claim_token, claimed_until) so that one
-- row is sent by one deliverer across restarts and several servers, a
-- back-off (next_attempt_at), and its two other ends besides sent_at:
-- skipped_at (no address to send to) and failed_at (gave up after retries).
CREATE TABLE mail_preferences (
    employee_id TEXT PRIMARY KEY REFERENCES employees(id),
    mode        TEXT NOT NULL CHECK (mode IN ('immediate', 'digest')),
    updated_at  TIMESTAMPTZ NOT NULL
);

ALTER TABLE outbox ADD COLUMN claim_token TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until TIMESTAMPTZ;
ALTER TABLE outbox ADD COLUMN next_attempt_at TIMESTAMPTZ;
ALTER TABLE outbox ADD COLUMN skipped_at TIMESTAMPTZ;
ALTER TABLE outbox ADD COLUMN failed_at TIMESTAMPTZ;
ALTER TABLE outbox ADD COLUMN digest INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_due ON outbox (created_at) WHERE sent_at IS NULL AND skipped_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_claim ON outbox (claim_token);

-- Messages written before mail was sent are not sent now: nobody expects
-- a pile of old notices the day mail is switched on.
UPDATE outbox SET skipped_at = created_at WHERE sent_at IS NULL;

-- +goose Down
DROP INDEX outbox_claim;
DROP INDEX outbox_due;
ALTER TABLE outbox DROP COLUMN digest;
ALTER TABLE outbox DROP COLUMN failed_at;
ALTER TABLE outbox DROP COLUMN skipped_at;
ALTER TABLE outbox DROP COLUMN next_attempt_at;
ALTER TABLE outbox DROP COLUMN claimed_until;
ALTER TABLE outbox DROP COLUMN claim_token;
DROP TABLE mail_preferences;
