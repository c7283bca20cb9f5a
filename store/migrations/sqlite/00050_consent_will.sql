-- +goose Up
-- The person's will and the decision's grounds (seed 004 Koordinator:
-- "Oppnevningen gjøres etter ønske eller søknad fra brukeren/foresatte/
-- pårørende"; seed 000: apply when consent to follow-up is given).
-- An application records the wish itself (who wished it, in what relation,
-- and whether the wish includes a responsibility group) and what carries the
-- person's will: the consent covering register_with_coordinating_unit, or
-- the person's own signed application (an uploaded form of the case).
ALTER TABLE applications ADD COLUMN wished_by TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN wished_by_relation TEXT NOT NULL DEFAULT '';
ALTER TABLE applications ADD COLUMN wants_group BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE applications ADD COLUMN consent_id TEXT;
ALTER TABLE applications ADD COLUMN signed_form_id TEXT;
-- A child coordinator (helse- og omsorgstjenesteloven § 7-2a) is granted on
-- a recorded ground: serious illness, injury or disability, or expected.
ALTER TABLE applications ADD COLUMN child_coordinator_ground TEXT NOT NULL DEFAULT '';
-- A consent for sharing with a named team (seed 002 §5.2: one common consent
-- form) names the team.
ALTER TABLE consents ADD COLUMN team_id TEXT;
ALTER TABLE consent_versions ADD COLUMN team_id TEXT;

-- +goose Down
ALTER TABLE consent_versions DROP COLUMN team_id;
ALTER TABLE consents DROP COLUMN team_id;
ALTER TABLE applications DROP COLUMN child_coordinator_ground;
ALTER TABLE applications DROP COLUMN signed_form_id;
ALTER TABLE applications DROP COLUMN consent_id;
ALTER TABLE applications DROP COLUMN wants_group;
ALTER TABLE applications DROP COLUMN wished_by_relation;
ALTER TABLE applications DROP COLUMN wished_by;
