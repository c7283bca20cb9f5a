-- +goose Up
-- The audit chain becomes keyed (HMAC-SHA256 under a key kept outside the
-- database; store/auditkey.go). Rows written before this migration keep
-- their unkeyed SHA-256 hashes and are verified as such: keyed_from is the
-- first row of the keyed chain, set here to the row after the current head
-- (1 on a new database). The first keyed row's HMAC covers the last unkeyed
-- row's hash, so the older part cannot be rewritten either without the key;
-- signed checkpoints record keyed_from, so moving it is caught too.
-- key_id names the key the chain is written with (set by the first keyed
-- row), so a server started with another key is refused.
ALTER TABLE audit_head ADD COLUMN keyed_from BIGINT NOT NULL DEFAULT 1;
ALTER TABLE audit_head ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
UPDATE audit_head SET keyed_from = seq + 1;

-- +goose Down
ALTER TABLE audit_head DROP COLUMN key_id;
ALTER TABLE audit_head DROP COLUMN keyed_from;
