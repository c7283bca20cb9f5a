package app

import (
	"context"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file holds the coordinating unit's overview (seed 004): the
// applications by status, the coordinators and their caseloads, the
// responsibility groups registered with the unit, and the yearly counts of
// groups, individual plans and coordinators the unit must collect.

// YearlyCounts are the numbers the coordinating unit collects for a year
// (Europe/Oslo calendar year).
type YearlyCounts struct {
	Year int
	// Responsibility groups in existence at some time in the year, set up in
	// it and closed in it.
	ResponsibilityGroups int
	GroupsEstablished    int
	GroupsClosed         int
	// Persons with an individual plan in force at some time in the year.
	IndividualPlans int
	// Persons who had a coordinator at some time in the year, and the
	// distinct employees who served as coordinators.
	Coordinators         int
	CoordinatorEmployees int
	// Cases open at some time in the year by target group (seed 002 §2.3):
	// code → cases; "" counts the unclassified ones.
	TargetGroups map[string]int
}

// Overview is the coordinating unit's overview.
type Overview struct {
	Now          time.Time
	Applications map[string]int // by status
	Inbox        []*store.Application
	Caseloads    []store.Caseload
	// Groups open or closed within the last year whose case has an active
	// consent to register with the unit; the others are only counted.
	Groups       []*store.GroupSummary
	Unregistered int
	Counts       *YearlyCounts
}

// CoordinatingUnitOverview returns the unit's overview with the counts of
// the current year. One audit row. Who may call: the coordinating unit;
// anyone else gets samordna.ErrNotFound (audited).
func (a *App) CoordinatingUnitOverview(ctx context.Context, actor *samordna.Actor) (*Overview, error) {
	var o *Overview
	err := a.withUnit(ctx, actor, "coordinating_unit_overview", func(tx *store.Tx) error {
		mid := actor.Employee.MunicipalityID
		now := a.now()
		o = &Overview{Now: now}
		var err error
		if o.Applications, err = store.ApplicationCounts(tx, mid); err != nil {
			return err
		}
		page, err := store.ListApplications(tx, mid, store.ApplicationSubmitted, "", 100)
		if err != nil {
			return err
		}
		o.Inbox = page.Items
		if o.Caseloads, err = store.CoordinatorCaseloads(tx, mid); err != nil {
			return err
		}
		groups, err := store.GroupSummaries(tx, mid, now, now.AddDate(-1, 0, 0))
		if err != nil {
			return err
		}
		for _, g := range groups {
			if g.Registered {
				o.Groups = append(o.Groups, g)
			} else {
				o.Unregistered++
			}
		}
		o.Counts, err = yearlyCounts(tx, mid, now.In(pathway.Oslo()).Year())
		return err
	})
	return o, err
}

// YearlyCountsFor returns the counts for a year. One audit row. Who may
// call: the coordinating unit; anyone else gets samordna.ErrNotFound.
// Errors: invalid_year (400) outside 2000-2100.
func (a *App) YearlyCountsFor(ctx context.Context, actor *samordna.Actor, year int) (*YearlyCounts, error) {
	if year < 2000 || year > 2100 {
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_year", "year is 2000 to 2100")
	}
	var c *YearlyCounts
	err := a.withUnit(ctx, actor, "yearly_counts", func(tx *store.Tx) error {
		var err error
		c, err = yearlyCounts(tx, actor.Employee.MunicipalityID, year)
		return err
	})
	return c, err
}

// yearlyCounts counts over the calendar year in Oslo time. Each count reads
// only the municipality's rows (ranges of an index that starts with the
// municipality), so its cost follows the municipality, not the country.
func yearlyCounts(tx *store.Tx, municipalityID string, year int) (*YearlyCounts, error) {
	from := time.Date(year, time.January, 1, 0, 0, 0, 0, pathway.Oslo()).UTC()
	to := time.Date(year+1, time.January, 1, 0, 0, 0, 0, pathway.Oslo()).UTC()
	c := &YearlyCounts{Year: year}
	var err error
	if c.ResponsibilityGroups, c.GroupsEstablished, c.GroupsClosed, err = store.GroupsInYear(tx, municipalityID, from, to); err != nil {
		return nil, err
	}
	if c.IndividualPlans, err = store.PlansInYear(tx, municipalityID, from, to); err != nil {
		return nil, err
	}
	if c.Coordinators, c.CoordinatorEmployees, err = store.CoordinatorsInYear(tx, municipalityID, from, to); err != nil {
		return nil, err
	}
	if c.TargetGroups, err = store.CasesByTargetGroup(tx, municipalityID, from, to); err != nil {
		return nil, err
	}
	return c, nil
}
