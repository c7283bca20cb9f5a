package store

// OverviewQuery is one of the coordinating unit's overview queries, with
// the index on the municipality it must search and its number of
// parameters ($1 is the municipality, the others are times).
type OverviewQuery struct {
	Name, SQL, Index string
	Params           int
}

// OverviewQueries exposes the overview's queries to their plan test.
var OverviewQueries = []OverviewQuery{
	{"groups in year", groupsInYearSQL, "responsibility_groups_municipality", 3},
	{"plans in year", plansInYearSQL, "plans_municipality", 3},
	{"coordinators in year", coordinatorsInYearSQL, "case_coordinators_municipality", 3},
	{"group summaries", groupSummariesSQL, "responsibility_groups_municipality", 3},
	{"caseloads", caseloadsSQL, "case_coordinators_municipality", 1},
}
