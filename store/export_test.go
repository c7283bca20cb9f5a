package store

// CaseCursor exposes the cursor encoding to the case list's plan test.
var CaseCursor = encodeCursor

// PlanTaskStatusesSQL is the query of PlanTaskStatuses, for its plan test.
const PlanTaskStatusesSQL = planTaskStatusesSQL

// OverdueTasksSQL is the sweep's query (without its limit), for its plan test.
const OverdueTasksSQL = overdueTasksSQL
