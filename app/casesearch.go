package app

import (
	"context"
	"strings"
	"unicode"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/store"
)

// What a case search is for; each has its own policy (see SearchCases).
const (
	SearchForLink      = "link"      // a family link from a case the actor may change
	SearchForEmergency = "emergency" // emergency access (break the glass)
)

// MaxCaseMatches caps how many cases one search shows.
const MaxCaseMatches = 20

// CaseMatch is one case a search found: its person's name and birth date,
// never the number.
type CaseMatch struct {
	CaseID, Name, BirthDate string
}

// SearchCases finds cases by their person's name or fødselsnummer so that
// nobody types a case id, and shows only what the policy allows:
//
//   - SearchForLink: cases the actor may change (access.Write, as
//     LinkFamilyCases needs), the query a fødselsnummer or words that each
//     begin a word of the name; the search is audited as a list read.
//   - SearchForEmergency: cases the actor may break the glass into
//     (access.BreakGlass), but only by the exact fødselsnummer or the full
//     name, so that it reveals no more than a case id would; every case
//     found writes an audit row on the case (emergency_search), which the
//     person's access log shows and the leader reviews with the access.
//
// Anonymous cases are never found. Errors: not_found (not an employee, or
// without the role for emergency), query_required (400).
func (a *App) SearchCases(ctx context.Context, actor *samordna.Actor, purpose, query string) ([]CaseMatch, error) {
	if actor == nil || actor.Employee == nil {
		return nil, samordna.ErrNotFound
	}
	action, emergency := access.Write, purpose == SearchForEmergency
	if emergency {
		if err := a.CheckEmergencyRole(ctx, actor); err != nil {
			return nil, err
		}
		action = access.BreakGlass
	}
	number, words := searchTerms(query)
	if number == "" && len(words) == 0 {
		return nil, samordna.Errorf(samordna.KindInvalid, "query_required", "write a name or a fødselsnummer")
	}
	var out []CaseMatch
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		all, err := store.NamedCases(tx, actor.Employee.MunicipalityID)
		if err != nil {
			return err
		}
		var found []*caseGrant
		for _, n := range all {
			if len(out) == MaxCaseMatches || !matchesCase(n, number, words, emergency) {
				continue
			}
			g, ok, err := a.authorizeCase(tx, actor, n.CaseID, action)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			found = append(found, g)
			out = append(out, CaseMatch{CaseID: n.CaseID, Name: n.Person.Name, BirthDate: n.Person.BirthDate})
		}
		if !emergency {
			return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "case", Action: "search"})
		}
		for _, g := range found {
			if err := a.audit(tx, actor, samordna.AuditEvent{CaseID: g.Case.ID, PersonID: g.Case.SubjectPersonID,
				ObjectType: "case", ObjectID: g.Case.ID, Action: "emergency_search",
				Purpose: string(access.ReasonEmergency)}); err != nil {
				return err
			}
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "case", Action: "emergency_search",
			Purpose: string(access.ReasonEmergency)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// searchTerms reads a query as an 11-digit number (spaces allowed) or as
// lower-case words.
func searchTerms(q string) (number string, words []string) {
	q = strings.TrimSpace(q)
	digits := strings.Join(strings.Fields(q), "")
	if len(digits) == 11 && strings.IndexFunc(digits, func(r rune) bool { return !unicode.IsDigit(r) }) < 0 {
		return digits, nil
	}
	return "", strings.Fields(strings.ToLower(q))
}

// matchesCase compares a case's person with the terms. exact asks for the
// whole name (emergency access); otherwise each word must begin a word of
// the name.
func matchesCase(n store.NamedCase, number string, words []string, exact bool) bool {
	if number != "" {
		return n.Person.IDNumber == number
	}
	name := strings.Fields(strings.ToLower(n.Person.Name))
	if exact {
		return strings.Join(name, " ") == strings.Join(words, " ")
	}
	for _, w := range words {
		hit := false
		for _, part := range name {
			hit = hit || strings.HasPrefix(part, w)
		}
		if !hit {
			return false
		}
	}
	return true
}
