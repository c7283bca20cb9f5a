-- +goose Up
-- Seed 001 (Sola): training held (felles opplæring, fagsamling, etisk
-- refleksjon) is recorded with how many took part when the owner marks the
-- yearly cycle's task done; NULL for other activities and older tasks.
ALTER TABLE annual_activity_tasks ADD COLUMN participants INTEGER;

-- +goose Down
ALTER TABLE annual_activity_tasks DROP COLUMN participants;
