package store

import (
	"time"

	"github.com/samordna/samordna"
)

// This file persists feedback from the person in an individual follow-up
// (FIT; seed 001 individual level): the municipality's items, each
// session's ratings (0-10), and the anonymous aggregates the leadership's
// goals read (FeedbackCounts).

// Feedback scales: how things are going, and how the session was.
const (
	ScaleOutcome = "outcome"
	ScaleSession = "session"
)

// FeedbackItem is one item the municipality rates on a 0-10 scale.
type FeedbackItem struct {
	ID             string
	MunicipalityID string
	Scale          string // ScaleOutcome or ScaleSession
	Label          string
	Position       int
	Active         bool
}

// FeedbackSession is one session's ratings in a case.
type FeedbackSession struct {
	ID             string
	CaseID         string
	MunicipalityID string
	ServiceID      string
	Date           string // YYYY-MM-DD
	Respondent     string // person, child, parent, family
	RecordedBy     string
	RecordedAt     time.Time
	Ratings        map[string]int // item id -> 0-10
	RecorderName   string         // filled by FeedbackSessionsOfCase
}

// CreateFeedbackItem inserts an item.
func CreateFeedbackItem(tx *Tx, it *FeedbackItem, at time.Time) error {
	if it.ID == "" {
		it.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO feedback_items (id, municipality_id, scale, label, position, active, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, it.ID, it.MunicipalityID, it.Scale, it.Label, it.Position, it.Active, at)
	return wrap(err, "create feedback item")
}

// UpdateFeedbackItem changes an item's label, position and whether it is
// in use. Old ratings keep pointing to it.
func UpdateFeedbackItem(tx *Tx, it *FeedbackItem) error {
	_, err := tx.Exec(`UPDATE feedback_items SET label = $2, position = $3, active = $4 WHERE id = $1`,
		it.ID, it.Label, it.Position, it.Active)
	return wrap(err, "update feedback item")
}

// FeedbackItems returns the municipality's items (active and retired),
// by scale and position.
func FeedbackItems(tx *Tx, municipalityID string) ([]*FeedbackItem, error) {
	rows, err := tx.Query(`SELECT id, municipality_id, scale, label, position, active FROM feedback_items
		WHERE municipality_id = $1 ORDER BY scale, position, id`, municipalityID)
	if err != nil {
		return nil, wrap(err, "feedback items")
	}
	defer rows.Close()
	var out []*FeedbackItem
	for rows.Next() {
		var it FeedbackItem
		if err := rows.Scan(&it.ID, &it.MunicipalityID, &it.Scale, &it.Label, &it.Position, &it.Active); err != nil {
			return nil, wrap(err, "feedback items")
		}
		out = append(out, &it)
	}
	return out, wrap(rows.Err(), "feedback items")
}

// CreateFeedbackSession inserts a session with its ratings.
func CreateFeedbackSession(tx *Tx, s *FeedbackSession) error {
	if s.ID == "" {
		s.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO feedback_sessions (id, case_id, municipality_id, service_id, session_date,
		respondent, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		s.ID, s.CaseID, s.MunicipalityID, nullable(s.ServiceID), s.Date, s.Respondent, s.RecordedBy, s.RecordedAt)
	if err != nil {
		return wrap(err, "create feedback session")
	}
	for item, v := range s.Ratings {
		if _, err := tx.Exec(`INSERT INTO feedback_ratings (session_id, item_id, value) VALUES ($1, $2, $3)`,
			s.ID, item, v); err != nil {
			return wrap(err, "create feedback rating")
		}
	}
	return nil
}

// FeedbackSessionsOfCase returns the case's sessions with their ratings,
// oldest first.
func FeedbackSessionsOfCase(tx *Tx, caseID string) ([]*FeedbackSession, error) {
	rows, err := tx.Query(`SELECT s.id, s.case_id, s.municipality_id, COALESCE(s.service_id, ''), s.session_date,
		s.respondent, s.recorded_by, s.recorded_at, e.name FROM feedback_sessions s
		JOIN employees e ON e.id = s.recorded_by WHERE s.case_id = $1 ORDER BY s.session_date, s.recorded_at, s.id`, caseID)
	if err != nil {
		return nil, wrap(err, "feedback sessions")
	}
	var out []*FeedbackSession
	byID := map[string]*FeedbackSession{}
	for rows.Next() {
		var s FeedbackSession
		if err := rows.Scan(&s.ID, &s.CaseID, &s.MunicipalityID, &s.ServiceID, &s.Date, &s.Respondent, &s.RecordedBy,
			&s.RecordedAt, &s.RecorderName); err != nil {
			rows.Close()
			return nil, wrap(err, "feedback sessions")
		}
		s.Ratings = map[string]int{}
		out = append(out, &s)
		byID[s.ID] = &s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap(err, "feedback sessions")
	}
	rr, err := tx.Query(`SELECT r.session_id, r.item_id, r.value FROM feedback_ratings r
		JOIN feedback_sessions s ON s.id = r.session_id WHERE s.case_id = $1`, caseID)
	if err != nil {
		return nil, wrap(err, "feedback ratings")
	}
	defer rr.Close()
	for rr.Next() {
		var sid, item string
		var v int
		if err := rr.Scan(&sid, &item, &v); err != nil {
			return nil, wrap(err, "feedback ratings")
		}
		if s := byID[sid]; s != nil {
			s.Ratings[item] = v
		}
	}
	return out, wrap(rr.Err(), "feedback ratings")
}

// FeedbackStats are anonymous figures of the feedback given in a period.
type FeedbackStats struct {
	Cases    int // distinct cases (families) with at least one session in the period
	Sessions int // sessions in the period
	// Of the cases with two or more sessions in the period, how many
	// ended with a higher mean outcome rating than they started.
	CasesWithTwo, CasesImproved int
	// MeanSession is the mean session rating (0-10) in the period, 0
	// when there are none.
	MeanSession float64
}

// FeedbackCounts returns the anonymous feedback figures of the
// municipality for sessions dated in [from, to) (dates YYYY-MM-DD,
// compared as dates), for the service serviceID ("" for all). Indicator
// for the leadership's goals ("families giving feedback"; FIT aggregates).
func FeedbackCounts(tx *Tx, municipalityID, serviceID string, from, to time.Time) (FeedbackStats, error) {
	var st FeedbackStats
	f, t := from.Format(time.DateOnly), to.Format(time.DateOnly)
	err := tx.QueryRow(`SELECT COUNT(DISTINCT case_id), COUNT(*) FROM feedback_sessions
		WHERE municipality_id = $1 AND ($2 = '' OR service_id = $2) AND session_date >= $3 AND session_date < $4`,
		municipalityID, serviceID, f, t).Scan(&st.Cases, &st.Sessions)
	if err != nil {
		return st, wrap(err, "feedback counts")
	}
	// Each session's mean rating per scale, in order; computed in Go so
	// that both databases round alike.
	rows, err := tx.Query(`SELECT s.case_id, s.id, i.scale, r.value FROM feedback_sessions s
		JOIN feedback_ratings r ON r.session_id = s.id JOIN feedback_items i ON i.id = r.item_id
		WHERE s.municipality_id = $1 AND ($2 = '' OR s.service_id = $2) AND s.session_date >= $3 AND s.session_date < $4
		ORDER BY s.case_id, s.session_date, s.recorded_at, s.id`, municipalityID, serviceID, f, t)
	if err != nil {
		return st, wrap(err, "feedback counts")
	}
	defer rows.Close()
	type mean struct{ sum, n int }
	var order []string
	sessionCase := map[string]string{}
	outcome := map[string]*mean{}
	var sessSum, sessN int
	for rows.Next() {
		var caseID, sid, scale string
		var v int
		if err := rows.Scan(&caseID, &sid, &scale, &v); err != nil {
			return st, wrap(err, "feedback counts")
		}
		if scale == ScaleSession {
			sessSum += v
			sessN++
			continue
		}
		if _, ok := outcome[sid]; !ok {
			outcome[sid] = &mean{}
			order = append(order, sid)
			sessionCase[sid] = caseID
		}
		outcome[sid].sum += v
		outcome[sid].n++
	}
	if err := rows.Err(); err != nil {
		return st, wrap(err, "feedback counts")
	}
	if sessN > 0 {
		st.MeanSession = float64(sessSum) / float64(sessN)
	}
	first, last, count := map[string]float64{}, map[string]float64{}, map[string]int{}
	for _, sid := range order {
		c, m := sessionCase[sid], outcome[sid]
		v := float64(m.sum) / float64(m.n)
		if count[c] == 0 {
			first[c] = v
		}
		last[c] = v
		count[c]++
	}
	for c, n := range count {
		if n >= 2 {
			st.CasesWithTwo++
			if last[c] > first[c] {
				st.CasesImproved++
			}
		}
	}
	return st, nil
}
