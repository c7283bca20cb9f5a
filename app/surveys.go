package app

import (
	"context"
	"errors"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/store"
)

// This file is user surveys (brukerundersøkelser). Seed 001, service
// level: "Gjennomføre brukerundersøkelser", "Brukermedvirkning som fast
// praksis" and "Sikre at brukermedvirkning inngår systematisk i
// tjenesteutvikling og tilbakemelding på tiltak". The municipality (its
// service leaders) writes statements answered on a 1-5
// scale, makes single-use answer links (for a service, so results can be
// shown per service) and hands them out; whoever has a link answers once,
// without signing in. No identity is kept: a response knows its survey and
// group, not its link, and answering writes no audit row (there is no one
// to name and no personal data). Results are shown only for groups of five
// or more (MinGroup).

// Limits of a survey.
const (
	maxSurveyQuestions = 30
	maxSurveyLinks     = 500
)

// NewSurvey is the input of CreateSurvey.
type NewSurvey struct {
	Title     string
	Intro     string
	Questions []string // statements, answered 1 (strongly disagree) to 5 (strongly agree)
}

// CreateSurvey writes a survey. Who may call: service leaders; anyone else gets samordna.ErrNotFound. Errors:
// title_required, title_too_long, questions_required, too_many_questions,
// question_too_long (400). One audit row.
func (a *App) CreateSurvey(ctx context.Context, actor *samordna.Actor, in NewSurvey) (*store.Survey, error) {
	if !isServiceLeader(actor) {
		return nil, a.refuse(ctx, actor, "survey", "create")
	}
	s := &store.Survey{Status: store.SurveyOpen, CreatedBy: actor.Employee.ID, CreatedAt: a.now()}
	var err error
	if s.Title, err = cleanText(in.Title, 200, "title_too_long", "the title"); err != nil {
		return nil, err
	}
	if s.Title == "" {
		return nil, samordna.Errorf(samordna.KindInvalid, "title_required", "give the survey a title")
	}
	if s.Intro, err = cleanText(in.Intro, 2000, "intro_too_long", "the introduction"); err != nil {
		return nil, err
	}
	for _, q := range in.Questions {
		q, err := cleanText(q, 500, "question_too_long", "a statement")
		if err != nil {
			return nil, err
		}
		if q != "" {
			s.Questions = append(s.Questions, q)
		}
	}
	switch {
	case len(s.Questions) == 0:
		return nil, samordna.Errorf(samordna.KindInvalid, "questions_required", "write at least one statement")
	case len(s.Questions) > maxSurveyQuestions:
		return nil, samordna.Errorf(samordna.KindInvalid, "too_many_questions", "at most %d statements", maxSurveyQuestions)
	}
	err = a.DB.Write(ctx, func(tx *store.Tx) error {
		s.MunicipalityID = actor.Employee.MunicipalityID
		if err := store.CreateSurvey(tx, s); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "survey", ObjectID: s.ID, Action: "create"})
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Surveys lists the municipality's surveys, newest first. Who may call:
// service leaders; anyone else gets
// samordna.ErrNotFound.
func (a *App) Surveys(ctx context.Context, actor *samordna.Actor) ([]*store.Survey, error) {
	if !isServiceLeader(actor) {
		return nil, a.refuse(ctx, actor, "survey", "list")
	}
	var out []*store.Survey
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		out, err = store.SurveysOf(tx, actor.Employee.MunicipalityID)
		return err
	})
	return out, err
}

// ownSurvey returns the survey when it is the actor's municipality's.
func ownSurvey(tx *store.Tx, actor *samordna.Actor, id string) (*store.Survey, error) {
	s, err := store.SurveyByID(tx, id)
	if err != nil {
		return nil, err
	}
	if s.MunicipalityID != actor.Employee.MunicipalityID {
		return nil, samordna.ErrNotFound
	}
	return s, nil
}

// CreateSurveyLinks makes n single-use answer links for the group
// serviceID ("" for none) and returns their tokens: they are shown once
// and only their hashes are kept. Who may call: service leaders; anyone else gets samordna.ErrNotFound. Errors:
// invalid_count (400), survey_closed (409), unknown_service (400). One
// audit row.
func (a *App) CreateSurveyLinks(ctx context.Context, actor *samordna.Actor, surveyID, serviceID string, n int) ([]string, error) {
	if !isServiceLeader(actor) {
		return nil, a.refuse(ctx, actor, "survey", "create_links")
	}
	if n < 1 || n > maxSurveyLinks {
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_count", "make from 1 to %d links at a time", maxSurveyLinks)
	}
	var tokens []string
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		s, err := ownSurvey(tx, actor, surveyID)
		if err != nil {
			return err
		}
		if s.Status != store.SurveyOpen {
			return samordna.Errorf(samordna.KindConflict, "survey_closed", "the survey is closed")
		}
		if serviceID != "" {
			if _, err := a.ownService(tx, actor, serviceID); err != nil {
				return samordna.Errorf(samordna.KindInvalid, "unknown_service", "no such service")
			}
		}
		for range n {
			t := randomSecret()
			if err := store.CreateSurveyLink(tx, hashSecret(t), s.ID, serviceID, actor.Employee.ID, a.now()); err != nil {
				return err
			}
			tokens = append(tokens, t)
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "survey", ObjectID: s.ID, Action: "create_links"})
	})
	return tokens, err
}

// errLinkUsed is the answer for a link already used or a closed survey.
var errLinkUsed = samordna.Errorf(samordna.KindConflict, "link_used",
	"this link has already been used, or the survey is closed")

// SurveyToAnswer returns the survey behind an answer link. Who may call:
// anyone holding the link (no sign-in). Errors: samordna.ErrNotFound for
// an unknown link; link_used (409) for a used link or a closed survey.
func (a *App) SurveyToAnswer(ctx context.Context, token string) (*store.Survey, error) {
	var s *store.Survey
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		var err error
		s, err = a.linkSurvey(tx, token)
		return err
	})
	return s, err
}

// linkSurvey resolves an unused link of an open survey.
func (a *App) linkSurvey(tx *store.Tx, token string) (*store.Survey, error) {
	token = strings.TrimSpace(token)
	if token == "" || len(token) > 100 {
		return nil, samordna.ErrNotFound
	}
	l, err := store.SurveyLinkByHash(tx, hashSecret(token))
	if err != nil {
		return nil, err
	}
	s, err := store.SurveyByID(tx, l.SurveyID)
	if err != nil {
		return nil, err
	}
	if l.Used || s.Status != store.SurveyOpen {
		return nil, errLinkUsed
	}
	return s, nil
}

// AnswerSurvey stores the answers given through a link (statement
// position -> 1-5; statements left out are unanswered) and uses the link
// up. Who may call: anyone holding the link. Errors: as SurveyToAnswer;
// invalid_answer (400) for a value outside 1-5 or an unknown position;
// answer_required (400) when nothing is answered.
func (a *App) AnswerSurvey(ctx context.Context, token string, answers map[int]int) error {
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		s, err := a.linkSurvey(tx, token)
		if err != nil {
			return err
		}
		if len(answers) == 0 {
			return samordna.Errorf(samordna.KindInvalid, "answer_required", "answer at least one statement")
		}
		for pos, v := range answers {
			if pos < 0 || pos >= len(s.Questions) || v < 1 || v > 5 {
				return samordna.Errorf(samordna.KindInvalid, "invalid_answer", "each answer is 1 to 5 for a statement of the survey")
			}
		}
		l, err := store.SurveyLinkByHash(tx, hashSecret(strings.TrimSpace(token)))
		if err != nil {
			return err
		}
		ok, err := store.UseSurveyLink(tx, hashSecret(strings.TrimSpace(token)))
		if err != nil {
			return err
		}
		if !ok {
			return errLinkUsed
		}
		return store.CreateSurveyResponse(tx, s.ID, l.ServiceID, answers)
	})
}

// SurveyResult is the result of one group.
type SurveyResult struct {
	ServiceName string // "" for the whole survey
	Responses   int
	Hidden      bool // fewer than MinGroup responses: no figures are shown
	Questions   []QuestionResult
}

// QuestionResult is one statement's result in a group.
type QuestionResult struct {
	Text     string
	Answered int
	Mean     float64 // 1-5
	Values   [5]int  // how many answered 1..5
}

// SurveyResults returns the survey with its results: the whole survey,
// then each service. A group with fewer than five responses shows no
// figures, only that it is under five. Who may call: service leaders;
// anyone else gets samordna.ErrNotFound. One audit row.
func (a *App) SurveyResults(ctx context.Context, actor *samordna.Actor, surveyID string) (*store.Survey, []SurveyResult, error) {
	if !isServiceLeader(actor) {
		return nil, nil, a.refuse(ctx, actor, "survey", "results")
	}
	var s *store.Survey
	var out []SurveyResult
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		var err error
		if s, err = ownSurvey(tx, actor, surveyID); err != nil {
			return err
		}
		groups, err := store.SurveyGroups(tx, s.ID, len(s.Questions))
		if err != nil {
			return err
		}
		for _, g := range groups {
			out = append(out, surveyResult(s, g))
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "survey", ObjectID: s.ID, Action: "results"})
	})
	if errors.Is(err, samordna.ErrNotFound) {
		return nil, nil, a.refuse(ctx, actor, "survey", "results")
	}
	return s, out, err
}

// surveyResult turns a group's figures into its result, hidden under
// MinGroup responses.
func surveyResult(s *store.Survey, g *store.SurveyGroup) SurveyResult {
	r := SurveyResult{ServiceName: g.ServiceName, Responses: g.Responses, Hidden: g.Responses < MinGroup}
	if r.Hidden {
		r.Responses = 0
		return r
	}
	for i, q := range s.Questions {
		qr := QuestionResult{Text: q, Answered: g.Answered[i], Values: g.Values[i]}
		if qr.Answered > 0 {
			qr.Mean = float64(g.Sum[i]) / float64(qr.Answered)
		}
		r.Questions = append(r.Questions, qr)
	}
	return r
}

// CloseSurvey closes a survey: unused links stop working. Who may call:
// service leaders; anyone else gets
// samordna.ErrNotFound. One audit row.
func (a *App) CloseSurvey(ctx context.Context, actor *samordna.Actor, surveyID string) error {
	if !isServiceLeader(actor) {
		return a.refuse(ctx, actor, "survey", "close")
	}
	return a.DB.Write(ctx, func(tx *store.Tx) error {
		s, err := ownSurvey(tx, actor, surveyID)
		if err != nil {
			return err
		}
		if err := store.CloseSurvey(tx, s.ID, a.now()); err != nil {
			return err
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "survey", ObjectID: s.ID, Action: "close"})
	})
}

// ListServicesForForms returns the services of the actor's municipality,
// by name, for the forms that choose one (a survey link's group). Who may
// call: any signed-in employee (the organisation is not personal data).
func (a *App) ListServicesForForms(ctx context.Context, actor *samordna.Actor) ([]*samordna.Service, error) {
	var out []*samordna.Service
	err := a.DB.Read(ctx, func(tx *store.Tx) error {
		mid, err := a.municipalityID(tx, actor)
		if err != nil {
			return err
		}
		out, err = store.ServicesOfMunicipality(tx, mid)
		return err
	})
	return out, err
}
