package web

import (
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode"

	"github.com/samordna/samordna"
)

// formFieldKinds says what each form field holds, by its name, with the
// same kinds as the API's fields of the same name (samordna.TextKind), so
// a form has the API's limits. A field not listed is checked as
// samordna.TextLong. Where one name serves forms with different API limits
// (a "reason"), it takes the largest; the app's own rule refuses the rest.
var formFieldKinds = map[string]samordna.TextKind{
	// ids and usernames: never a fødselsnummer
	"username": samordna.TextID, "case_id": samordna.TextID, "form_id": samordna.TextID, "team_id": samordna.TextID,
	"adviser": samordna.TextID, "coordinator": samordna.TextID, "wished_coordinator": samordna.TextID,
	"routine": samordna.TextID, "follows": samordna.TextID, "goal_id": samordna.TextID, "measure_id": samordna.TextID,
	"holder": samordna.TextID, "measure_responsible": samordna.TextID, "measure_goal": samordna.TextID,
	// values from lists, dates, times, fødselsnumre
	"case_query": samordna.TextCode, "situation": samordna.TextCode, "anonymous": samordna.TextCode, "fnr": samordna.TextCode,
	"mother_fnr": samordna.TextCode, "expected_due_date": samordna.TextCode, "mode": samordna.TextCode,
	"with": samordna.TextCode, "valid_until": samordna.TextCode, "purposes": samordna.TextCode,
	"kind": samordna.TextCode, "individual_plan_when": samordna.TextCode, "coordinator_kind": samordna.TextCode,
	"individual_plan": samordna.TextCode, "acute": samordna.TextCode, "consent_given": samordna.TextCode,
	"continue": samordna.TextCode, "previous_approved": samordna.TextCode, "reason_code": samordna.TextCode,
	"goal_term": samordna.TextCode, "measure_status": samordna.TextCode, "measure_due": samordna.TextCode,
	"measure_evaluation_date": samordna.TextCode, "evaluation_date": samordna.TextCode, "date": samordna.TextCode,
	"time": samordna.TextCode, "start_date": samordna.TextCode, "start_time": samordna.TextCode,
	"next_date": samordna.TextCode, "next_time": samordna.TextCode, "duration": samordna.TextCode,
	"year": samordna.TextCode, "version": samordna.TextCode, "lang": samordna.TextCode, "action": samordna.TextCode,
	"category": samordna.TextCode, "child_fnr": samordna.TextCode, "birth_date": samordna.TextCode,
	"answer": samordna.TextCode, "basis": samordna.TextCode, "respondent": samordna.TextCode, "count": samordna.TextCode,
	"service": samordna.TextID, "informed_by": samordna.TextID,
	// names, relations, places, titles
	"name": samordna.TextName, "mother_name": samordna.TextName, "given_by": samordna.TextName,
	"given_by_relation": samordna.TextName, "relation": samordna.TextName, "role": samordna.TextName,
	"adviser_name": samordna.TextName, "place": samordna.TextName, "chair": samordna.TextName,
	"minute_taker": samordna.TextName, "ref_title": samordna.TextName,
	"ref_holder": samordna.TextName, "requested_by": samordna.TextName, "measure_service": samordna.TextName,
	"review_responsible": samordna.TextName, "file_name": samordna.TextName, "return": samordna.TextName,
	// short texts
	"note": samordna.TextShort, "matter": samordna.TextShort, "goal_text": samordna.TextShort,
	"measure_text": samordna.TextShort, "measure_evaluation": samordna.TextShort, "ref_note": samordna.TextShort,
	"review_measure": samordna.TextShort, "review_why": samordna.TextShort, "next_topic": samordna.TextShort,
	"outcome": samordna.TextShort, "reason_short_notice": samordna.TextShort,
	// free text
	"reason": samordna.TextLong, "description": samordna.TextLong, "what_matters": samordna.TextLong,
	"resources": samordna.TextLong, "summary": samordna.TextLong, "advice": samordna.TextLong,
	"person_account": samordna.TextLong, "conclusions": samordna.TextLong, "previous_comments": samordna.TextLong,
	"item_notes": samordna.TextLong, "agenda": samordna.TextLong, "recipients": samordna.TextLong,
	"services": samordna.TextLong, // one service a line
	"document": samordna.TextDocument,
}

// formFieldKind is the kind of the form field name.
func formFieldKind(name string) samordna.TextKind {
	if k, ok := formFieldKinds[name]; ok {
		return k
	}
	return samordna.TextLong
}

// MaxLen is the most characters the form field name takes, for the
// field's maxlength attribute: {{.MaxLen "name"}}.
func (p *Page) MaxLen(name string) int { return formFieldKind(name).MaxChars() }

// checkFormText checks every value of a posted form with
// samordna.CheckText by its field's kind, fields in name order so the
// first refused field is always the same; the error is a
// *samordna.TextError naming the field.
func checkFormText(form url.Values) error {
	names := make([]string, 0, len(form))
	for name := range form {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, v := range form[name] {
			if err := samordna.CheckText(name, formFieldKind(name), 0, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// formError answers a form post that could not be read: a text no field
// may hold gets a 400 page saying what was wrong with it; anything else the
// refusal it always got.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, err error) {
	var te *samordna.TextError
	if errors.As(err, &te) {
		s.errorPage(w, r, http.StatusBadRequest, "error.text."+samordna.ErrorCode(err))
		return
	}
	s.errorPage(w, r, http.StatusBadRequest, "error.forbidden")
}

// textErrorMessage is the message shown next to the field a
// *samordna.TextError names, in the page's language.
func (s *Server) textErrorMessage(lang string, err error) string {
	var te *samordna.TextError
	if !errors.As(err, &te) {
		return ""
	}
	return s.catalog.T(lang, "field.text."+samordna.ErrorCode(err), map[string]any{"Max": te.Max})
}

// refillable is a refused form value as it may be shown again in the form:
// valid UTF-8 without the control characters no field may hold, so the
// user can correct the rest.
func refillable(v string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return -1
		}
		return r
	}, strings.ToValidUTF8(v, ""))
}
