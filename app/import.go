package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// This file is the bulk import of services and employees from CSV files
// (docs/IMPORT.md; the files are read by importcsv.go). PlanImport is the
// dry run: it says line by line what the file would create, change or
// refuse. ApplyImport makes the same plan and carries it out in one
// transaction, or, when any line is refused, writes nothing at all.
// A service or employee is recognised again by its external id (ekstern_id),
// so importing the file anew updates instead of duplicating; one that exists
// without an external id is recognised by its name (service) or username
// (employee) and gets the file's external id.
//
// Who may call: the administrator and the command line. Others are refused
// as if the page did not exist.

// ImportKind says what an import file holds.
type ImportKind string

// The kinds of import file.
const (
	ImportServices  ImportKind = "services"
	ImportEmployees ImportKind = "employees"
)

// What the plan does with a line.
const (
	ImportCreate    = "create"
	ImportUpdate    = "update"
	ImportUnchanged = "unchanged"
	ImportRefused   = "refused"
)

// The columns of the import files, as the header names them.
var (
	serviceColumns  = []string{"ekstern_id", "navn", "type", "krets", "leder"}
	employeeColumns = []string{"ekstern_id", "navn", "brukernavn", "epost", "tjeneste", "roller"}
)

// ImportLine is what the plan does with one line of the file.
type ImportLine struct {
	Line   int    // the line number in the file; the header is line 1
	Action string // ImportCreate, ImportUpdate, ImportUnchanged or ImportRefused
	What   string // the service's or the employee's name
	// Changes lists what an update changes: name, kind, district, leader,
	// email, services, roles, external_id.
	Changes []string
	Reason  string // why the line is refused: an error code
	Value   string // the cell the reason is about, when one is
}

// ImportPlan is the outcome of an import file, line by line, with counts.
type ImportPlan struct {
	Kind                                 ImportKind
	Lines                                []ImportLine
	Created, Updated, Unchanged, Refused int
	changes                              []func(tx *store.Tx) error
}

// OK reports whether no line is refused, so the plan may be applied.
func (p *ImportPlan) OK() bool { return p.Refused == 0 }

// add records a line and, for a change, what it does.
func (p *ImportPlan) add(l ImportLine, change func(tx *store.Tx) error) {
	switch l.Action {
	case ImportCreate:
		p.Created++
	case ImportUpdate:
		p.Updated++
	case ImportUnchanged:
		p.Unchanged++
	case ImportRefused:
		p.Refused++
	}
	p.Lines = append(p.Lines, l)
	if change != nil {
		p.changes = append(p.changes, change)
	}
}

// refuse records a refused line.
func (p *ImportPlan) refuse(line int, what, reason, value string) {
	p.add(ImportLine{Line: line, Action: ImportRefused, What: what, Reason: reason, Value: value}, nil)
}

// counts is the plan's counts for the audit trail (no names).
func (p *ImportPlan) counts() string {
	return fmt.Sprintf("%s created=%d updated=%d unchanged=%d refused=%d", p.Kind, p.Created, p.Updated,
		p.Unchanged, p.Refused)
}

// ErrImportRefused is returned by ApplyImport when a line is refused.
var ErrImportRefused = samordna.Errorf(samordna.KindInvalid, "import_refused",
	"a line of the file is refused, so nothing is imported")

// CheckImportRole refuses (as not found, with a denied audit row) anyone
// but the administrator and the command line.
func (a *App) CheckImportRole(ctx context.Context, actor *samordna.Actor) error {
	if isAdminOrCLI(actor) {
		return nil
	}
	return a.refuse(ctx, actor, "import", "plan")
}

// PlanImport is the dry run: the plan for the file, nothing changed. One
// audit row (object_type "import", action "dry_run", the counts as purpose).
// Errors: those of DecodeImportFile and of the header (import_separator,
// import_unknown_column, import_missing_column), invalid_import_kind;
// samordna.ErrNotFound for anyone but the administrator.
func (a *App) PlanImport(ctx context.Context, actor *samordna.Actor, kind ImportKind, file []byte) (*ImportPlan, error) {
	return a.runImport(ctx, actor, kind, file, false)
}

// ApplyImport makes the plan for the file and carries it out in one
// transaction: one audit row for each service or employee created or
// changed (action "create" or "update", purpose "import" and the changed
// fields), and one for the import (action "apply", the counts). When any
// line is refused nothing is written and the error is ErrImportRefused,
// returned with the plan that says which lines and why.
func (a *App) ApplyImport(ctx context.Context, actor *samordna.Actor, kind ImportKind, file []byte) (*ImportPlan, error) {
	return a.runImport(ctx, actor, kind, file, true)
}

func (a *App) runImport(ctx context.Context, actor *samordna.Actor, kind ImportKind, file []byte, apply bool) (*ImportPlan, error) {
	if err := a.CheckImportRole(ctx, actor); err != nil {
		return nil, err
	}
	if kind != ImportServices && kind != ImportEmployees {
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_import_kind", "an import is of services or employees")
	}
	text, err := DecodeImportFile(file)
	if err != nil {
		return nil, err
	}
	var plan *ImportPlan
	err = a.DB.Write(ctx, func(tx *store.Tx) error {
		mid, err := a.municipalityID(tx, actor)
		if err != nil {
			return err
		}
		if kind == ImportServices {
			plan, err = a.planServices(tx, actor, mid, text)
		} else {
			plan, err = a.planEmployees(tx, actor, mid, text)
		}
		if err != nil {
			return err
		}
		action := "dry_run"
		if apply {
			if !plan.OK() {
				return ErrImportRefused
			}
			for _, change := range plan.changes {
				if err := change(tx); err != nil {
					return err
				}
			}
			action = "apply"
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "import", Action: action, Purpose: plan.counts()})
	})
	if err != nil {
		return plan, err
	}
	return plan, nil
}

// importSnapshot is the municipality's organisation as the plan sees it.
type importSnapshot struct {
	services  []*samordna.Service
	employees []*samordna.Employee
	districts []*samordna.District
	// allEmployees are those of every municipality: usernames are unique
	// across the installation.
	allEmployees []*samordna.Employee
}

func loadImportSnapshot(tx *store.Tx, mid string) (*importSnapshot, error) {
	var snap importSnapshot
	services, err := store.ListServices(tx)
	if err != nil {
		return nil, err
	}
	for _, s := range services {
		if s.MunicipalityID == mid {
			snap.services = append(snap.services, s)
		}
	}
	if snap.allEmployees, err = store.ListEmployees(tx); err != nil {
		return nil, err
	}
	for _, e := range snap.allEmployees {
		if e.MunicipalityID == mid {
			snap.employees = append(snap.employees, e)
		}
	}
	if snap.districts, err = store.ListDistricts(tx, mid); err != nil {
		return nil, err
	}
	return &snap, nil
}

// serviceByExt finds a service by its external id.
func (s *importSnapshot) serviceByExt(ext string) *samordna.Service {
	i := slices.IndexFunc(s.services, func(x *samordna.Service) bool { return x.ExternalID != "" && x.ExternalID == ext })
	if i < 0 {
		return nil
	}
	return s.services[i]
}

// serviceByName finds a service by its name, ignoring case.
func (s *importSnapshot) serviceByName(name string) *samordna.Service {
	i := slices.IndexFunc(s.services, func(x *samordna.Service) bool { return strings.EqualFold(x.Name, name) })
	if i < 0 {
		return nil
	}
	return s.services[i]
}

// service finds a service by external id or, failing that, by name.
func (s *importSnapshot) service(ref string) *samordna.Service {
	if x := s.serviceByExt(ref); x != nil {
		return x
	}
	return s.serviceByName(ref)
}

// employeeByExt finds an employee by their external id.
func (s *importSnapshot) employeeByExt(ext string) *samordna.Employee {
	i := slices.IndexFunc(s.employees, func(x *samordna.Employee) bool { return x.ExternalID != "" && x.ExternalID == ext })
	if i < 0 {
		return nil
	}
	return s.employees[i]
}

// employee finds an employee by external id or, failing that, by username.
func (s *importSnapshot) employee(ref string) *samordna.Employee {
	if x := s.employeeByExt(ref); x != nil {
		return x
	}
	i := slices.IndexFunc(s.employees, func(x *samordna.Employee) bool { return x.Username == strings.ToLower(ref) })
	if i < 0 {
		return nil
	}
	return s.employees[i]
}

// checkCells refuses a cell no field may hold (samordna.CheckText): the
// external id and username as ids (never a fødselsnummer), the rest as
// names. It returns the refused column, or "".
func checkCells(row csvRow) string {
	for col, v := range row.Cells {
		kind := samordna.TextName
		if col == "ekstern_id" || col == "brukernavn" {
			kind = samordna.TextID
		}
		if err := samordna.CheckText(col, kind, 0, v); err != nil {
			return col
		}
	}
	return ""
}

// firstChecks are the checks every line passes first; it returns the
// reason and value of a refusal, or "".
func firstChecks(row csvRow, seenExt map[string]bool) (reason, value string) {
	switch {
	case row.Cells[""] != "":
		return "import_extra_cell", ""
	case checkCells(row) != "":
		return "import_bad_text", checkCells(row)
	case row.Cells["ekstern_id"] == "":
		return "external_id_required", ""
	case seenExt[row.Cells["ekstern_id"]]:
		return "import_duplicate", row.Cells["ekstern_id"]
	case row.Cells["navn"] == "":
		return "name_required", ""
	}
	return "", ""
}

// importServiceKinds maps the words a municipality writes in the column
// "type" (bokmål, nynorsk, and the codes themselves) to service kinds.
var importServiceKinds = map[string]samordna.ServiceKind{
	"skole": samordna.ServiceSchool, "barnehage": samordna.ServiceKindergarten,
	"helsestasjon": samordna.ServiceHealthStation, "barnevern": samordna.ServiceChildWelfare,
	"barnevernstjeneste": samordna.ServiceChildWelfare, "barnevernstenesta": samordna.ServiceChildWelfare,
	"ppt": samordna.ServicePPT, "nav": samordna.ServiceNAV, "rus_psykisk": samordna.ServiceMentalHealth,
	"psykisk_helse_og_rus": samordna.ServiceMentalHealth, "rus_og_psykisk_helse": samordna.ServiceMentalHealth,
	"fastlege": samordna.ServiceGP, "koordinerende_enhet": samordna.ServiceCoordinatingUnit,
	"koordinerande_eining": samordna.ServiceCoordinatingUnit, "annet": samordna.ServiceOther,
	"anna": samordna.ServiceOther, "hjemmetjeneste": samordna.ServiceHomeCare,
	"hjemmetjenesten": samordna.ServiceHomeCare, "heimeteneste": samordna.ServiceHomeCare,
	"heimetenesta": samordna.ServiceHomeCare,
}

// importRoles maps the words of the column "roller" to roles.
var importRoles = map[string]samordna.Role{
	"ansatt": samordna.RoleEmployee, "tilsett": samordna.RoleEmployee,
	"tjenesteleder": samordna.RoleServiceLeader, "tenesteleiar": samordna.RoleServiceLeader,
	"leder": samordna.RoleServiceLeader, "leiar": samordna.RoleServiceLeader,
	"koordinerende_enhet": samordna.RoleCoordinatingUnit, "koordinerande_eining": samordna.RoleCoordinatingUnit,
	"barnevern": samordna.RoleChildWelfare, "administrator": samordna.RoleAdmin,
	"nødtilgang": samordna.RoleEmergencyAccess, "naudtilgang": samordna.RoleEmergencyAccess,
	"helsepersonell": samordna.RoleHealthPersonnel,
}

// importWord normalises a cell for the maps above: lower case, spaces and
// dashes as underscores.
func importWord(s string) string {
	return strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
}

// importServiceKind reads the column "type".
func importServiceKind(s string) (samordna.ServiceKind, bool) {
	w := importWord(s)
	if k, ok := importServiceKinds[w]; ok {
		return k, true
	}
	k := samordna.ServiceKind(w)
	return k, slices.Contains(serviceKinds, k)
}

// importRole reads one role of the column "roller".
func importRole(s string) (samordna.Role, bool) {
	w := importWord(s)
	if r, ok := importRoles[w]; ok {
		return r, true
	}
	r := samordna.Role(w)
	return r, r.Valid()
}

// splitList splits a cell of several values separated by commas.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// planServices plans a services file: ekstern_id;navn;type;krets;leder.
func (a *App) planServices(tx *store.Tx, actor *samordna.Actor, mid, text string) (*ImportPlan, error) {
	rows, err := readImportCSV(text, serviceColumns, []string{"ekstern_id", "navn", "type"})
	if err != nil {
		return nil, err
	}
	snap, err := loadImportSnapshot(tx, mid)
	if err != nil {
		return nil, err
	}
	plan := &ImportPlan{Kind: ImportServices}
	seenExt, seenName := map[string]bool{}, map[string]bool{}
	for _, row := range rows {
		c := row.Cells
		what := c["navn"]
		if reason, value := firstChecks(row, seenExt); reason != "" {
			plan.refuse(row.Line, what, reason, value)
			continue
		}
		seenExt[c["ekstern_id"]] = true
		kind, ok := importServiceKind(c["type"])
		if !ok {
			plan.refuse(row.Line, what, "invalid_service_kind", c["type"])
			continue
		}
		if seenName[strings.ToLower(c["navn"])] {
			plan.refuse(row.Line, what, "import_duplicate", c["navn"])
			continue
		}
		seenName[strings.ToLower(c["navn"])] = true
		existing := snap.serviceByExt(c["ekstern_id"])
		if existing == nil {
			if s := snap.serviceByName(c["navn"]); s != nil && s.ExternalID == "" {
				existing = s // known before by its name: it gets the external id
			}
		}
		if other := snap.serviceByName(c["navn"]); other != nil && other != existing {
			plan.refuse(row.Line, what, "service_exists", c["navn"])
			continue
		}
		districtID := ""
		if c["krets"] != "" {
			i := slices.IndexFunc(snap.districts, func(d *samordna.District) bool { return strings.EqualFold(d.Name, c["krets"]) })
			if i < 0 {
				plan.refuse(row.Line, what, "unknown_district", c["krets"])
				continue
			}
			districtID = snap.districts[i].ID
		}
		leaderID := ""
		if c["leder"] != "" {
			e := snap.employee(c["leder"])
			if e == nil {
				plan.refuse(row.Line, what, "unknown_leader", c["leder"])
				continue
			}
			leaderID = e.ID
		}
		s := &samordna.Service{MunicipalityID: mid, Name: c["navn"], Kind: kind, DistrictID: districtID,
			ExternalID: c["ekstern_id"]}
		if existing == nil {
			plan.add(ImportLine{Line: row.Line, Action: ImportCreate, What: what}, func(tx *store.Tx) error {
				s.ID = samordna.NewID()
				if err := store.CreateService(tx, s, a.now()); err != nil {
					return err
				}
				if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "service", ObjectID: s.ID, Action: "create",
					Purpose: "import"}); err != nil {
					return err
				}
				if leaderID == "" {
					return nil
				}
				return a.importServiceLeaders(tx, actor, s.ID, []string{leaderID})
			})
			continue
		}
		s.ID = existing.ID
		if districtID == "" {
			s.DistrictID = existing.DistrictID // an empty cell leaves it as it is
		}
		var changes []string
		for _, ch := range []struct {
			field       string
			old, wanted string
		}{{"name", existing.Name, s.Name}, {"kind", string(existing.Kind), string(s.Kind)},
			{"district", existing.DistrictID, s.DistrictID}, {"external_id", existing.ExternalID, s.ExternalID}} {
			if ch.old != ch.wanted {
				changes = append(changes, ch.field)
			}
		}
		newLeader := leaderID != "" && !slices.Contains(existing.LeaderIDs, leaderID)
		if newLeader {
			changes = append(changes, "leader")
		}
		if len(changes) == 0 {
			plan.add(ImportLine{Line: row.Line, Action: ImportUnchanged, What: what}, nil)
			continue
		}
		plan.add(ImportLine{Line: row.Line, Action: ImportUpdate, What: what, Changes: changes}, func(tx *store.Tx) error {
			if err := store.ImportUpdateService(tx, s); err != nil {
				return err
			}
			if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "service", ObjectID: s.ID, Action: "update",
				Purpose: "import:" + strings.Join(changes, ",")}); err != nil {
				return err
			}
			if !newLeader {
				return nil
			}
			return a.importServiceLeaders(tx, actor, s.ID, append(slices.Clone(existing.LeaderIDs), leaderID))
		})
	}
	return plan, nil
}

// planEmployees plans an employees file:
// ekstern_id;navn;brukernavn;epost;tjeneste;roller.
func (a *App) planEmployees(tx *store.Tx, actor *samordna.Actor, mid, text string) (*ImportPlan, error) {
	rows, err := readImportCSV(text, employeeColumns, []string{"ekstern_id", "navn", "brukernavn"})
	if err != nil {
		return nil, err
	}
	snap, err := loadImportSnapshot(tx, mid)
	if err != nil {
		return nil, err
	}
	all := snap.allEmployees
	plan := &ImportPlan{Kind: ImportEmployees}
	seenExt, seenUser := map[string]bool{}, map[string]bool{}
	for _, row := range rows {
		c := row.Cells
		username := strings.ToLower(c["brukernavn"])
		what := c["navn"]
		if reason, value := firstChecks(row, seenExt); reason != "" {
			plan.refuse(row.Line, what, reason, value)
			continue
		}
		seenExt[c["ekstern_id"]] = true
		if !usernamePattern.MatchString(username) {
			plan.refuse(row.Line, what, "invalid_username", c["brukernavn"])
			continue
		}
		if seenUser[username] {
			plan.refuse(row.Line, what, "import_duplicate", username)
			continue
		}
		seenUser[username] = true
		if e := c["epost"]; e != "" && (!strings.Contains(e, "@") || strings.ContainsAny(e, " ,;")) {
			plan.refuse(row.Line, what, "invalid_email", e)
			continue
		}
		var services []*samordna.Service
		bad := ""
		for _, ref := range splitList(c["tjeneste"]) {
			s := snap.service(ref)
			if s == nil {
				bad = ref
				break
			}
			if !slices.Contains(services, s) {
				services = append(services, s)
			}
		}
		if bad != "" {
			plan.refuse(row.Line, what, "unknown_service", bad)
			continue
		}
		var roles []samordna.Role
		for _, word := range splitList(c["roller"]) {
			r, ok := importRole(word)
			if !ok {
				bad = word
				break
			}
			if !slices.Contains(roles, r) {
				roles = append(roles, r)
			}
		}
		if bad != "" {
			plan.refuse(row.Line, what, "invalid_role", bad)
			continue
		}
		existing := snap.employeeByExt(c["ekstern_id"])
		holder := slices.IndexFunc(all, func(e *samordna.Employee) bool { return e.Username == username })
		if existing == nil && holder >= 0 {
			if all[holder].MunicipalityID != mid || all[holder].ExternalID != "" {
				plan.refuse(row.Line, what, "username_taken", username)
				continue
			}
			existing = all[holder] // known before by the username: it gets the external id
		}
		if existing != nil && existing.Username != username {
			plan.refuse(row.Line, what, "username_differs", username)
			continue
		}
		if existing == nil {
			if len(roles) == 0 {
				roles = []samordna.Role{samordna.RoleEmployee}
			}
			e := &samordna.Employee{MunicipalityID: mid, Username: username, Name: c["navn"], Email: c["epost"],
				ExternalID: c["ekstern_id"], Roles: roles}
			plan.add(ImportLine{Line: row.Line, Action: ImportCreate, What: what}, func(tx *store.Tx) error {
				e.ID = samordna.NewID()
				if err := store.CreateEmployee(tx, e, "", a.now()); err != nil {
					return err
				}
				if err := a.audit(tx, actor, samordna.AuditEvent{ObjectType: "employee", ObjectID: e.ID, Action: "create",
					Purpose: "import"}); err != nil {
					return err
				}
				for _, s := range services {
					if err := a.addServiceMember(tx, actor, s.ID, e.ID); err != nil {
						return err
					}
				}
				return nil
			})
			continue
		}
		if actor != nil && actor.Employee != nil && existing.ID == actor.Employee.ID && len(roles) > 0 &&
			existing.HasRole(samordna.RoleAdmin) && !slices.Contains(roles, samordna.RoleAdmin) {
			plan.refuse(row.Line, what, "own_admin_role", "")
			continue
		}
		a.planEmployeeUpdate(plan, actor, row.Line, what, existing, c, services, roles)
	}
	return plan, nil
}

// planEmployeeUpdate plans the changes to an employee the file names
// again. An empty cell (e-mail, services, roles) leaves the value as it is;
// services and roles given become exactly those of the file, except that a
// leader stays a member of the service they lead.
func (a *App) planEmployeeUpdate(plan *ImportPlan, actor *samordna.Actor, line int, what string,
	existing *samordna.Employee, c map[string]string, services []*samordna.Service, roles []samordna.Role) {
	e := *existing
	e.Name, e.ExternalID = c["navn"], c["ekstern_id"]
	if c["epost"] != "" {
		e.Email = c["epost"]
	}
	var changes []string
	if e.Name != existing.Name {
		changes = append(changes, "name")
	}
	if e.Email != existing.Email {
		changes = append(changes, "email")
	}
	if e.ExternalID != existing.ExternalID {
		changes = append(changes, "external_id")
	}
	var addServices, dropServices []string
	if len(services) > 0 {
		for _, s := range services {
			if !slices.ContainsFunc(existing.Services, func(x samordna.Service) bool { return x.ID == s.ID }) {
				addServices = append(addServices, s.ID)
			}
		}
		for _, x := range existing.Services {
			if !slices.ContainsFunc(services, func(s *samordna.Service) bool { return s.ID == x.ID }) &&
				!slices.Contains(x.LeaderIDs, existing.ID) {
				dropServices = append(dropServices, x.ID)
			}
		}
		if len(addServices)+len(dropServices) > 0 {
			changes = append(changes, "services")
		}
	}
	var grant, revoke []samordna.Role
	if len(roles) > 0 {
		for _, r := range roles {
			if !existing.HasRole(r) {
				grant = append(grant, r)
			}
		}
		for _, r := range existing.Roles {
			if !slices.Contains(roles, r) {
				revoke = append(revoke, r)
			}
		}
		if len(grant)+len(revoke) > 0 {
			changes = append(changes, "roles")
		}
	}
	if len(changes) == 0 {
		plan.add(ImportLine{Line: line, Action: ImportUnchanged, What: what}, nil)
		return
	}
	plan.add(ImportLine{Line: line, Action: ImportUpdate, What: what, Changes: changes}, func(tx *store.Tx) error {
		if err := store.ImportUpdateEmployee(tx, &e, a.now()); err != nil {
			return err
		}
		for _, r := range grant {
			if err := store.GrantRole(tx, e.ID, r); err != nil {
				return err
			}
		}
		for _, r := range revoke {
			if err := store.RevokeRole(tx, e.ID, r); err != nil {
				return err
			}
		}
		for _, id := range addServices {
			if err := a.addServiceMember(tx, actor, id, e.ID); err != nil {
				return err
			}
		}
		for _, id := range dropServices {
			if err := store.RemoveServiceMember(tx, id, e.ID); err != nil {
				return err
			}
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "employee", ObjectID: e.ID, Action: "update",
			Purpose: "import:" + strings.Join(changes, ",")})
	})
}

// importServiceLeaders makes leaderIDs the service's leaders (a file names
// one leader; the leaders a service already has stay) and members of it,
// with one audit row.
func (a *App) importServiceLeaders(tx *store.Tx, actor *samordna.Actor, serviceID string, leaderIDs []string) error {
	if err := store.SetServiceLeaders(tx, serviceID, leaderIDs); err != nil {
		return err
	}
	for _, id := range leaderIDs {
		if err := store.AddServiceMember(tx, serviceID, id); err != nil {
			return err
		}
	}
	return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "service", ObjectID: serviceID, Action: "set_leader", Purpose: "import"})
}
