package web

import (
	"net/http"
	"strings"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/reqctx"
)

// PeoplePicker is one field where the user chooses a colleague by name: a
// select of the people they may choose, grouped by service (the partial
// "people-picker" in layout.html). app.js turns it into a combobox that
// filters the same options as you type; without JavaScript the select
// stays. The submitted value is the username, which the app checks again.
type PeoplePicker struct {
	ID, Name    string
	DescribedBy string // ids of the hint and error, or ""
	Required    bool
	Invalid     bool
	Blank       string // the text of the empty first option
	NoMatch     string // what the combobox says when nothing matches
	Groups      []PickerGroup
}

// PickerGroup is the people of one service.
type PickerGroup struct {
	Label   string
	Options []PickerOption
}

// PickerOption is one person: the label shows name, title or role and
// services; Value is the username and never shown.
type PickerOption struct {
	Value, Label string
	Selected     bool
}

// peopleLoader loads the choosable people once per page.
type peopleLoader struct {
	load   func() ([]*samordna.Employee, error)
	people []*samordna.Employee
	err    error
	done   bool
}

func (l *peopleLoader) get() ([]*samordna.Employee, error) {
	if !l.done {
		l.people, l.err = l.load()
		l.done = true
	}
	return l.people, l.err
}

// peopleFor returns the loader of the people the request's user may choose.
func (s *Server) peopleFor(r *http.Request) *peopleLoader {
	return &peopleLoader{load: func() ([]*samordna.Employee, error) {
		return s.app.ChoosablePeople(r.Context(), reqctx.Actor(r.Context()))
	}}
}

// Picker builds the people picker for one field:
//
//	{{template "people-picker" ($.Picker "consult-adviser" "adviser" $d.Adviser "consult-adviser-hint" "optional")}}
//
// selected is the username to preselect (a refill). Flags: "optional"
// offers an empty choice ("nobody"); "keep" keeps a selected value that is
// not a choosable person as its own option (a measure's responsible
// written as free text before). describedBy may be "".
func (p *Page) Picker(id, name, selected, describedBy string, flags ...string) (*PeoplePicker, error) {
	people, err := p.people.get()
	if err != nil {
		return nil, err
	}
	pk := &PeoplePicker{ID: id, Name: name, DescribedBy: describedBy, Required: true,
		Blank: p.T("picker.choose"), NoMatch: p.T("picker.no_match"), Invalid: p.Invalid(id)}
	if pk.Invalid {
		pk.DescribedBy = strings.TrimSpace(describedBy + " " + id + "-error")
	}
	keep := false
	for _, f := range flags {
		switch f {
		case "optional":
			pk.Required, pk.Blank = false, p.T("picker.nobody")
		case "keep":
			keep = true
		}
	}
	selected = strings.TrimSpace(selected)
	found := false
	index := map[string]int{}
	for _, e := range people {
		group := p.T("picker.no_service")
		if len(e.Services) > 0 {
			group = e.Services[0].Name
		}
		i, ok := index[group]
		if !ok {
			i = len(pk.Groups)
			index[group] = i
			pk.Groups = append(pk.Groups, PickerGroup{Label: group})
		}
		sel := selected != "" && strings.EqualFold(e.Username, selected)
		found = found || sel
		pk.Groups[i].Options = append(pk.Groups[i].Options,
			PickerOption{Value: e.Username, Label: p.personLabel(e), Selected: sel})
	}
	if keep && selected != "" && !found {
		pk.Groups = append(pk.Groups, PickerGroup{Label: p.T("picker.written"),
			Options: []PickerOption{{Value: selected, Label: selected, Selected: true}}})
	}
	return pk, nil
}

// personLabel is "Name (title or role, services)" in the page's language.
func (p *Page) personLabel(e *samordna.Employee) string {
	what := strings.TrimSpace(e.Title)
	if what == "" {
		what = p.T("org.role." + string(app.PrimaryRole(e)))
	}
	parts := []string{what}
	for _, s := range e.Services {
		parts = append(parts, s.Name)
	}
	return e.Name + " (" + strings.Join(parts, ", ") + ")"
}

// PersonName is the name of the choosable person whose username s is (a
// measure's responsible as a people picker sent it), so that pages show
// people by name, never by username; anything else (a name written as
// free text) is returned as it is.
//
//	{{$.PersonName .Responsible}}
func (p *Page) PersonName(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	people, err := p.people.get()
	if err != nil {
		return "", err
	}
	for _, e := range people {
		if strings.EqualFold(e.Username, s) {
			return e.Name, nil
		}
	}
	return s, nil
}
