package store

import (
	"time"

	"github.com/samordna/samordna"
)

// System issue statuses (seed 002 §4.2: a TST sends system issues to the
// OST).
const (
	IssueSent       = "sent"        // sent; no OST meeting had room yet
	IssueOnAgenda   = "on_agenda"   // on an OST meeting's agenda
	IssueDecided    = "decided"     // the OST decided, named an owner and a deadline
	IssueFollowedUp = "followed_up" // the owner followed it up
)

// SystemIssue is an issue about how the services work together, naming no
// person, sent by a team to the OST.
type SystemIssue struct {
	ID             string
	MunicipalityID string
	FromTeamID     string
	ToTeamID       string // the OST
	MatterID       string // the matter it came from, "" when none
	MeetingID      string // the OST meeting whose agenda holds it, "" when none
	Title          string
	Description    string
	Status         string
	SentBy         string
	SentAt         time.Time
	Decision       string
	OwnerID        string // who follows up, "" until decided
	FollowUpDue    *time.Time
	DecidedBy      string
	DecidedAt      *time.Time
	FollowUpNote   string
	FollowedUpBy   string
	FollowedUpAt   *time.Time
}

const systemIssueColumns = `id, municipality_id, from_team_id, to_team_id, COALESCE(matter_id, ''),
	COALESCE(meeting_id, ''), title, description, status, sent_by, sent_at, decision, COALESCE(owner_id, ''),
	follow_up_due, COALESCE(decided_by, ''), decided_at, follow_up_note, COALESCE(followed_up_by, ''), followed_up_at`

// CreateSystemIssue inserts a sent issue.
func CreateSystemIssue(tx *Tx, x *SystemIssue) error {
	if x.ID == "" {
		x.ID = samordna.NewID()
	}
	_, err := tx.Exec(`INSERT INTO system_issues (id, municipality_id, from_team_id, to_team_id, matter_id, meeting_id,
		title, description, status, sent_by, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		x.ID, x.MunicipalityID, x.FromTeamID, x.ToTeamID, nullString(x.MatterID), nullString(x.MeetingID), x.Title,
		x.Description, x.Status, x.SentBy, x.SentAt.UTC())
	return wrap(err, "create system issue")
}

// DecideSystemIssue records the OST's decision, owner and deadline.
func DecideSystemIssue(tx *Tx, x *SystemIssue) error {
	_, err := tx.Exec(`UPDATE system_issues SET status = $2, decision = $3, owner_id = $4, follow_up_due = $5,
		decided_by = $6, decided_at = $7, meeting_id = $8 WHERE id = $1`, x.ID, x.Status, x.Decision, nullString(x.OwnerID),
		utcPtr(x.FollowUpDue), nullString(x.DecidedBy), utcPtr(x.DecidedAt), nullString(x.MeetingID))
	return wrap(err, "decide system issue")
}

// FollowUpSystemIssue records that the owner followed the issue up.
func FollowUpSystemIssue(tx *Tx, id, note, by string, at time.Time) error {
	_, err := tx.Exec(`UPDATE system_issues SET status = $2, follow_up_note = $3, followed_up_by = $4, followed_up_at = $5
		WHERE id = $1`, id, IssueFollowedUp, note, by, at.UTC())
	return wrap(err, "follow up system issue")
}

// SetSystemIssueMeeting puts the issue on an OST meeting's agenda.
func SetSystemIssueMeeting(tx *Tx, id, meetingID string) error {
	_, err := tx.Exec(`UPDATE system_issues SET meeting_id = $2, status = $3 WHERE id = $1`, id, meetingID, IssueOnAgenda)
	return wrap(err, "system issue meeting")
}

// SystemIssueByID returns the issue or samordna.ErrNotFound.
func SystemIssueByID(tx *Tx, id string) (*SystemIssue, error) {
	x, err := scanSystemIssue(tx.QueryRow(`SELECT `+systemIssueColumns+` FROM system_issues WHERE id = $1`, id))
	if err != nil {
		return nil, wrap(err, "system issue")
	}
	return x, nil
}

// SystemIssuesOfTeam returns the issues the team sent or received, newest
// first.
func SystemIssuesOfTeam(tx *Tx, teamID string) ([]*SystemIssue, error) {
	return querySystemIssues(tx, `SELECT `+systemIssueColumns+` FROM system_issues
		WHERE from_team_id = $1 OR to_team_id = $1 ORDER BY sent_at DESC, id`, teamID)
}

// SystemIssuesOfMeeting returns the issues on the meeting's agenda, oldest
// first.
func SystemIssuesOfMeeting(tx *Tx, meetingID string) ([]*SystemIssue, error) {
	return querySystemIssues(tx, `SELECT `+systemIssueColumns+` FROM system_issues
		WHERE meeting_id = $1 ORDER BY sent_at, id`, meetingID)
}

// UnplacedSystemIssues returns the OST's issues waiting for a meeting,
// oldest first.
func UnplacedSystemIssues(tx *Tx, toTeamID string) ([]*SystemIssue, error) {
	return querySystemIssues(tx, `SELECT `+systemIssueColumns+` FROM system_issues
		WHERE to_team_id = $1 AND status = 'sent' ORDER BY sent_at, id`, toTeamID)
}

// SystemIssuesSentInRange returns the issues the team sent in [from, to).
func SystemIssuesSentInRange(tx *Tx, teamID string, from, to time.Time) ([]*SystemIssue, error) {
	return querySystemIssues(tx, `SELECT `+systemIssueColumns+` FROM system_issues
		WHERE from_team_id = $1 AND sent_at >= $2 AND sent_at < $3 ORDER BY sent_at, id`, teamID, from.UTC(), to.UTC())
}

func scanSystemIssue(row interface{ Scan(...any) error }) (*SystemIssue, error) {
	var x SystemIssue
	var due, decided, followed nullTime
	if err := row.Scan(&x.ID, &x.MunicipalityID, &x.FromTeamID, &x.ToTeamID, &x.MatterID, &x.MeetingID, &x.Title,
		&x.Description, &x.Status, &x.SentBy, &x.SentAt, &x.Decision, &x.OwnerID, &due, &x.DecidedBy, &decided,
		&x.FollowUpNote, &x.FollowedUpBy, &followed); err != nil {
		return nil, err
	}
	x.SentAt = x.SentAt.UTC()
	x.FollowUpDue, x.DecidedAt, x.FollowedUpAt = due.ptr(), decided.ptr(), followed.ptr()
	return &x, nil
}

func querySystemIssues(tx *Tx, q string, args ...any) ([]*SystemIssue, error) {
	rows, err := tx.Query(q, args...)
	if err != nil {
		return nil, wrap(err, "system issues")
	}
	defer rows.Close()
	var out []*SystemIssue
	for rows.Next() {
		x, err := scanSystemIssue(rows)
		if err != nil {
			return nil, wrap(err, "system issues")
		}
		out = append(out, x)
	}
	return out, wrap(rows.Err(), "system issues")
}

// utcPtr gives a nullable time for a column: nil stays NULL.
func utcPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// PersonNames returns the names of the municipality's registered persons,
// for refusing text that names one of them (a system issue names nobody).
func PersonNames(tx *Tx, municipalityID string) ([]string, error) {
	return queryCodes(tx, "person names", `SELECT name FROM persons WHERE municipality_id = $1 AND name <> ''`, municipalityID)
}
