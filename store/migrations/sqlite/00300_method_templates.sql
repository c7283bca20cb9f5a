-- +goose Up
-- A catalogue method may come with a printable template Samordna ships
-- (seed 001, individual level: "Utarbeide en felles mal for
-- oppstartsamtaler og foreldresamtaler i barnehagene, som inkluderer
-- psykisk helse og rus"): the template's key, '' for none.
ALTER TABLE methods ADD COLUMN template TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE methods DROP COLUMN template;
