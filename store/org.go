package store

import (
	"database/sql"
	"strings"
	"time"

	"github.com/samordna/samordna"
)

// This file persists the municipality's organisation: services (tjenester)
// with their leaders and members, and the standing cross-service teams (TST,
// OST, ressursgruppe) with their fixed members and submitting services.

// byName returns an ORDER BY expression sorting column by its bytes (code
// points), the same on both databases whatever PostgreSQL's locale is, so
// that a LIMIT picks the same rows on SQLite and PostgreSQL. Norwegian
// alphabetical order (æ, ø, å last) is applied in Go where text is shown.
func byName(tx *Tx, column string) string {
	if tx.Dialect() == Postgres {
		return column + ` COLLATE "C"`
	}
	return column
}

// nullString stores "" as SQL NULL (optional references and dates).
func nullString(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}

// CreateService inserts a service with its leaders (s.LeaderIDs, may be
// empty). An empty s.ID is filled with a new id. The leaders are not made
// members: call AddServiceMember for that.
func CreateService(tx *Tx, s *samordna.Service, now time.Time) error {
	if s.ID == "" {
		s.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO services (id, municipality_id, name, kind, district_id,
		external_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		s.ID, s.MunicipalityID, s.Name, string(s.Kind), nullString(s.DistrictID), nullString(s.ExternalID), now)
	if err != nil {
		return wrap(err, "create service")
	}
	return SetServiceLeaders(tx, s.ID, s.LeaderIDs)
}

// UpdateService stores the service's name, kind and district. It returns
// samordna.ErrNotFound when the service does not exist. Leaders are set with
// SetServiceLeaders.
func UpdateService(tx *Tx, s *samordna.Service) error {
	return execOne(tx, "update service", `UPDATE services SET name = $1, kind = $2, district_id = $3 WHERE id = $4`,
		s.Name, string(s.Kind), nullString(s.DistrictID), s.ID)
}

// SetServiceLeader makes employeeID the only leader of the service; ""
// removes every leader. It returns samordna.ErrNotFound when the service
// does not exist.
func SetServiceLeader(tx *Tx, serviceID, employeeID string) error {
	if _, err := ServiceByID(tx, serviceID); err != nil {
		return err
	}
	var ids []string
	if employeeID != "" {
		ids = []string{employeeID}
	}
	return SetServiceLeaders(tx, serviceID, ids)
}

// SetServiceLeaders replaces the service's leaders with employeeIDs (empty:
// no leader). Repeated ids are stored once.
func SetServiceLeaders(tx *Tx, serviceID string, employeeIDs []string) error {
	if _, err := tx.Exec(`DELETE FROM service_leaders WHERE service_id = $1`, serviceID); err != nil {
		return wrap(err, "set service leaders")
	}
	for _, id := range employeeIDs {
		if _, err := tx.Exec(`INSERT INTO service_leaders (service_id, employee_id) VALUES ($1, $2)
			ON CONFLICT DO NOTHING`, serviceID, id); err != nil {
			return wrap(err, "set service leaders")
		}
	}
	return nil
}

// AddServiceMember makes the employee a member of the service (idempotent).
func AddServiceMember(tx *Tx, serviceID, employeeID string) error {
	_, err := tx.Exec(`INSERT INTO service_members (service_id, employee_id) VALUES ($1, $2)
		ON CONFLICT DO NOTHING`, serviceID, employeeID)
	return wrap(err, "add service member")
}

// serviceColumns selects a service from the table aliased s, its leaders'
// ids as one comma-separated, ordered text (ids never contain commas).
func serviceColumns(tx *Tx) string {
	return `s.id, s.municipality_id, s.name, s.kind, ` + serviceLeaders(tx) + `,
	COALESCE(s.district_id, ''), COALESCE(s.external_id, '')`
}

// serviceLeaders is the column of service s's leaders' ids (ordered,
// comma-separated; "" for none).
func serviceLeaders(tx *Tx) string {
	return idList(tx, "employee_id", "service_leaders", "service_id = s.id")
}

// scanService reads the columns of serviceColumns.
func scanService(row interface{ Scan(...any) error }) (*samordna.Service, error) {
	var s samordna.Service
	var leaders string
	err := row.Scan(&s.ID, &s.MunicipalityID, &s.Name, &s.Kind, &leaders, &s.DistrictID, &s.ExternalID)
	if leaders != "" {
		s.LeaderIDs = strings.Split(leaders, ",")
	}
	return &s, err
}

// ServiceByID returns the service or samordna.ErrNotFound.
func ServiceByID(tx *Tx, id string) (*samordna.Service, error) {
	s, err := scanService(tx.QueryRow(`SELECT `+serviceColumns(tx)+` FROM services s WHERE s.id = $1`, id))
	if err != nil {
		return nil, wrap(err, "service")
	}
	return s, nil
}

// ListServices returns every service ordered by name (byte order; see byName).
func ListServices(tx *Tx) ([]*samordna.Service, error) {
	return queryServices(tx, "list services", "TRUE")
}

// ServicesOfMunicipality returns the municipality's services ordered by
// name, as ListServices.
func ServicesOfMunicipality(tx *Tx, municipalityID string) ([]*samordna.Service, error) {
	return queryServices(tx, "services of municipality", "s.municipality_id = $1", municipalityID)
}

// queryServices returns the services matching where, ordered by name.
func queryServices(tx *Tx, what, where string, args ...any) ([]*samordna.Service, error) {
	rows, err := tx.Query(`SELECT `+serviceColumns(tx)+` FROM services s WHERE `+where+`
		ORDER BY `+byName(tx, "s.name")+`, s.id`, args...)
	if err != nil {
		return nil, wrap(err, what)
	}
	defer rows.Close()
	var out []*samordna.Service
	for rows.Next() {
		s, err := scanService(rows)
		if err != nil {
			return nil, wrap(err, what)
		}
		out = append(out, s)
	}
	return out, wrap(rows.Err(), what)
}

// ServiceMemberIDs returns the ids of the service's members, ordered.
func ServiceMemberIDs(tx *Tx, serviceID string) ([]string, error) {
	return queryIDs(tx, "service members",
		`SELECT employee_id FROM service_members WHERE service_id = $1 ORDER BY employee_id`, serviceID)
}

// CreateTeam inserts a team with its fixed members (employee ids) and
// submitting services (service ids). An empty t.ID is filled with a new id.
// Duplicate ids in the lists are stored once.
func CreateTeam(tx *Tx, t *samordna.Team, now time.Time) error {
	if t.ID == "" {
		t.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO teams (id, municipality_id, name, kind, purpose, district_id, meeting_rule,
		leader_employee_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		t.ID, t.MunicipalityID, t.Name, string(t.Kind), t.Purpose, nullString(t.DistrictID), t.MeetingRule,
		nullString(t.LeaderID), now)
	if err != nil {
		return wrap(err, "create team")
	}
	return insertTeamLists(tx, t)
}

// insertTeamLists stores the team's members and submitting services.
func insertTeamLists(tx *Tx, t *samordna.Team) error {
	for _, id := range t.MemberIDs {
		if _, err := tx.Exec(`INSERT INTO team_members (team_id, employee_id) VALUES ($1, $2)
			ON CONFLICT DO NOTHING`, t.ID, id); err != nil {
			return wrap(err, "add team member")
		}
	}
	for _, id := range t.SubmitterIDs {
		if _, err := tx.Exec(`INSERT INTO team_submitters (team_id, service_id) VALUES ($1, $2)
			ON CONFLICT DO NOTHING`, t.ID, id); err != nil {
			return wrap(err, "add team submitter")
		}
	}
	return nil
}

// teamColumns selects a team with its member and submitter ids (each list
// ordered, comma-separated, in one column), so that a list of teams is one
// statement however many teams it holds (issue 17's statement budgets).
func teamColumns(tx *Tx) string {
	return `t.id, t.municipality_id, t.name, t.kind, t.purpose, COALESCE(t.district_id, ''),
	t.meeting_rule, COALESCE(t.leader_employee_id, ''), ` +
		idList(tx, "employee_id", "team_members", "team_id = t.id") + `, ` +
		idList(tx, "service_id", "team_submitters", "team_id = t.id")
}

// idList is a column of the ordered, comma-separated values of column in
// table's rows matching where ("" for none). Ids hold no commas.
func idList(tx *Tx, column, table, where string) string {
	if tx.Dialect() == Postgres {
		return `COALESCE((SELECT string_agg(` + column + `, ',' ORDER BY ` + column + `) FROM ` + table +
			` WHERE ` + where + `), '')`
	}
	return `COALESCE((SELECT group_concat(` + column + `, ',') FROM (SELECT ` + column + ` FROM ` + table +
		` WHERE ` + where + ` ORDER BY ` + column + `)), '')`
}

// splitIDs splits an idList column; "" gives nil.
func splitIDs(list string) []string {
	if list == "" {
		return nil
	}
	return strings.Split(list, ",")
}

// scanTeam reads the columns of teamColumns.
func scanTeam(row interface{ Scan(...any) error }) (*samordna.Team, error) {
	var t samordna.Team
	var members, submitters string
	err := row.Scan(&t.ID, &t.MunicipalityID, &t.Name, &t.Kind, &t.Purpose, &t.DistrictID, &t.MeetingRule,
		&t.LeaderID, &members, &submitters)
	t.MemberIDs, t.SubmitterIDs = splitIDs(members), splitIDs(submitters)
	return &t, err
}

// TeamByID returns the team with its members and submitters, or
// samordna.ErrNotFound.
func TeamByID(tx *Tx, id string) (*samordna.Team, error) {
	t, err := scanTeam(tx.QueryRow(`SELECT `+teamColumns(tx)+` FROM teams t WHERE t.id = $1`, id))
	if err != nil {
		return nil, wrap(err, "team")
	}
	return t, nil
}

// ListTeams returns every team ordered by name, with members and submitters.
func ListTeams(tx *Tx) ([]*samordna.Team, error) {
	return queryTeams(tx, "list teams", `SELECT `+teamColumns(tx)+` FROM teams t ORDER BY `+byName(tx, "t.name")+`, t.id`)
}

// TeamsOfMunicipality returns the municipality's teams ordered by name,
// with members and submitters.
func TeamsOfMunicipality(tx *Tx, municipalityID string) ([]*samordna.Team, error) {
	return queryTeams(tx, "teams of municipality", `SELECT `+teamColumns(tx)+` FROM teams t
		WHERE t.municipality_id = $1 ORDER BY `+byName(tx, "t.name")+`, t.id`, municipalityID)
}

// TeamsOfEmployee returns the teams the employee is a fixed member of,
// ordered by name, with members and submitters. Teams the employee's service
// may submit cases to are not included.
func TeamsOfEmployee(tx *Tx, employeeID string) ([]*samordna.Team, error) {
	return queryTeams(tx, "teams of employee", `SELECT `+teamColumns(tx)+` FROM teams t
		JOIN team_members m ON m.team_id = t.id
		WHERE m.employee_id = $1 ORDER BY `+byName(tx, "t.name")+`, t.id`, employeeID)
}

// queryTeams runs a query selecting teamColumns.
func queryTeams(tx *Tx, what, query string, args ...any) ([]*samordna.Team, error) {
	rows, err := tx.Query(query, args...)
	if err != nil {
		return nil, wrap(err, what)
	}
	defer rows.Close()
	var out []*samordna.Team
	for rows.Next() {
		t, err := scanTeam(rows)
		if err != nil {
			return nil, wrap(err, what)
		}
		out = append(out, t)
	}
	return out, wrap(rows.Err(), what)
}

// queryIDs returns the single text column of every row of the query.
func queryIDs(tx *Tx, what, query string, args ...any) ([]string, error) {
	rows, err := tx.Query(query, args...)
	if err != nil {
		return nil, wrap(err, what)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, wrap(err, what)
		}
		out = append(out, id)
	}
	return out, wrap(rows.Err(), what)
}

// CreateDistrict inserts a district. An empty d.ID is filled with a new id.
// A district of the same name in the municipality gives district_exists
// (KindConflict).
func CreateDistrict(tx *Tx, d *samordna.District, now time.Time) error {
	if d.ID == "" {
		d.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO districts (id, municipality_id, name, created_at) VALUES ($1, $2, $3, $4)`,
		d.ID, d.MunicipalityID, d.Name, now)
	if isUniqueViolation(err) {
		return samordna.Errorf(samordna.KindConflict, "district_exists", "a district of that name exists")
	}
	return wrap(err, "create district")
}

// DistrictByID returns the district or samordna.ErrNotFound.
func DistrictByID(tx *Tx, id string) (*samordna.District, error) {
	var d samordna.District
	err := tx.QueryRow(`SELECT id, municipality_id, name FROM districts WHERE id = $1`, id).
		Scan(&d.ID, &d.MunicipalityID, &d.Name)
	if err != nil {
		return nil, wrap(err, "district")
	}
	return &d, nil
}

// ListDistricts returns the municipality's districts ordered by name (byte
// order; see byName).
func ListDistricts(tx *Tx, municipalityID string) ([]*samordna.District, error) {
	rows, err := tx.Query(`SELECT id, municipality_id, name FROM districts WHERE municipality_id = $1
		ORDER BY `+byName(tx, "name")+`, id`, municipalityID)
	if err != nil {
		return nil, wrap(err, "list districts")
	}
	defer rows.Close()
	var out []*samordna.District
	for rows.Next() {
		var d samordna.District
		if err := rows.Scan(&d.ID, &d.MunicipalityID, &d.Name); err != nil {
			return nil, wrap(err, "list districts")
		}
		out = append(out, &d)
	}
	return out, wrap(rows.Err(), "list districts")
}

// RenameDistrict sets the district's name. It returns samordna.ErrNotFound
// when the district does not exist and district_exists (KindConflict) when
// another district of the municipality has that name.
func RenameDistrict(tx *Tx, id, name string) error {
	err := execOne(tx, "rename district", `UPDATE districts SET name = $1 WHERE id = $2`, name, id)
	if isUniqueViolation(err) {
		return samordna.Errorf(samordna.KindConflict, "district_exists", "a district of that name exists")
	}
	return err
}

// UpdateTeam stores the team's name, kind, purpose, district, meeting rule
// and leader, and replaces its members and submitting services with
// t.MemberIDs and t.SubmitterIDs. It returns samordna.ErrNotFound when the
// team does not exist.
func UpdateTeam(tx *Tx, t *samordna.Team) error {
	if err := execOne(tx, "update team", `UPDATE teams SET name = $1, kind = $2, purpose = $3, district_id = $4,
		meeting_rule = $5, leader_employee_id = $6 WHERE id = $7`, t.Name, string(t.Kind), t.Purpose,
		nullString(t.DistrictID), t.MeetingRule, nullString(t.LeaderID), t.ID); err != nil {
		return err
	}
	if _, err := tx.Exec(`DELETE FROM team_members WHERE team_id = $1`, t.ID); err != nil {
		return wrap(err, "update team members")
	}
	if _, err := tx.Exec(`DELETE FROM team_submitters WHERE team_id = $1`, t.ID); err != nil {
		return wrap(err, "update team submitters")
	}
	return insertTeamLists(tx, t)
}
