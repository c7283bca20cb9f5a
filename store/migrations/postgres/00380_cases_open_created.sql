-- +goose Up
-- The sweep asks about children as next of kin in windows of the open
-- cases in the order they were created (store.UnaskedAdultCaseIDs). This
-- index finds a window's end, and which of its cases an adult service
-- registered, without reading the cases themselves.
CREATE INDEX cases_open_created ON cases (created_at, id, registered_service_id) WHERE status = 'open';

-- +goose Down
DROP INDEX cases_open_created;
