-- +goose Up
-- A service may have several leaders (issue 12): for example a rektor and an
-- assisterende rektor, or two co-leaders of a health station. The one
-- leader column of services moves into this table; every question "does
-- this employee lead the service" asks it.
CREATE TABLE service_leaders (
    service_id  TEXT NOT NULL REFERENCES services(id),
    employee_id TEXT NOT NULL REFERENCES employees(id),
    PRIMARY KEY (service_id, employee_id)
);
CREATE INDEX service_leaders_employee ON service_leaders (employee_id);
INSERT INTO service_leaders (service_id, employee_id)
    SELECT id, leader_employee_id FROM services WHERE leader_employee_id IS NOT NULL;
ALTER TABLE services DROP COLUMN leader_employee_id;

-- +goose Down
ALTER TABLE services ADD COLUMN leader_employee_id TEXT REFERENCES employees(id);
UPDATE services SET leader_employee_id =
    (SELECT MIN(employee_id) FROM service_leaders WHERE service_leaders.service_id = services.id);
DROP TABLE service_leaders;
