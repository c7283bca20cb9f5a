-- +goose Up
-- Teams that meet, the gaps of issue 15: a meeting moved or cancelled in
-- the browser keeps why (change_reason, shown to the members and in the
-- feed's description; it names no person), each meeting may have its own
-- chair (seed 002 §4.2 "møteleder", chosen by the team's leader), and a
-- matter may be brought on behalf of the parents (seed 002 §4.2: the
-- parents may bring a matter; an employee submits it with their consent).
ALTER TABLE team_meetings ADD COLUMN change_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE team_meetings ADD COLUMN chair_id TEXT REFERENCES employees(id);
ALTER TABLE team_matters ADD COLUMN for_parents BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE team_matters DROP COLUMN for_parents;
ALTER TABLE team_meetings DROP COLUMN chair_id;
ALTER TABLE team_meetings DROP COLUMN change_reason;
