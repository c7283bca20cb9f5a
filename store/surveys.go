package store

import (
	"database/sql"
	"time"

	"github.com/samordna/samordna"
)

// This file persists user surveys (brukerundersøkelser, seed 001): the
// survey and its statements, single-use answer links (only a hash of the
// token), and the anonymous responses. A response keeps no trace of its
// link and no time; SurveyResults gives the figures per group.

// Survey statuses.
const (
	SurveyOpen   = "open"
	SurveyClosed = "closed"
)

// Survey is a survey with its statements.
type Survey struct {
	ID             string
	MunicipalityID string
	Title          string
	Intro          string
	Status         string
	Questions      []string // the statements, in order (position = index)
	CreatedBy      string
	CreatedAt      time.Time
	ClosedAt       *time.Time
	// Filled by the queries: how many links were made and how many used.
	Links, Answered int
}

// CreateSurvey inserts a survey and its statements.
func CreateSurvey(tx *Tx, s *Survey) error {
	if s.ID == "" {
		s.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO surveys (id, municipality_id, title, intro, status, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, s.ID, s.MunicipalityID, s.Title, s.Intro, s.Status, s.CreatedBy, s.CreatedAt)
	if err != nil {
		return wrap(err, "create survey")
	}
	for i, q := range s.Questions {
		if _, err := tx.Exec(`INSERT INTO survey_questions (survey_id, position, text) VALUES ($1, $2, $3)`,
			s.ID, i, q); err != nil {
			return wrap(err, "create survey question")
		}
	}
	return nil
}

// CloseSurvey closes a survey: its unused links stop working.
func CloseSurvey(tx *Tx, id string, at time.Time) error {
	_, err := tx.Exec(`UPDATE surveys SET status = 'closed', closed_at = $2 WHERE id = $1`, id, at)
	return wrap(err, "close survey")
}

const surveyColumns = `s.id, s.municipality_id, s.title, s.intro, s.status, s.created_by, s.created_at, s.closed_at,
	(SELECT COUNT(*) FROM survey_links l WHERE l.survey_id = s.id),
	(SELECT COUNT(*) FROM survey_responses r WHERE r.survey_id = s.id)`

func scanSurvey(row interface{ Scan(...any) error }) (*Survey, error) {
	var s Survey
	err := row.Scan(&s.ID, &s.MunicipalityID, &s.Title, &s.Intro, &s.Status, &s.CreatedBy, &s.CreatedAt, &s.ClosedAt,
		&s.Links, &s.Answered)
	return &s, err
}

// SurveyByID returns the survey with its statements, or
// samordna.ErrNotFound.
func SurveyByID(tx *Tx, id string) (*Survey, error) {
	s, err := scanSurvey(tx.QueryRow(`SELECT `+surveyColumns+` FROM surveys s WHERE s.id = $1`, id))
	if err == sql.ErrNoRows {
		return nil, samordna.ErrNotFound
	}
	if err != nil {
		return nil, wrap(err, "survey")
	}
	rows, err := tx.Query(`SELECT text FROM survey_questions WHERE survey_id = $1 ORDER BY position`, id)
	if err != nil {
		return nil, wrap(err, "survey questions")
	}
	defer rows.Close()
	for rows.Next() {
		var q string
		if err := rows.Scan(&q); err != nil {
			return nil, wrap(err, "survey questions")
		}
		s.Questions = append(s.Questions, q)
	}
	return s, wrap(rows.Err(), "survey questions")
}

// SurveysOf returns the municipality's surveys, newest first (without
// their statements).
func SurveysOf(tx *Tx, municipalityID string) ([]*Survey, error) {
	rows, err := tx.Query(`SELECT `+surveyColumns+` FROM surveys s WHERE s.municipality_id = $1
		ORDER BY s.created_at DESC, s.id`, municipalityID)
	if err != nil {
		return nil, wrap(err, "surveys")
	}
	defer rows.Close()
	var out []*Survey
	for rows.Next() {
		s, err := scanSurvey(rows)
		if err != nil {
			return nil, wrap(err, "surveys")
		}
		out = append(out, s)
	}
	return out, wrap(rows.Err(), "surveys")
}

// CreateSurveyLink stores a new answer link by the hash of its token, for
// the group serviceID ("" for none).
func CreateSurveyLink(tx *Tx, tokenHash, surveyID, serviceID, by string, at time.Time) error {
	_, err := tx.Exec(`INSERT INTO survey_links (token_hash, survey_id, service_id, created_by, created_at, used)
		VALUES ($1, $2, $3, $4, $5, FALSE)`, tokenHash, surveyID, nullable(serviceID), by, at)
	return wrap(err, "create survey link")
}

// SurveyLink is an unused answer link: the survey and its group.
type SurveyLink struct {
	SurveyID, ServiceID string
	Used                bool
}

// SurveyLinkByHash returns the link with the token hash, or
// samordna.ErrNotFound.
func SurveyLinkByHash(tx *Tx, tokenHash string) (*SurveyLink, error) {
	var l SurveyLink
	err := tx.QueryRow(`SELECT survey_id, COALESCE(service_id, ''), used FROM survey_links WHERE token_hash = $1`,
		tokenHash).Scan(&l.SurveyID, &l.ServiceID, &l.Used)
	if err == sql.ErrNoRows {
		return nil, samordna.ErrNotFound
	}
	return &l, wrap(err, "survey link")
}

// UseSurveyLink marks the link used; false when it was used already (or
// does not exist), so that one link gives one answer even under races.
func UseSurveyLink(tx *Tx, tokenHash string) (bool, error) {
	res, err := tx.Exec(`UPDATE survey_links SET used = TRUE WHERE token_hash = $1 AND used = FALSE`, tokenHash)
	if err != nil {
		return false, wrap(err, "use survey link")
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "use survey link")
}

// CreateSurveyResponse stores one anonymous response: answers by statement
// position (1-5); positions left out were not answered.
func CreateSurveyResponse(tx *Tx, surveyID, serviceID string, answers map[int]int) error {
	id := samordna.NewID()
	if _, err := tx.Exec(`INSERT INTO survey_responses (id, survey_id, service_id) VALUES ($1, $2, $3)`,
		id, surveyID, nullable(serviceID)); err != nil {
		return wrap(err, "create survey response")
	}
	for pos, v := range answers {
		if _, err := tx.Exec(`INSERT INTO survey_answers (response_id, position, value) VALUES ($1, $2, $3)`,
			id, pos, v); err != nil {
			return wrap(err, "create survey answer")
		}
	}
	return nil
}

// SurveyGroup is the raw figures of one group of respondents: the whole
// survey (ServiceID "") or those answering through links for one service.
type SurveyGroup struct {
	ServiceID   string
	ServiceName string
	Responses   int
	// Per statement position: how many answered it and the sum and the
	// count of each value 1-5.
	Answered []int
	Sum      []int
	Values   [][5]int
}

// SurveyGroups returns the survey's figures: first the whole survey, then
// each service with responses, by name. The caller hides groups under
// five.
func SurveyGroups(tx *Tx, surveyID string, questions int) ([]*SurveyGroup, error) {
	all := &SurveyGroup{}
	groups := []*SurveyGroup{all}
	byService := map[string]*SurveyGroup{}
	rows, err := tx.Query(`SELECT COALESCE(r.service_id, ''), COALESCE(s.name, ''), COUNT(*) FROM survey_responses r
		LEFT JOIN services s ON s.id = r.service_id WHERE r.survey_id = $1
		GROUP BY r.service_id, s.name ORDER BY s.name`, surveyID)
	if err != nil {
		return nil, wrap(err, "survey groups")
	}
	for rows.Next() {
		g := &SurveyGroup{}
		if err := rows.Scan(&g.ServiceID, &g.ServiceName, &g.Responses); err != nil {
			rows.Close()
			return nil, wrap(err, "survey groups")
		}
		all.Responses += g.Responses
		if g.ServiceID != "" {
			byService[g.ServiceID] = g
			groups = append(groups, g)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "survey groups")
	}
	for _, g := range groups {
		g.Answered, g.Sum, g.Values = make([]int, questions), make([]int, questions), make([][5]int, questions)
	}
	ar, err := tx.Query(`SELECT COALESCE(r.service_id, ''), a.position, a.value, COUNT(*) FROM survey_answers a
		JOIN survey_responses r ON r.id = a.response_id WHERE r.survey_id = $1
		GROUP BY r.service_id, a.position, a.value`, surveyID)
	if err != nil {
		return nil, wrap(err, "survey answers")
	}
	defer ar.Close()
	for ar.Next() {
		var svc string
		var pos, v, n int
		if err := ar.Scan(&svc, &pos, &v, &n); err != nil {
			return nil, wrap(err, "survey answers")
		}
		if pos < 0 || pos >= questions || v < 1 || v > 5 {
			continue
		}
		for _, g := range []*SurveyGroup{all, byService[svc]} {
			if g == nil {
				continue
			}
			g.Answered[pos] += n
			g.Sum[pos] += v * n
			g.Values[pos][v-1] += n
		}
	}
	return groups, wrap(ar.Err(), "survey answers")
}

// SurveyResponseCount counts the responses to the municipality's surveys
// created in [from, to). Indicator for the leadership's goals (user
// participation).
func SurveyResponseCount(tx *Tx, municipalityID string, from, to time.Time) (surveys, responses int, err error) {
	err = tx.QueryRow(`SELECT COUNT(DISTINCT s.id), COUNT(r.id) FROM surveys s
		LEFT JOIN survey_responses r ON r.survey_id = s.id
		WHERE s.municipality_id = $1 AND s.created_at >= $2 AND s.created_at < $3`, municipalityID, from, to).
		Scan(&surveys, &responses)
	return surveys, responses, wrap(err, "survey response count")
}
