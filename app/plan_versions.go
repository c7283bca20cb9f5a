package app

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// This file is the plans' versions: every change writes a new version
// (nothing is overwritten), the ETag names the current version so that an
// update can say which version it started from, and a diff shows what
// changed between two versions.

// PlanETag is the ETag of a plan at a version: "v3".
func PlanETag(version int) string { return `"v` + strconv.Itoa(version) + `"` }

// parseIfMatch reads the version an update starts from out of an If-Match
// header. It accepts a list of ETags (it takes the first) and weak
// ETags; "*" is refused, since it would overwrite whatever is there.
// Errors: precondition_required (428) when missing, precondition_failed
// (412) when it names no version of ours.
func parseIfMatch(h string) (int, error) {
	h = strings.TrimSpace(h)
	if h == "" || h == "*" {
		return 0, samordna.Errorf(samordna.KindPreconditionRequired, "precondition_required",
			"send the plan's current ETag in If-Match, so that no one else's change is overwritten")
	}
	first, _, _ := strings.Cut(h, ",")
	first = strings.TrimPrefix(strings.TrimSpace(first), "W/")
	n, err := strconv.Atoi(strings.TrimPrefix(strings.Trim(first, `"`), "v"))
	if err != nil || n < 1 {
		return 0, store.ErrPlanVersionConflict
	}
	return n, nil
}

// PlanVersionView is one version of a plan.
type PlanVersionView struct {
	Version   int
	Change    string
	ChangedAt time.Time
	ChangedBy *EmployeeRef
	Content   store.PlanContent
}

// PlanVersionsPage is a page of a plan's versions, oldest first.
type PlanVersionsPage struct {
	Plan     *store.Plan
	Versions []PlanVersionView
	Next     string // cursor for the next page, "" at the end
}

// ListPlanVersions returns the plan's versions, oldest first, up to 100
// after the cursor. Callers: anyone who may read the plan's case. Errors:
// not_found, bad_cursor.
func (a *App) ListPlanVersions(ctx context.Context, actor *samordna.Actor, planID, cursor string, limit int) (*PlanVersionsPage, error) {
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	page := &PlanVersionsPage{}
	err := a.withPlan(ctx, actor, planID, access.Read, "read_plan_versions", func(tx *store.Tx, g *caseGrant, p *store.Plan) error {
		after := 0
		if cursor != "" {
			n, err := strconv.Atoi(cursor)
			if err != nil || n < 0 {
				return samordna.Errorf(samordna.KindInvalid, "bad_cursor", "the cursor is not valid")
			}
			after = n
		}
		vs, next, err := store.PlanVersions(tx, p.ID, after, limit)
		if err != nil {
			return err
		}
		if next > 0 {
			page.Next = strconv.Itoa(next)
		}
		refs := map[string]*EmployeeRef{}
		for _, v := range vs {
			by, err := cachedRef(tx, refs, v.ChangedBy)
			if err != nil {
				return err
			}
			page.Versions = append(page.Versions, PlanVersionView{Version: v.Version, Change: v.Change,
				ChangedAt: v.ChangedAt, ChangedBy: by, Content: v.Content})
		}
		page.Plan = p
		return a.auditCase(tx, actor, g, "read_plan_versions", "plan", p.ID)
	})
	return page, err
}

// PlanDiff is what changed from one version of a plan to another.
type PlanDiff struct {
	PlanID   string
	From, To PlanVersionView
	Fields   []FieldChange // what_matters, resources, services, evaluation_dates, references
	Goals    ItemChanges
	Measures ItemChanges
}

// FieldChange is one changed field, with its old and new value as text.
type FieldChange struct {
	Field    string
	From, To string
}

// ItemChanges are the goals or measures added, removed and changed.
type ItemChanges struct {
	Added   []ItemChange
	Removed []ItemChange
	Changed []ItemChange
}

// ItemChange is a goal or measure; for a changed one, which fields changed.
type ItemChange struct {
	ID     string
	Text   string
	Fields []FieldChange
}

// Empty reports whether nothing was added, removed or changed.
func (c ItemChanges) Empty() bool {
	return len(c.Added) == 0 && len(c.Removed) == 0 && len(c.Changed) == 0
}

// DiffPlanVersions shows what changed from version from to version to
// (any two versions). to 0 means the current version; from 0 the one
// before to. Callers: anyone who may read the plan's case. Errors:
// not_found (also for a version that does not exist).
func (a *App) DiffPlanVersions(ctx context.Context, actor *samordna.Actor, planID string, from, to int) (*PlanDiff, error) {
	var d *PlanDiff
	err := a.withPlan(ctx, actor, planID, access.Read, "read_plan_versions", func(tx *store.Tx, g *caseGrant, p *store.Plan) error {
		if to == 0 {
			to = p.Version
		}
		if from == 0 {
			from = max(1, to-1)
		}
		refs := map[string]*EmployeeRef{}
		x, err := versionView(tx, refs, p.ID, from)
		if err != nil {
			return err
		}
		y, err := versionView(tx, refs, p.ID, to)
		if err != nil {
			return err
		}
		d = diffContent(x.Content, y.Content, func(id string) string {
			if r, err := cachedRef(tx, refs, id); err == nil && r != nil {
				return r.Username
			}
			return id
		})
		d.PlanID, d.From, d.To = p.ID, *x, *y
		return a.auditCase(tx, actor, g, "read_plan_versions", "plan", p.ID)
	})
	return d, err
}

func versionView(tx *store.Tx, refs map[string]*EmployeeRef, planID string, version int) (*PlanVersionView, error) {
	v, err := store.PlanVersionAt(tx, planID, version)
	if err != nil {
		return nil, err
	}
	by, err := cachedRef(tx, refs, v.ChangedBy)
	if err != nil {
		return nil, err
	}
	return &PlanVersionView{Version: v.Version, Change: v.Change, ChangedAt: v.ChangedAt, ChangedBy: by, Content: v.Content}, nil
}

// diffContent compares two contents field by field, and goals and
// measures by id.
// name turns an employee id into the username shown.
func diffContent(x, y store.PlanContent, name func(id string) string) *PlanDiff {
	d := &PlanDiff{}
	d.Fields = changedFields([][3]string{
		{"what_matters", x.WhatMatters, y.WhatMatters},
		{"resources", x.Resources, y.Resources},
		{"services", strings.Join(x.Services, "\n"), strings.Join(y.Services, "\n")},
		{"evaluation_dates", strings.Join(x.EvaluationDates, "\n"), strings.Join(y.EvaluationDates, "\n")},
		{"references", referencesText(x.References), referencesText(y.References)},
		{"transitions", transitionsText(x.Transitions), transitionsText(y.Transitions)},
	})
	d.Goals = diffItems(goalItems(x.Goals), goalItems(y.Goals))
	d.Measures = diffItems(measureItems(x.Measures, name), measureItems(y.Measures, name))
	return d
}

func changedFields(rows [][3]string) []FieldChange {
	var out []FieldChange
	for _, r := range rows {
		if r[1] != r[2] {
			out = append(out, FieldChange{Field: r[0], From: r[1], To: r[2]})
		}
	}
	return out
}

func referencesText(rs []store.PlanReference) string {
	lines := make([]string, 0, len(rs))
	for _, r := range rs {
		lines = append(lines, strings.TrimSpace(strings.Join([]string{r.Title, r.Holder, r.Note}, " – ")))
	}
	return strings.Join(lines, "\n")
}

// transitionsText is the transitions a line each, in bokmål with the
// date as shown: "flytting til eget hjem 01.08.2027 – bolig i Sjøvegan".
func transitionsText(ts []store.PlanTransition) string {
	lines := make([]string, 0, len(ts))
	for _, t := range ts {
		line := transitionLabels[t.Kind] + " " + planDate(t.Expected)
		if t.Note != "" {
			line += " – " + t.Note
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// diffItem is a goal or measure as a list of named fields, for diffing.
type diffItem struct {
	id, text string
	fields   [][2]string // name, value
}

func goalItems(gs []store.PlanGoal) []diffItem {
	out := make([]diffItem, 0, len(gs))
	for _, g := range gs {
		out = append(out, diffItem{g.ID, g.Text, [][2]string{{"text", g.Text}, {"term", g.Term}}})
	}
	return out
}

func measureItems(ms []store.PlanMeasure, name func(id string) string) []diffItem {
	out := make([]diffItem, 0, len(ms))
	for _, m := range ms {
		responsible := ""
		if m.ResponsibleID != "" {
			responsible = name(m.ResponsibleID)
		}
		out = append(out, diffItem{m.ID, m.Text, [][2]string{{"text", m.Text}, {"responsible", responsible},
			{"responsible_service", m.ResponsibleService}, {"due", m.Due}, {"goal_id", m.GoalID},
			{"status", m.Status}, {"evaluation", m.Evaluation}, {"evaluation_date", m.EvaluationDate}}})
	}
	return out
}

func diffItems(xs, ys []diffItem) ItemChanges {
	var c ItemChanges
	find := func(items []diffItem, id string) int {
		return slices.IndexFunc(items, func(it diffItem) bool { return it.id == id })
	}
	for _, x := range xs {
		if find(ys, x.id) < 0 {
			c.Removed = append(c.Removed, ItemChange{ID: x.id, Text: x.text})
		}
	}
	for _, y := range ys {
		i := find(xs, y.id)
		if i < 0 {
			c.Added = append(c.Added, ItemChange{ID: y.id, Text: y.text})
			continue
		}
		var rows [][3]string
		for k, f := range y.fields {
			rows = append(rows, [3]string{f[0], xs[i].fields[k][1], f[1]})
		}
		if fields := changedFields(rows); len(fields) > 0 {
			c.Changed = append(c.Changed, ItemChange{ID: y.id, Text: y.text, Fields: fields})
		}
	}
	return c
}
