package app

import (
	"context"
	"strconv"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// AccessLogEntry is one line of a case's access log.
type AccessLogEntry = store.AccessLogEntry

// AccessLogPage is one page of a case's access log, newest first.
type AccessLogPage struct {
	Items []AccessLogEntry
	Next  string // cursor for the next (older) page, "" at the end
}

// CaseAccessLog returns who looked at, changed or was refused the case,
// when, in which role and service, newest first, limit at a time (at most
// 100) after cursor. Reading the log is itself audited (the row shows up
// in the log from the next read on). Callers: the coordinator and the
// coordinating unit (access.ViewAccessLog). Errors: not_found,
// bad_cursor (400).
func (a *App) CaseAccessLog(ctx context.Context, actor *samordna.Actor, caseID, cursor string, limit int) (*AccessLogPage, error) {
	var before int64
	if cursor != "" {
		n, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || n <= 0 {
			return nil, samordna.Errorf(samordna.KindInvalid, "bad_cursor", "the cursor is not valid")
		}
		before = n
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	var page *AccessLogPage
	err := a.withCase(ctx, actor, caseID, access.ViewAccessLog, "read_access_log", func(tx *store.Tx, g *caseGrant) error {
		rows, next, err := store.CaseAccessLog(tx, g.Case.ID, before, limit)
		if err != nil {
			return err
		}
		page = &AccessLogPage{Items: rows}
		if next > 0 {
			page.Next = strconv.FormatInt(next, 10)
		}
		if page.Items == nil {
			page.Items = []AccessLogEntry{}
		}
		return a.auditCase(tx, actor, g, "read_access_log", "access_log", g.Case.ID)
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}
