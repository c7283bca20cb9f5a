package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/access"
	"github.com/samordna/samordna/pathway"
	"github.com/samordna/samordna/store"
)

// This file is feedback from the person in an individual follow-up (FIT).
// Seed 001, individual level: "Sikre at tilbakemelding innhentes fra alle
// barn/familier i målgruppa som gis oppfølging/tiltak" and "Sikre at
// ansatte aktivt og systematisk anvender tilbakemeldingsverktøy i møte med
// det enkelte barn/familie"; tool column: FIT. Each session records the
// person's own ratings (0-10) of how things are going (outcome items) and
// of the session (session items). The municipality names the items;
// Samordna ships neutral defaults (ORS and SRS are licensed instruments
// whose texts it does not copy). The employee is told when there is no
// progress after NoProgressSessions sessions or the alliance is weak.

// Thresholds of the flags.
const (
	// NoProgressSessions: from this many sessions on, an outcome mean
	// not above the first session's is "no progress".
	NoProgressSessions = 3
	// WeakAllianceBelow: a session mean below this is a weak alliance.
	WeakAllianceBelow = 6.0
)

// DefaultFeedbackItems are the neutral items a municipality starts with
// (bokmål; the administrator renames them).
var DefaultFeedbackItems = []store.FeedbackItem{
	{Scale: store.ScaleOutcome, Label: "Hverdagen min"},
	{Scale: store.ScaleOutcome, Label: "Det vi jobber med"},
	{Scale: store.ScaleSession, Label: "Samtalen i dag var nyttig for meg"},
	{Scale: store.ScaleSession, Label: "Jeg fikk sagt det jeg ville"},
}

// FeedbackRespondents are who can give the ratings.
var FeedbackRespondents = []string{"person", "child", "parent", "family"}

// FeedbackInput is one session's ratings.
type FeedbackInput struct {
	Date       string         // YYYY-MM-DD; "" for today
	Respondent string         // FeedbackRespondents; "" for person
	Ratings    map[string]int // item id -> 0-10; every active item
}

// FeedbackPoint is one session in the chart: the means per scale.
type FeedbackPoint struct {
	Session       *store.FeedbackSession
	Outcome       float64 // mean of the outcome items, 0-10
	SessionRating float64 // mean of the session items, 0-10
	HasOutcome    bool
	HasSession    bool
}

// FeedbackView is a case's feedback: the items, the sessions with their
// means, and the flags.
type FeedbackView struct {
	Items      []*store.FeedbackItem // active items, outcome first
	Points     []FeedbackPoint
	NoProgress bool // NoProgressSessions or more sessions, and the last outcome mean not above the first
	WeakAlly   bool // the last session's session mean is below WeakAllianceBelow
	CanWrite   bool
}

// feedbackItems returns the municipality's items, creating the defaults
// the first time.
func (a *App) feedbackItems(tx *store.Tx, municipalityID string) ([]*store.FeedbackItem, error) {
	items, err := store.FeedbackItems(tx, municipalityID)
	if err != nil || len(items) > 0 {
		return items, err
	}
	for i, d := range DefaultFeedbackItems {
		it := d
		it.MunicipalityID, it.Position, it.Active = municipalityID, i, true
		if err := store.CreateFeedbackItem(tx, &it, a.now()); err != nil {
			return nil, err
		}
	}
	return store.FeedbackItems(tx, municipalityID)
}

// activeItems keeps the active items, outcome scale first.
func activeItems(items []*store.FeedbackItem) []*store.FeedbackItem {
	var out []*store.FeedbackItem
	for _, s := range []string{store.ScaleOutcome, store.ScaleSession} {
		for _, it := range items {
			if it.Active && it.Scale == s {
				out = append(out, it)
			}
		}
	}
	return out
}

// FeedbackItems returns the municipality's items (retired ones too),
// creating the neutral defaults the first time. Who may call: any
// signed-in employee (the items are the municipality's wording, not
// personal data).
func (a *App) FeedbackItems(ctx context.Context, actor *samordna.Actor) ([]*store.FeedbackItem, error) {
	var out []*store.FeedbackItem
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		mid, err := a.municipalityID(tx, actor)
		if err != nil {
			return err
		}
		out, err = a.feedbackItems(tx, mid)
		return err
	})
	return out, err
}

// SaveFeedbackItem adds an item (id "") or renames, moves or retires one.
// Who may call: the administrator; anyone else gets samordna.ErrNotFound.
// Errors: invalid_scale, label_required, label_too_long (400); not_found
// for an item of another municipality. One audit row.
func (a *App) SaveFeedbackItem(ctx context.Context, actor *samordna.Actor, it store.FeedbackItem) (*store.FeedbackItem, error) {
	if !isAdminOrCLI(actor) {
		return nil, a.refuse(ctx, actor, "feedback_item", "save")
	}
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		mid, err := a.municipalityID(tx, actor)
		if err != nil {
			return err
		}
		items, err := a.feedbackItems(tx, mid)
		if err != nil {
			return err
		}
		if it.Label, err = cleanText(it.Label, 200, "label_too_long", "the label"); err != nil {
			return err
		}
		if it.Label == "" {
			return samordna.Errorf(samordna.KindInvalid, "label_required", "name the item")
		}
		if it.ID == "" {
			if it.Scale != store.ScaleOutcome && it.Scale != store.ScaleSession {
				return samordna.Errorf(samordna.KindInvalid, "invalid_scale", "scale is outcome or session")
			}
			it.MunicipalityID, it.Active, it.Position = mid, true, len(items)
			if err := store.CreateFeedbackItem(tx, &it, a.now()); err != nil {
				return err
			}
		} else {
			i := slices.IndexFunc(items, func(x *store.FeedbackItem) bool { return x.ID == it.ID })
			if i < 0 {
				return samordna.ErrNotFound
			}
			it.Scale, it.MunicipalityID = items[i].Scale, mid
			if err := store.UpdateFeedbackItem(tx, &it); err != nil {
				return err
			}
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "feedback_item", ObjectID: it.ID, Action: "save"})
	})
	if err != nil {
		return nil, err
	}
	return &it, nil
}

// RecordFeedback records one session's ratings in a case. Every active
// item needs a whole number 0-10. When the session shows no progress or a
// weak alliance, the employee is notified (and the view says so). Who may
// call: an employee who may write to the case; anyone else gets
// samordna.ErrNotFound. Errors: invalid_date, date_in_future,
// invalid_respondent, rating_required, invalid_rating, unknown_item (400).
// One audit row and a case event.
func (a *App) RecordFeedback(ctx context.Context, actor *samordna.Actor, caseID string, in FeedbackInput) (*FeedbackView, error) {
	var v *FeedbackView
	err := a.withCase(ctx, actor, caseID, access.Write, "record_feedback", func(tx *store.Tx, g *caseGrant) error {
		items, err := a.feedbackItems(tx, g.Case.MunicipalityID)
		if err != nil {
			return err
		}
		s, err := a.checkFeedback(activeItems(items), in)
		if err != nil {
			return err
		}
		s.CaseID, s.MunicipalityID, s.RecordedBy, s.RecordedAt = g.Case.ID, g.Case.MunicipalityID, actor.Employee.ID, a.now()
		if len(actor.Employee.Services) > 0 {
			s.ServiceID = actor.Employee.Services[0].ID
		}
		if err := store.CreateFeedbackSession(tx, s); err != nil {
			return err
		}
		if v, err = a.feedbackView(tx, actor, g, items); err != nil {
			return err
		}
		if v.NoProgress || v.WeakAlly {
			if err := a.notify(tx, []string{actor.Employee.ID}, NoticeFeedbackFlag, g.Case.ID, "", ""); err != nil {
				return err
			}
		}
		if err := a.caseEvent(tx, actor, g.Case.ID, "feedback_recorded", "feedback_session", s.ID); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "record_feedback", "feedback_session", s.ID)
	})
	return v, err
}

// checkFeedback validates the input against the active items.
func (a *App) checkFeedback(items []*store.FeedbackItem, in FeedbackInput) (*store.FeedbackSession, error) {
	s := &store.FeedbackSession{Respondent: in.Respondent, Ratings: map[string]int{}}
	if s.Respondent == "" {
		s.Respondent = "person"
	}
	if !slices.Contains(FeedbackRespondents, s.Respondent) {
		return nil, samordna.Errorf(samordna.KindInvalid, "invalid_respondent", "respondent is one of %s",
			strings.Join(FeedbackRespondents, ", "))
	}
	d, err := cleanDate(in.Date, "date")
	if err != nil {
		return nil, err
	}
	today := a.now().In(pathway.Oslo()).Format(time.DateOnly)
	if d == "" {
		d = today
	}
	if d > today {
		return nil, samordna.Errorf(samordna.KindInvalid, "date_in_future", "the session cannot be later than today")
	}
	s.Date = d
	for id := range in.Ratings {
		if !slices.ContainsFunc(items, func(it *store.FeedbackItem) bool { return it.ID == id }) {
			return nil, samordna.Errorf(samordna.KindInvalid, "unknown_item", "a rating names an item not in use")
		}
	}
	for _, it := range items {
		v, ok := in.Ratings[it.ID]
		if !ok {
			return nil, samordna.Errorf(samordna.KindInvalid, "rating_required", "rate every item (0-10)")
		}
		if v < 0 || v > 10 {
			return nil, samordna.Errorf(samordna.KindInvalid, "invalid_rating", "a rating is a whole number from 0 to 10")
		}
		s.Ratings[it.ID] = v
	}
	return s, nil
}

// CaseFeedback returns the case's sessions with their means and flags.
// Who may call: a reader of the case; anyone else gets
// samordna.ErrNotFound. One audit row.
func (a *App) CaseFeedback(ctx context.Context, actor *samordna.Actor, caseID string) (*FeedbackView, error) {
	var v *FeedbackView
	err := a.withCase(ctx, actor, caseID, access.Read, "read_feedback", func(tx *store.Tx, g *caseGrant) error {
		items, err := a.feedbackItems(tx, g.Case.MunicipalityID)
		if err != nil {
			return err
		}
		if v, err = a.feedbackView(tx, actor, g, items); err != nil {
			return err
		}
		return a.auditCase(tx, actor, g, "read_feedback", "case", g.Case.ID)
	})
	return v, err
}

// feedbackView computes the means and flags of the case's sessions.
func (a *App) feedbackView(tx *store.Tx, actor *samordna.Actor, g *caseGrant, items []*store.FeedbackItem) (*FeedbackView, error) {
	sessions, err := store.FeedbackSessionsOfCase(tx, g.Case.ID)
	if err != nil {
		return nil, err
	}
	scale := map[string]string{}
	for _, it := range items {
		scale[it.ID] = it.Scale
	}
	v := &FeedbackView{Items: activeItems(items),
		CanWrite: g.Case.Status == samordna.CaseOpen && access.Can(access.SubjectOf(actor.Employee), access.Write, g.Facts)}
	for _, s := range sessions {
		p := FeedbackPoint{Session: s}
		var os, on, ss, sn int
		for id, val := range s.Ratings {
			if scale[id] == store.ScaleOutcome {
				os, on = os+val, on+1
			} else {
				ss, sn = ss+val, sn+1
			}
		}
		if on > 0 {
			p.Outcome, p.HasOutcome = float64(os)/float64(on), true
		}
		if sn > 0 {
			p.SessionRating, p.HasSession = float64(ss)/float64(sn), true
		}
		v.Points = append(v.Points, p)
	}
	v.NoProgress, v.WeakAlly = feedbackFlags(v.Points)
	return v, nil
}

// feedbackFlags: no progress when there are NoProgressSessions sessions
// or more and the last outcome mean is not above the first; a weak
// alliance when the last session's session mean is below
// WeakAllianceBelow.
func feedbackFlags(points []FeedbackPoint) (noProgress, weak bool) {
	if len(points) == 0 {
		return false, false
	}
	first, last := points[0], points[len(points)-1]
	noProgress = len(points) >= NoProgressSessions && first.HasOutcome && last.HasOutcome && last.Outcome <= first.Outcome
	weak = last.HasSession && last.SessionRating < WeakAllianceBelow
	return noProgress, weak
}

// FeedbackSummary is the anonymous figures of a year: the municipality's
// and each service's. Figures from fewer than five families are hidden
// (Hidden) so that no one can be recognised.
type FeedbackSummary struct {
	Year     int
	All      FeedbackFigures
	Services []FeedbackFigures
}

// FeedbackFigures is one row of the summary.
type FeedbackFigures struct {
	ServiceID, ServiceName string
	Hidden                 bool // fewer than five families: show "under 5" and nothing else
	store.FeedbackStats
}

// MinGroup is the smallest group whose figures are shown.
const MinGroup = 5

// FeedbackYear returns the anonymous feedback figures of a year (Oslo
// time). Who may call: service leaders; anyone else gets
// samordna.ErrNotFound. One audit row.
func (a *App) FeedbackYear(ctx context.Context, actor *samordna.Actor, year int) (*FeedbackSummary, error) {
	if !isServiceLeader(actor) {
		return nil, a.refuse(ctx, actor, "feedback_summary", "read")
	}
	out := &FeedbackSummary{Year: year}
	err := a.DB.Write(ctx, func(tx *store.Tx) error {
		mid, err := a.municipalityID(tx, actor)
		if err != nil {
			return err
		}
		from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
		to := from.AddDate(1, 0, 0)
		st, err := store.FeedbackCounts(tx, mid, "", from, to)
		if err != nil {
			return err
		}
		out.All = figures("", "", st)
		services, err := store.ServicesOfMunicipality(tx, mid)
		if err != nil {
			return err
		}
		for _, s := range services {
			st, err := store.FeedbackCounts(tx, mid, s.ID, from, to)
			if err != nil {
				return err
			}
			if st.Sessions > 0 {
				out.Services = append(out.Services, figures(s.ID, s.Name, st))
			}
		}
		return a.audit(tx, actor, samordna.AuditEvent{ObjectType: "feedback_summary", Action: "read"})
	})
	return out, err
}

// figures hides the figures of fewer than MinGroup families.
func figures(id, name string, st store.FeedbackStats) FeedbackFigures {
	f := FeedbackFigures{ServiceID: id, ServiceName: name, FeedbackStats: st}
	if st.Cases < MinGroup {
		f.Hidden = true
		f.FeedbackStats = store.FeedbackStats{}
	}
	return f
}

// isServiceLeader reports whether the actor leads a service (role
// service_leader). The administrator, who sees no case content, does not
// count, even holding the role as well (as the access matrix reads
// "role:service_leader").
func isServiceLeader(actor *samordna.Actor) bool {
	return actor != nil && actor.Employee != nil &&
		actor.Employee.HasRole(samordna.RoleServiceLeader) && !actor.Employee.HasRole(samordna.RoleAdmin)
}
