package app

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file is the municipality's plan for children as next of kin (seed
// 001, Sola): goals on three levels (municipality, service, individual),
// each in the culture or the structure dimension, with an owner, a yearly
// target and an indicator, and the report to the leadership of targets
// against results. Indicators are computed from Samordna's own data where
// they can be and entered by the goal's owner each quarter where they
// cannot (training held, fagsamlinger). Counts of one to four people are
// never shown: they read "under 5".

// The goal levels, dimensions and owner kinds of seed 001's table.
var (
	GoalLevels     = []string{"municipality", "service", "individual"}
	GoalDimensions = []string{"culture", "structure"}
	GoalOwnerKinds = []string{"chief_executive", "service_leader", "employee"}
)

// Indicator units.
const (
	UnitPercent = "percent"
	UnitDays    = "days"
	UnitCount   = "count"
)

// Indicator is a kind of indicator a goal can be measured by.
type Indicator struct {
	Key      string
	Computed bool   // computed from Samordna's data; otherwise entered by the owner
	Unit     string // UnitPercent, UnitDays or UnitCount
	// HigherIsBetter: the target is a minimum (otherwise a maximum).
	HigherIsBetter bool
	// People: the figure counts people, so 1-4 is shown as "under 5".
	People bool
}

// Indicators are the indicator kinds, computed ones first.
var Indicators = []Indicator{
	{Key: "concerns_first_step_on_time", Computed: true, Unit: UnitPercent, HigherIsBetter: true, People: true},
	{Key: "days_concern_to_coordinator", Computed: true, Unit: UnitDays, People: true},
	{Key: "plans_with_overdue_measures", Computed: true, Unit: UnitCount, People: true},
	{Key: "children_next_of_kin_identified", Computed: true, Unit: UnitCount, HigherIsBetter: true, People: true},
	{Key: "families_giving_feedback", Computed: true, Unit: UnitCount, HigherIsBetter: true, People: true},
	// Training held and staff taking part, from the yearly cycle's done
	// training tasks (TrainingKinds); counts of staff, not of clients.
	{Key: "trainings_held", Computed: true, Unit: UnitCount, HigherIsBetter: true},
	{Key: "training_participants", Computed: true, Unit: UnitCount, HigherIsBetter: true},
	{Key: "entered_count", Unit: UnitCount, HigherIsBetter: true},
	{Key: "entered_percent", Unit: UnitPercent, HigherIsBetter: true},
}

// IndicatorByKey returns the indicator kind, ok false for an unknown key.
func IndicatorByKey(key string) (Indicator, bool) {
	for _, in := range Indicators {
		if in.Key == key {
			return in, true
		}
	}
	return Indicator{}, false
}

// MunicipalGoalInput is a goal as a leader writes it.
type MunicipalGoalInput struct {
	Level         string
	Dimension     string
	Text          string
	OwnerKind     string
	Owner         string // the owner's username ("" for the role alone)
	ServiceID     string // a service-level goal's service ("" for all services)
	Indicator     string
	IndicatorText string // what an entered indicator counts
	Target        *float64
	Year          int // the year of Target
}

// QuarterResult is an indicator's figure for the year up to a quarter's end.
type QuarterResult struct {
	Quarter    int
	Value      *float64 // nil: not known (or suppressed)
	Suppressed bool     // 1-4 people: "under 5"
}

// GoalResult is one goal in a year's report.
type GoalResult struct {
	Goal       *store.Goal
	Indicator  Indicator
	Target     *float64
	Result     *float64 // nil: not known yet, or suppressed
	Suppressed bool
	// Met: the result reaches the target (nil when either is unknown).
	Met   *bool
	Trend []QuarterResult // the quarters of the year begun by now
}

// GoalReport is the report to the leadership for a year.
type GoalReport struct {
	Year  int
	Now   time.Time
	Goals []*GoalResult // by level, then position
}

// Level returns the report's goals of one level.
func (r *GoalReport) Level(level string) []*GoalResult {
	var out []*GoalResult
	for _, g := range r.Goals {
		if g.Goal.Level == level {
			out = append(out, g)
		}
	}
	return out
}

// isLeader reports whether the employee may manage and read the plan: a
// service leader (administrators see no figures drawn from cases).
func isLeader(e *samordna.Employee) bool {
	return e != nil && e.HasRole(samordna.RoleServiceLeader) && !e.HasRole(samordna.RoleAdmin)
}

// withLeader runs fn in a write transaction for a leader, with one audit
// row for objectType and action; anyone else gets samordna.ErrNotFound
// (audited as denied).
func (a *App) withLeader(ctx context.Context, actor *samordna.Actor, objectType, objectID, action string,
	fn func(tx *store.Tx) error) error {
	denied := false
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		if actor == nil || !isLeader(actor.Employee) {
			denied = true
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: objectType, ObjectID: objectID, Action: action,
				Outcome: samordna.OutcomeDenied})
		}
		if err := fn(tx); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: objectType, ObjectID: objectID, Action: action,
			Purpose: "leadership"})
	})
	if err != nil {
		return err
	}
	if denied {
		return samordna.ErrNotFound
	}
	return nil
}

// checkYear refuses a year outside 2000-2100.
func checkYear(year int) error {
	if year < 2000 || year > 2100 {
		return samordna.Errorf(samordna.KindInvalid, "invalid_year", "year is 2000 to 2100")
	}
	return nil
}

// GoalReportFor returns the goals with their targets and results for a
// year. One audit row. Who may call: a service leader; anyone else gets
// samordna.ErrNotFound. Errors: invalid_year (400).
func (a *App) GoalReportFor(ctx context.Context, actor *samordna.Actor, year int) (*GoalReport, error) {
	if err := checkYear(year); err != nil {
		return nil, err
	}
	var r *GoalReport
	err := a.withLeader(ctx, actor, "goal_report", "", "read", func(tx *store.Tx) error {
		var err error
		r, err = goalReport(tx, actor.Employee.MunicipalityID, year, a.now())
		return err
	})
	return r, err
}

// goalReport computes the report for a year as it stands at now.
func goalReport(tx *store.Tx, municipalityID string, year int, now time.Time) (*GoalReport, error) {
	goals, err := store.ListGoals(tx, municipalityID)
	if err != nil {
		return nil, err
	}
	targets, err := store.GoalTargets(tx, municipalityID, year)
	if err != nil {
		return nil, err
	}
	entered, err := store.GoalResults(tx, municipalityID, year)
	if err != nil {
		return nil, err
	}
	r := &GoalReport{Year: year, Now: now}
	for _, g := range goals {
		in, _ := IndicatorByKey(g.Indicator)
		gr := &GoalResult{Goal: g, Indicator: in}
		if t, ok := targets[g.ID]; ok {
			gr.Target = &t
		}
		for q := 1; q <= 4; q++ {
			if quarterStart(year, q).After(now) {
				break
			}
			var qr QuarterResult
			if in.Computed {
				if qr, err = computeIndicator(tx, g, in, year, q, now); err != nil {
					return nil, err
				}
			} else {
				qr = enteredUpTo(entered[g.ID], q)
			}
			gr.Trend = append(gr.Trend, qr)
		}
		if n := len(gr.Trend); n > 0 {
			last := gr.Trend[n-1]
			gr.Result, gr.Suppressed = last.Value, last.Suppressed
		}
		if gr.Result != nil && gr.Target != nil {
			met := *gr.Result >= *gr.Target
			if !in.HigherIsBetter {
				met = *gr.Result <= *gr.Target
			}
			gr.Met = &met
		}
		r.Goals = append(r.Goals, gr)
	}
	return r, nil
}

// quarterStart is the first moment of a quarter in Oslo time.
func quarterStart(year, q int) time.Time {
	return time.Date(year, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, pathway.Oslo()).UTC()
}

// enteredUpTo is an entered indicator's figure at the end of quarter q: the
// latest quarter up to q that has one.
func enteredUpTo(values map[int]float64, q int) QuarterResult {
	for k := q; k >= 1; k-- {
		if v, ok := values[k]; ok {
			return QuarterResult{Quarter: q, Value: &v}
		}
	}
	return QuarterResult{Quarter: q}
}

// computeIndicator computes a computed indicator over the year from its
// start to the end of quarter q (or now, if sooner), for the goal's
// service when it names one.
func computeIndicator(tx *store.Tx, g *store.Goal, in Indicator, year, q int, now time.Time) (QuarterResult, error) {
	from, to := quarterStart(year, 1), quarterStart(year+1, 1)
	if q < 4 {
		to = quarterStart(year, q+1)
	}
	if to.After(now) {
		to = now
	}
	res := QuarterResult{Quarter: q}
	var value float64
	var people int
	switch in.Key {
	case "concerns_first_step_on_time":
		steps, err := store.FirstStepsOfConcerns(tx, g.MunicipalityID, g.ServiceID, from, to)
		if err != nil {
			return res, err
		}
		onTime, counted := FirstStepsOnTime(steps, to)
		if counted > 0 {
			value = math.Round(1000*float64(onTime)/float64(counted)) / 10
		}
		people = counted
	case "days_concern_to_coordinator":
		waits, err := store.CoordinatorWaits(tx, g.MunicipalityID, g.ServiceID, from, to)
		if err != nil {
			return res, err
		}
		value, people = medianDays(waits), len(waits)
	case "plans_with_overdue_measures":
		n, err := store.PlansWithOverdueMeasures(tx, g.MunicipalityID, g.ServiceID, to)
		if err != nil {
			return res, err
		}
		value, people = float64(n), n
		if n == 0 {
			res.Value = &value // none is a result, not an unknown
			return res, nil
		}
	case "children_next_of_kin_identified":
		n, err := store.CountChildrenIdentified(tx, g.MunicipalityID, g.ServiceID, from, to)
		if err != nil {
			return res, err
		}
		value, people = float64(n), n
	case "families_giving_feedback":
		st, err := store.FeedbackCounts(tx, g.MunicipalityID, g.ServiceID, from, to)
		if err != nil {
			return res, err
		}
		value, people = float64(st.Cases), st.Cases
	case "trainings_held", "training_participants":
		held, took, err := store.TrainingTotals(tx, g.MunicipalityID, TrainingKinds, from, to)
		if err != nil {
			return res, err
		}
		value = float64(held)
		if in.Key == "training_participants" {
			value = float64(took)
		}
		res.Value = &value // none held is a result, not an unknown
		return res, nil
	}
	switch {
	case people == 0:
	case people < 5 && in.People:
		res.Suppressed = true
	default:
		res.Value = &value
	}
	return res, nil
}

// FirstStepsOnTime counts, as at asOf, the first steps whose deadline has
// come or which are done (counted), and of them those done by their
// deadline (onTime). A step without a deadline is not counted.
func FirstStepsOnTime(steps []store.FirstStep, asOf time.Time) (onTime, counted int) {
	for _, s := range steps {
		if s.Deadline == nil {
			continue
		}
		done := s.Done && s.CompletedAt != nil && !s.CompletedAt.After(asOf)
		switch {
		case done && !s.CompletedAt.After(*s.Deadline):
			onTime++
			counted++
		case done || s.Deadline.Before(asOf):
			counted++
		}
	}
	return onTime, counted
}

// medianDays is the median of the waits in days, to one decimal.
func medianDays(waits []time.Duration) float64 {
	if len(waits) == 0 {
		return 0
	}
	days := make([]float64, len(waits))
	for i, w := range waits {
		days[i] = w.Hours() / 24
	}
	sort.Float64s(days)
	m := days[len(days)/2]
	if len(days)%2 == 0 {
		m = (days[len(days)/2-1] + days[len(days)/2]) / 2
	}
	return math.Round(m*10) / 10
}

// ListGoals returns the municipality's goals. One audit row. Who may call:
// a service leader; anyone else gets samordna.ErrNotFound.
func (a *App) ListGoals(ctx context.Context, actor *samordna.Actor) ([]*store.Goal, error) {
	var goals []*store.Goal
	err := a.withLeader(ctx, actor, "goal", "", "list", func(tx *store.Tx) error {
		var err error
		goals, err = store.ListGoals(tx, actor.Employee.MunicipalityID)
		return err
	})
	return goals, err
}

// GetGoal returns one goal with its target for the year. Who may call: a
// service leader; anyone else (or an unknown goal) gets
// samordna.ErrNotFound.
func (a *App) GetGoal(ctx context.Context, actor *samordna.Actor, id string, year int) (*store.Goal, *float64, error) {
	if err := checkYear(year); err != nil {
		return nil, nil, err
	}
	var g *store.Goal
	var target *float64
	err := a.withLeader(ctx, actor, "goal", id, "read", func(tx *store.Tx) error {
		var err error
		if g, err = store.GoalByID(tx, actor.Employee.MunicipalityID, id); err != nil {
			return err
		}
		targets, err := store.GoalTargets(tx, g.MunicipalityID, year)
		if t, ok := targets[id]; ok {
			target = &t
		}
		return err
	})
	return g, target, err
}

// validateGoal checks a goal as written and resolves its owner and
// service. Errors (400): invalid_level, invalid_dimension,
// invalid_owner_kind, invalid_indicator, text_required,
// indicator_text_required (an entered indicator says what it counts),
// unknown_owner, unknown_service, invalid_target, and the text checks.
func validateGoal(tx *store.Tx, mid string, in *MunicipalGoalInput) (*store.Goal, error) {
	bad := func(code, msg string) error { return samordna.Errorf(samordna.KindInvalid, code, "%s", msg) }
	in.Text, in.IndicatorText = strings.TrimSpace(in.Text), strings.TrimSpace(in.IndicatorText)
	switch {
	case !slices.Contains(GoalLevels, in.Level):
		return nil, bad("invalid_level", "level is municipality, service or individual")
	case !slices.Contains(GoalDimensions, in.Dimension):
		return nil, bad("invalid_dimension", "dimension is culture or structure")
	case !slices.Contains(GoalOwnerKinds, in.OwnerKind):
		return nil, bad("invalid_owner_kind", "owner_kind is chief_executive, service_leader or employee")
	case in.Text == "":
		return nil, bad("text_required", "the goal needs a text")
	}
	ind, ok := IndicatorByKey(in.Indicator)
	if !ok {
		return nil, bad("invalid_indicator", "unknown indicator")
	}
	if err := samordna.CheckText("text", samordna.TextShort, 500, in.Text); err != nil {
		return nil, err
	}
	if err := samordna.CheckText("indicator_text", samordna.TextShort, 300, in.IndicatorText); err != nil {
		return nil, err
	}
	if !ind.Computed && in.IndicatorText == "" {
		return nil, bad("indicator_text_required", "an entered indicator needs a text saying what it counts")
	}
	if in.Target != nil && (math.IsNaN(*in.Target) || math.IsInf(*in.Target, 0) || *in.Target < 0 ||
		(ind.Unit == UnitPercent && *in.Target > 100) || *in.Target > 1e9) {
		return nil, bad("invalid_target", "the target is a number from 0 (at most 100 for a percentage)")
	}
	g := &store.Goal{MunicipalityID: mid, Level: in.Level, Dimension: in.Dimension, Text: in.Text,
		OwnerKind: in.OwnerKind, Indicator: in.Indicator, IndicatorText: in.IndicatorText}
	if ind.Computed {
		g.IndicatorText = ""
	}
	if in.Owner != "" {
		emp, _, err := store.EmployeeByUsername(tx, in.Owner)
		if err != nil || emp.MunicipalityID != mid || emp.Disabled {
			return nil, bad("unknown_owner", "no such employee")
		}
		g.OwnerID = emp.ID
	}
	if in.ServiceID != "" {
		s, err := store.ServiceByID(tx, in.ServiceID)
		if err != nil || s.MunicipalityID != mid {
			return nil, bad("unknown_service", "no such service")
		}
		g.ServiceID = s.ID
	}
	return g, nil
}

// SaveGoal creates a goal (id "") or changes one, and sets its target for
// in.Year when in.Target is given. Audited. Who may call: a service leader;
// anyone else (or an unknown goal) gets samordna.ErrNotFound. Errors: see
// validateGoal; invalid_year.
func (a *App) SaveGoal(ctx context.Context, actor *samordna.Actor, id string, in MunicipalGoalInput) (*store.Goal, error) {
	if in.Target != nil {
		if err := checkYear(in.Year); err != nil {
			return nil, err
		}
	}
	action := "create"
	if id != "" {
		action = "update"
	}
	var g *store.Goal
	err := a.withLeader(ctx, actor, "goal", id, action, func(tx *store.Tx) error {
		mid := actor.Employee.MunicipalityID
		var err error
		if g, err = validateGoal(tx, mid, &in); err != nil {
			return err
		}
		now := a.now()
		g.UpdatedAt = now
		if id == "" {
			g.CreatedBy, g.CreatedAt = actor.Employee.ID, now
			if err := store.CreateGoal(tx, g); err != nil {
				return err
			}
		} else {
			old, err := store.GoalByID(tx, mid, id)
			if err != nil {
				return err
			}
			g.ID, g.Level, g.Position, g.CreatedBy, g.CreatedAt = old.ID, old.Level, old.Position, old.CreatedBy, old.CreatedAt
			if err := store.UpdateGoal(tx, g); err != nil {
				return err
			}
		}
		if in.Target != nil {
			return store.SetGoalTarget(tx, g.ID, in.Year, *in.Target, actor.Employee.ID, now)
		}
		return nil
	})
	return g, err
}

// ArchiveGoal takes a goal out of the plan. Audited. Who may call: a
// service leader; anyone else (or an unknown goal) gets
// samordna.ErrNotFound.
func (a *App) ArchiveGoal(ctx context.Context, actor *samordna.Actor, id string) error {
	return a.withLeader(ctx, actor, "goal", id, "archive", func(tx *store.Tx) error {
		if _, err := store.GoalByID(tx, actor.Employee.MunicipalityID, id); err != nil {
			return err
		}
		return store.ArchiveGoal(tx, id, a.now())
	})
}

// EnterGoalResult records the figure of an entered indicator for the year
// so far at the end of a quarter. Audited. Who may call: a service leader;
// anyone else (or an unknown goal) gets samordna.ErrNotFound. Errors
// (400): invalid_year, invalid_quarter, invalid_value; 422
// indicator_computed (Samordna computes this goal's result itself).
func (a *App) EnterGoalResult(ctx context.Context, actor *samordna.Actor, id string, year, quarter int, value float64) error {
	if err := checkYear(year); err != nil {
		return err
	}
	if quarter < 1 || quarter > 4 {
		return samordna.Errorf(samordna.KindInvalid, "invalid_quarter", "quarter is 1 to 4")
	}
	if math.IsNaN(value) || math.IsInf(value, 0) || value < 0 || value > 1e9 {
		return samordna.Errorf(samordna.KindInvalid, "invalid_value", "the result is a number from 0")
	}
	return a.withLeader(ctx, actor, "goal", id, "enter_result", func(tx *store.Tx) error {
		g, err := store.GoalByID(tx, actor.Employee.MunicipalityID, id)
		if err != nil {
			return err
		}
		ind, _ := IndicatorByKey(g.Indicator)
		if ind.Computed {
			return samordna.Errorf(samordna.KindRule, "indicator_computed", "Samordna computes this goal's result")
		}
		if ind.Unit == UnitPercent && value > 100 {
			return samordna.Errorf(samordna.KindInvalid, "invalid_value", "a percentage is at most 100")
		}
		return store.SetGoalResult(tx, id, year, quarter, value, actor.Employee.ID, a.now())
	})
}

// LeadershipChoices are the employees and services a leader may name as a
// goal's or an activity's owner and a goal's service.
type LeadershipChoices struct {
	Employees []*samordna.Employee // active employees of the municipality, by name
	Services  []*samordna.Service
}

// LeadershipFormChoices returns the choices for the goal and activity
// forms. Who may call: a service leader; anyone else gets
// samordna.ErrNotFound. Names of colleagues only; not audited.
func (a *App) LeadershipFormChoices(ctx context.Context, actor *samordna.Actor) (*LeadershipChoices, error) {
	if actor == nil || !isLeader(actor.Employee) {
		return nil, samordna.ErrNotFound
	}
	mid := actor.Employee.MunicipalityID
	c := &LeadershipChoices{}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		emps, err := store.EmployeesOfMunicipality(tx, mid)
		if err != nil {
			return err
		}
		for _, e := range emps {
			if !e.Disabled && !e.HasRole(samordna.RoleAdmin) {
				c.Employees = append(c.Employees, e)
			}
		}
		sort.SliceStable(c.Employees, func(i, j int) bool { return c.Employees[i].Name < c.Employees[j].Name })
		c.Services, err = store.ServicesOfMunicipality(tx, mid)
		return err
	})
	return c, err
}
