package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/samordna/samordna"
)

// employeeLogin makes the env's user an employee (who registers concerns
// and works the routines), allows synthetic fødselsnummer and signs in.
func (e *env) employeeLogin() *http.Cookie {
	e.t.Helper()
	e.app.AllowSynthetic = true
	if err := e.app.GrantUserRole(context.Background(), nil, testUsername, samordna.RoleEmployee); err != nil {
		e.t.Fatal(err)
	}
	return e.login()
}

// anonymousConcern registers an anonymous unclear concern with the
// description through the form and returns the case's routine page and
// the case's id.
func (e *env) anonymousConcern(c *http.Cookie, description string) (casePage, caseID string) {
	e.t.Helper()
	r := e.post("/concerns", url.Values{"situation": {"unclear_concern"}, "anonymous": {"yes"},
		"description": {description}}, c)
	if r.status != http.StatusSeeOther {
		e.t.Fatalf("POST /concerns: %d\n%s", r.status, r.body)
	}
	casePage = strings.TrimSuffix(r.location(), "?done=registered")
	return casePage, strings.TrimSuffix(strings.TrimPrefix(casePage, "/cases/"), "/routine")
}
