package app

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file holds the deadlines the municipality adopted (issue 11, rule
// 9). Where a routine gives no deadline, Samordna proposes one, labelled
// "Lokal frist" in the routine (Lillehammer's routine, seed 000, gives
// none); the one-hour limits (an immediate step escalates after
// ImmediateGrace, an acute report must be acknowledged within
// AcuteAcknowledgeLimit) are Samordna's proposals too. They are the
// municipality's choice: the administrator adopts or changes each, per
// routine and step, and every change is a new version in the audit trail.
// New tasks follow the version in force; tasks already started keep their
// deadline. Each task records whose deadline it has, and the pages say so.

// The limits that belong to no step, by key.
const (
	LimitImmediateGrace   = "immediate_grace"   // how long an immediate step waits before it escalates
	LimitAcuteAcknowledge = "acute_acknowledge" // how long the receiving service has to acknowledge an acute report
)

// limitDefaults are Samordna's proposals for the limits.
var limitDefaults = map[string]time.Duration{
	LimitImmediateGrace:   ImmediateGrace,
	LimitAcuteAcknowledge: AcuteAcknowledgeLimit,
}

// Limits lists the limit keys in display order.
var Limits = []string{LimitImmediateGrace, LimitAcuteAcknowledge}

// MaxLimit bounds an adopted limit: these are urgent duties.
const MaxLimit = 72 * time.Hour

// parseLimit reads a limit written as an ISO 8601 duration of hours or
// minutes ("PT1H", "PT30M"), from one minute to MaxLimit.
func parseLimit(s string) (time.Duration, error) {
	bad := samordna.Errorf(samordna.KindInvalid, "invalid_deadline",
		"a limit is PT<n>H or PT<n>M (hours or minutes), at most %d hours", int(MaxLimit.Hours()))
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), "PT")
	if !ok || len(rest) < 2 {
		return 0, bad
	}
	unit := time.Hour
	switch rest[len(rest)-1] {
	case 'H':
	case 'M':
		unit = time.Minute
	default:
		return 0, bad
	}
	n, err := strconv.Atoi(rest[:len(rest)-1])
	if err != nil || n < 1 || time.Duration(n)*unit > MaxLimit {
		return 0, bad
	}
	return time.Duration(n) * unit, nil
}

// formatLimit writes a limit as parseLimit reads it.
func formatLimit(d time.Duration) string {
	if d%time.Hour == 0 {
		return fmt.Sprintf("PT%dH", d/time.Hour)
	}
	return fmt.Sprintf("PT%dM", d/time.Minute)
}

// effectiveStep returns the step with the deadline in force in the
// municipality, and whose it is (store.DeadlineRoutine, DeadlineMunicipality
// or DeadlineProposed).
func effectiveStep(tx *store.Tx, municipalityID string, r *pathway.Routine, s pathway.Step) (pathway.Step, string, error) {
	if !s.LocalDeadline() {
		return s, store.DeadlineRoutine, nil
	}
	d, err := store.CurrentDeadlineAdoption(tx, municipalityID, r.ID, s.ID)
	if err != nil || d == nil {
		return s, store.DeadlineProposed, err
	}
	dl, err := pathway.ParseDeadline(d.Deadline)
	if err != nil {
		return s, store.DeadlineProposed, fmt.Errorf("adopted deadline %s/%s v%d: %w", r.ID, s.ID, d.Version, err)
	}
	s.Deadline, s.WorkingDays = dl, d.WorkingDays
	return s, store.DeadlineMunicipality, nil
}

// limit returns the limit in force in the municipality.
func limit(tx *store.Tx, municipalityID, key string) (time.Duration, error) {
	d, err := store.CurrentDeadlineAdoption(tx, municipalityID, "", key)
	if err != nil || d == nil {
		return limitDefaults[key], err
	}
	v, err := parseLimit(d.Deadline)
	if err != nil {
		return limitDefaults[key], nil
	}
	return v, nil
}

// DeadlineChange is the input for AdoptDeadline: a step of a routine (or a
// limit: RoutineID "" and StepID one of Limits) and its deadline.
type DeadlineChange struct {
	RoutineID   string
	StepID      string
	Deadline    string // pathway.ParseDeadline form ("P1W", "P5D", ...); a limit: "PT1H", "PT30M"
	WorkingDays bool
	Note        string // why, e.g. the decision that adopted it
}

// MaxDeadlineNote bounds the note of an adoption.
const MaxDeadlineNote = 500

// AdoptDeadline adopts or changes, for the municipality, a deadline that
// its routine does not give (a step whose deadline is a "Lokal frist") or
// one of the limits, as a new version. Adopting the proposal unchanged is
// allowed: it makes it the municipality's. One audit row (object_type
// "deadline").
//
// Who may call: the administrator or the command line; anyone else gets
// samordna.ErrNotFound. Errors: unknown_routine, unknown_step (400);
// deadline_not_local (422: the routine's own deadline changes only with a
// new routine version); invalid_deadline (400); note_too_long (400).
func (a *App) AdoptDeadline(ctx context.Context, actor *samordna.Actor, in DeadlineChange) (*store.DeadlineAdoption, error) {
	if !isAdminOrCLI(actor) {
		return nil, a.refuse(ctx, actor, "deadline", "adopt")
	}
	in.RoutineID, in.StepID, in.Deadline = strings.TrimSpace(in.RoutineID), strings.TrimSpace(in.StepID), strings.TrimSpace(in.Deadline)
	in.Note = strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(in.Note) > MaxDeadlineNote {
		return nil, samordna.Errorf(samordna.KindInvalid, "note_too_long", "the note may be at most %d characters", MaxDeadlineNote)
	}
	var out *store.DeadlineAdoption
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		if err := a.validateDeadlineChange(tx, &in); err != nil {
			return err
		}
		mid, err := a.municipalityID(tx, actor)
		if err != nil {
			return err
		}
		out = &store.DeadlineAdoption{MunicipalityID: mid, RoutineID: in.RoutineID, StepID: in.StepID,
			Deadline: in.Deadline, WorkingDays: in.WorkingDays, Note: in.Note, AdoptedAt: a.now()}
		if actor != nil && actor.Employee != nil {
			out.AdoptedBy, out.AdoptedByName = actor.Employee.ID, actor.Employee.Name
		}
		if err := store.CreateDeadlineAdoption(tx, out); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "deadline", Action: "adopt",
			ObjectID: fmt.Sprintf("%s/%s@%d", in.RoutineID, in.StepID, out.Version)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// validateDeadlineChange checks the step (or limit) and the deadline, and
// writes the deadline in its canonical form.
func (a *App) validateDeadlineChange(tx *store.Tx, in *DeadlineChange) error {
	if in.RoutineID == "" {
		if !slices.Contains(Limits, in.StepID) {
			return samordna.Errorf(samordna.KindInvalid, "unknown_step", "a limit is one of %s", strings.Join(Limits, ", "))
		}
		d, err := parseLimit(in.Deadline)
		if err != nil {
			return err
		}
		in.Deadline, in.WorkingDays = formatLimit(d), false
		return nil
	}
	if err := a.syncRoutines(tx); err != nil {
		return err
	}
	r, ok := a.Routines().Latest(in.RoutineID)
	if !ok {
		return samordna.Errorf(samordna.KindInvalid, "unknown_routine", "no routine %q", truncate(in.RoutineID, 60))
	}
	s, ok := r.Step(in.StepID)
	if !ok {
		return samordna.Errorf(samordna.KindInvalid, "unknown_step", "routine %s has no step %q", r.ID, truncate(in.StepID, 60))
	}
	if !s.LocalDeadline() {
		return samordna.Errorf(samordna.KindRule, "deadline_not_local",
			"the deadline of step %s is the routine's own; change it with a new version of the routine", s.ID)
	}
	d, err := pathway.ParseDeadline(in.Deadline)
	if err != nil || d.Kind == pathway.DeadlineNone ||
		(d.Kind == pathway.DeadlinePerPlan) != (s.Deadline.Kind == pathway.DeadlinePerPlan) {
		return samordna.Errorf(samordna.KindInvalid, "invalid_deadline",
			"the deadline is immediately, an ISO 8601 duration (P5D, P1W, P1M) or a range P3M/P6M; per_plan only where the step follows the plan")
	}
	in.Deadline = d.String()
	return nil
}

// DeadlineRow is one adoptable deadline as the pages and the API show it:
// a step with a proposed ("Lokal frist") deadline, or a limit.
type DeadlineRow struct {
	RoutineID    string
	RoutineName  string
	StepID       string
	Title        string // the step's task title; "" for a limit
	Proposed     string // Samordna's proposal (the routine's deadline field, or the default limit)
	ProposedText string // the routine's wording of it
	WorkingDays  bool   // of the proposal
	Current      *store.DeadlineAdoption
	History      []*store.DeadlineAdoption // every version, newest first
}

// MunicipalDeadlines lists the deadlines the municipality may adopt, each
// with the version in force and its history: the proposed deadlines of the
// latest version of each routine, then the limits. Deadlines are the
// municipality's published procedure, not personal data: any employee may
// read them, and reading is not audited.
func (a *App) MunicipalDeadlines(ctx context.Context, actor *samordna.Actor) ([]*DeadlineRow, error) {
	var out []*DeadlineRow
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		if err := a.syncRoutines(tx); err != nil {
			return err
		}
		mid, err := a.municipalityID(tx, actor)
		if err != nil {
			return err
		}
		all, err := store.DeadlineAdoptions(tx, mid)
		if err != nil {
			return err
		}
		history := func(routineID, stepID string) []*store.DeadlineAdoption {
			var h []*store.DeadlineAdoption
			for _, d := range all {
				if d.RoutineID == routineID && d.StepID == stepID {
					h = append(h, d)
				}
			}
			return h
		}
		for _, r := range a.Routines().All() {
			for _, s := range r.Steps {
				if !s.LocalDeadline() {
					continue
				}
				row := &DeadlineRow{RoutineID: r.ID, RoutineName: r.Name, StepID: s.ID, Title: stepTitle(s),
					Proposed: s.Deadline.String(), ProposedText: s.DeadlineText, WorkingDays: s.WorkingDays,
					History: history(r.ID, s.ID)}
				out = append(out, row)
			}
		}
		for _, k := range Limits {
			out = append(out, &DeadlineRow{StepID: k, Proposed: formatLimit(limitDefaults[k]), History: history("", k)})
		}
		for _, row := range out {
			if len(row.History) > 0 {
				row.Current = row.History[0]
			}
		}
		return nil
	})
	return out, err
}

// AdminDeadlines is MunicipalDeadlines for the administrator's page, where
// the deadlines are adopted. Who may call: the administrator or the command
// line; anyone else gets samordna.ErrNotFound (audited), as for every
// administrator page.
func (a *App) AdminDeadlines(ctx context.Context, actor *samordna.Actor) ([]*DeadlineRow, error) {
	if !isAdminOrCLI(actor) {
		return nil, a.refuse(ctx, actor, "deadline", "admin_list")
	}
	return a.MunicipalDeadlines(ctx, actor)
}

// StepDeadlineSources returns, for each step of the routine whose deadline
// the routine does not give, the municipality's adoption in force (nil:
// Samordna's proposal, not adopted). Steps not in the map have the
// routine's own deadline. The routine pages call it.
func (a *App) StepDeadlineSources(ctx context.Context, actor *samordna.Actor, r *pathway.Routine) (map[string]*store.DeadlineAdoption, error) {
	out := map[string]*store.DeadlineAdoption{}
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		mid, err := a.municipalityID(tx, actor)
		if err != nil {
			return err
		}
		for _, s := range r.Steps {
			if !s.LocalDeadline() {
				continue
			}
			d, err := store.CurrentDeadlineAdoption(tx, mid, r.ID, s.ID)
			if err != nil {
				return err
			}
			out[s.ID] = d
		}
		return nil
	})
	return out, err
}
