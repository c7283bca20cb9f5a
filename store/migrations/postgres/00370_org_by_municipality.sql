-- +goose Up
-- The municipality's teams and services are read by municipality
-- (store.TeamsOfMunicipality, store.ServicesOfMunicipality: the case view,
-- the routine view, the team list, the organisation page). At national
-- scale there are about 1,500 teams and many more services in one
-- database; without these indexes every such read scanned them all.
CREATE INDEX teams_municipality ON teams (municipality_id, name);
CREATE INDEX services_municipality ON services (municipality_id, name);

-- +goose Down
DROP INDEX services_municipality;
DROP INDEX teams_municipality;
