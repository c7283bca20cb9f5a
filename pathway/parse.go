package pathway

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Error is a problem in a routine document, with the file and line it is on,
// so that whoever edits the YAML can find it.
type Error struct {
	File string
	Line int // 1-based; 0 when the line is not known
	Msg  string
}

// Error formats the problem as "file:line: msg".
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// idPattern is the form of routine and step ids: lowercase letters and
// digits in groups joined by single hyphens ("ulstein-rus-sped-smabarn",
// "row-01"). Ids end up in URLs and in stored cases.
var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// outcomePattern is the form of outcome names ("given", "refused").
var outcomePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// yamlLine picks the line out of yaml.v3's "yaml: line N: msg" errors.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse reads one routine document. name is used in error messages only
// (normally the file name). All problems found are returned together
// (errors.Join of *Error, each with its line); the routine is nil then.
//
// The document format:
//
//	id: ulstein-rus-sped-smabarn   # required, lowercase letters, digits, hyphens
//	version: 1                     # required, integer >= 1
//	name: ...                      # required, Norwegian
//	municipality: ...              # required
//	source: ...                    # optional: which document it is taken from
//	valid_from: 2014-01-01         # optional: the date the routine applies from
//	revised: 2016-10               # optional: when it was last revised (YYYY-MM or YYYY-MM-DD)
//	owner: ...                     # optional: the unit responsible for the routine
//	situations:                    # optional; if given, every step situation must be
//	  - id: unclear_concern        #   listed and every listed one must start a step
//	    label: ...
//	steps:                         # required, at least one
//	  - id: row-01                 # required, unique
//	    situation: unclear_concern # a situation, or a list of them, OR
//	    event: deviation           #   an event: exactly one of the two
//	    situation_text: ...        # optional, verbatim
//	    title: ...                 # optional short title of the task (else the action's first line)
//	    action: ...                # required, verbatim
//	    responsible: discoverer    # required, see Responsibles
//	    responsible_text: ...      # optional, verbatim
//	    deadline: P1W              # required, see ParseDeadline
//	    deadline_text: ...         # optional, verbatim
//	    working_days: true         # optional
//	    references: [...]          # optional
//	    next: [row-02]             # optional step ids
//	    outcomes: {given: [row-04], refused: [row-05]}  # optional
//	    offers: [consultation]     # optional, see Offers
//	    done_when: [meeting_planned] # optional events that end the step's task
//	    problems: [substance_use]  # optional: only for concerns that record one
//	    records: [conversation, children, advice] # optional: what completing the task writes down, see Records
func Parse(name string, data []byte) (*Routine, error) {
	p := &parser{file: name}
	r := p.parse(data)
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return r, nil
}

// parser collects the problems of one document.
type parser struct {
	file string
	errs []error
}

func (p *parser) errorf(line int, format string, args ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// link is a reference from one step to another, checked once all step ids
// are known.
type link struct {
	to   string
	line int
}

func (p *parser) parse(data []byte) *Routine {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		switch {
		case errors.Is(err, io.EOF):
			p.errorf(1, "empty document")
		case tabIndentLine(data) > 0:
			// yaml.v3 reports a tab in the indentation on an earlier line.
			p.errorf(tabIndentLine(data), "tab in indentation: indent with spaces")
		default:
			p.yamlError(err)
		}
		return nil
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		p.errorf(extra.Line, "more than one YAML document: put each routine in its own file")
		return nil
	} else if !errors.Is(err, io.EOF) {
		p.yamlError(err)
		return nil
	}
	if len(doc.Content) == 0 {
		p.errorf(1, "empty document")
		return nil
	}
	root := doc.Content[0]
	if p.noAliases(root); len(p.errs) > 0 {
		return nil
	}

	top, ok := p.fields(root, "routine", "id", "version", "name", "municipality", "source", "valid_from",
		"revised", "owner", "max_age", "situations", "steps")
	if !ok {
		return nil
	}
	r := &Routine{File: p.file}
	r.ID = p.id(top, root, "id")
	if v, ok := p.required(top, root, "version"); ok {
		r.versionLine = v.Line
		n, err := strconv.Atoi(v.Value)
		switch {
		case v.Kind != yaml.ScalarNode || v.Tag != "!!int" || err != nil:
			p.errorf(v.Line, "version must be an integer, got %q", v.Value)
		case n < 1:
			p.errorf(v.Line, "version must be 1 or more, got %d", n)
		default:
			r.Version = n
		}
	}
	r.Name = p.requiredText(top, root, "name")
	r.Municipality = p.requiredText(top, root, "municipality")
	r.Source = p.optionalText(top, "source")
	r.ValidFrom = p.optionalDate(top, "valid_from", time.DateOnly)
	r.Revised = p.optionalDate(top, "revised", "2006-01", time.DateOnly)
	r.Owner = p.optionalText(top, "owner")
	if v := top["max_age"]; v != nil && !isNull(v) {
		n, err := strconv.Atoi(v.Value)
		if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || err != nil || n < 0 || n > 120 {
			p.errorf(v.Line, "max_age must be a whole number of years from 0 to 120, got %q", v.Value)
		} else {
			r.MaxAge = &n
		}
	}

	declared := p.situations(top, r)

	stepsNode, ok := p.required(top, root, "steps")
	if !ok {
		return r
	}
	if stepsNode.Kind != yaml.SequenceNode || len(stepsNode.Content) == 0 {
		p.errorf(stepsNode.Line, "steps must be a non-empty list")
		return r
	}
	stepLines := map[string]int{}
	var links []link
	situationUsed := map[Situation]bool{}
	for _, n := range stepsNode.Content {
		s, stepLinks, ok := p.step(n, declared)
		if !ok {
			continue
		}
		if s.ID != "" {
			if first, dup := stepLines[s.ID]; dup {
				p.errorf(n.Line, "duplicate step id %q (first on line %d)", s.ID, first)
			} else {
				stepLines[s.ID] = n.Line
			}
		}
		for _, sit := range s.Situations {
			situationUsed[sit] = true
		}
		links = append(links, stepLinks...)
		r.Steps = append(r.Steps, s)
	}
	for _, l := range links {
		if _, ok := stepLines[l.to]; !ok {
			p.errorf(l.line, "unknown step %q", l.to)
		}
	}
	for _, sit := range r.Situations {
		if !situationUsed[sit.ID] {
			p.errorf(declared[sit.ID], "situation %q starts no step", sit.ID)
		}
	}
	return r
}

// optionalDate returns the value of key when it is a date in one of the
// layouts (as written), "" when absent.
func (p *parser) optionalDate(m map[string]*yaml.Node, key string, layouts ...string) string {
	n := m[key]
	if n == nil || isNull(n) {
		return ""
	}
	v := n.Value
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!timestamp") {
		v = "" // a date written bare (2014-01-01) is a YAML timestamp; anything else is not a date
	}
	for _, l := range layouts {
		if _, err := time.Parse(l, v); err == nil {
			return v
		}
	}
	p.errorf(n.Line, "%s must be a date (%s), got %q", key, strings.Join(layouts, " or "), v)
	return ""
}

// yamlError turns a yaml.v3 syntax error into an *Error with its line.
func (p *parser) yamlError(err error) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		p.errorf(line, "%s", m[2])
		return
	}
	p.errorf(0, "%s", strings.TrimPrefix(msg, "yaml: "))
}

// tabIndentLine returns the first non-blank line indented with a tab, or 0.
func tabIndentLine(data []byte) int {
	for i, line := range strings.Split(string(data), "\n") {
		rest := strings.TrimLeft(line, " \t")
		if rest != "" && strings.Contains(line[:len(line)-len(rest)], "\t") {
			return i + 1
		}
	}
	return 0
}

// noAliases refuses anchors and aliases: a routine is read by people, and
// every step should say all it says in one place.
func (p *parser) noAliases(n *yaml.Node) {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		p.errorf(n.Line, "YAML anchors and aliases are not supported")
		return
	}
	for _, c := range n.Content {
		p.noAliases(c)
	}
}

// fields checks that n is a mapping whose keys are all allowed and appear
// once, and returns the value nodes by key.
func (p *parser) fields(n *yaml.Node, what string, allowed ...string) (map[string]*yaml.Node, bool) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n.Line, "%s must be a mapping of fields", what)
		return nil, false
	}
	out := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch {
		case !slices.Contains(allowed, k.Value):
			p.errorf(k.Line, "unknown field %q in %s (allowed: %s)", k.Value, what, strings.Join(allowed, ", "))
		case out[k.Value] != nil:
			p.errorf(k.Line, "field %q given twice in %s", k.Value, what)
		default:
			out[k.Value] = v
		}
	}
	return out, true
}

// isNull reports whether n is an empty value ("key:" with nothing after).
func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// required returns the value of key, reporting it missing on the parent's
// line.
func (p *parser) required(m map[string]*yaml.Node, parent *yaml.Node, key string) (*yaml.Node, bool) {
	v := m[key]
	if v == nil || isNull(v) {
		p.errorf(parent.Line, "missing %s", key)
		return nil, false
	}
	return v, true
}

// str returns n's text, which must be a plain string (quote numbers).
func (p *parser) str(n *yaml.Node, key string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		p.errorf(n.Line, "%s must be a string", key)
		return "", false
	}
	return n.Value, true
}

// requiredText returns the non-empty string value of key.
func (p *parser) requiredText(m map[string]*yaml.Node, parent *yaml.Node, key string) string {
	v, ok := p.required(m, parent, key)
	if !ok {
		return ""
	}
	s, ok := p.str(v, key)
	if ok && strings.TrimSpace(s) == "" {
		p.errorf(v.Line, "%s must not be empty", key)
	}
	return s
}

// optionalText returns the string value of key, or "".
func (p *parser) optionalText(m map[string]*yaml.Node, key string) string {
	v := m[key]
	if v == nil || isNull(v) {
		return ""
	}
	s, _ := p.str(v, key)
	return s
}

// id returns the id-shaped string value of key.
func (p *parser) id(m map[string]*yaml.Node, parent *yaml.Node, key string) string {
	v, ok := p.required(m, parent, key)
	if !ok {
		return ""
	}
	s, ok := p.str(v, key)
	if !ok {
		return ""
	}
	if !idPattern.MatchString(s) {
		p.errorf(v.Line, "%s %q must be lowercase letters and digits joined by single hyphens", key, s)
	}
	return s
}

// list returns the items of a sequence of strings (empty for a null value).
func (p *parser) list(n *yaml.Node, key string) ([]string, []*yaml.Node) {
	if n == nil || isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n.Line, "%s must be a list", key)
		return nil, nil
	}
	var out []string
	var nodes []*yaml.Node
	for _, item := range n.Content {
		s, ok := p.str(item, key+" item")
		if !ok {
			continue
		}
		if strings.TrimSpace(s) == "" {
			p.errorf(item.Line, "%s item must not be empty", key)
			continue
		}
		out = append(out, s)
		nodes = append(nodes, item)
	}
	return out, nodes
}

// situations reads the routine's optional list of situations and returns
// the line of each declared one (nil when the list is absent).
func (p *parser) situations(top map[string]*yaml.Node, r *Routine) map[Situation]int {
	n := top["situations"]
	if n == nil || isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n.Line, "situations must be a list")
		return nil
	}
	declared := map[Situation]int{}
	for _, item := range n.Content {
		f, ok := p.fields(item, "situation", "id", "label")
		if !ok {
			continue
		}
		var sit Situation
		if v, ok := p.required(f, item, "id"); ok {
			if s, ok := p.str(v, "id"); ok {
				sit = Situation(s)
				if !sit.Valid() {
					p.errorf(v.Line, "unknown situation %q (known: %s)", s, joinValues(Situations()))
					sit = ""
				} else if first, dup := declared[sit]; dup {
					p.errorf(v.Line, "situation %q listed twice (first on line %d)", s, first)
					sit = ""
				}
			}
		}
		label := p.requiredText(f, item, "label")
		if sit != "" {
			declared[sit] = item.Line
			r.Situations = append(r.Situations, RoutineSituation{ID: sit, Label: label})
		}
	}
	return declared
}

// stepFields are the fields a step may have.
var stepFields = []string{
	"id", "situation", "event", "situation_text", "action", "responsible", "responsible_text",
	"deadline", "deadline_text", "working_days", "references", "next", "outcomes", "offers", "done_when",
	"problems", "title", "records",
}

// step reads one step. It returns the links to other steps for checking
// once all ids are known; ok is false when n is not a mapping at all.
func (p *parser) step(n *yaml.Node, declared map[Situation]int) (Step, []link, bool) {
	f, ok := p.fields(n, "step", stepFields...)
	if !ok {
		return Step{}, nil, false
	}
	var s Step
	var links []link
	s.ID = p.id(f, n, "id")

	sitNode, evNode := f["situation"], f["event"]
	hasSit := sitNode != nil && !isNull(sitNode)
	hasEv := evNode != nil && !isNull(evNode)
	switch {
	case !hasSit && !hasEv:
		p.errorf(n.Line, "step %q has neither situation nor event: say what starts it", s.ID)
	case hasSit && hasEv:
		p.errorf(evNode.Line, "step %q has both situation and event: give one", s.ID)
	case hasSit:
		s.Situations = p.stepSituations(sitNode, declared)
	default:
		if v, ok := p.str(evNode, "event"); ok {
			if e := Event(v); e.Valid() {
				s.Event = e
			} else {
				p.errorf(evNode.Line, "unknown event %q (known: %s)", v, joinValues(Events()))
			}
		}
	}

	s.SituationText = p.optionalText(f, "situation_text")
	s.Title = p.optionalText(f, "title")
	s.Action = p.requiredText(f, n, "action")
	if v, ok := p.required(f, n, "responsible"); ok {
		if str, ok := p.str(v, "responsible"); ok {
			if r := Responsible(str); r.Valid() {
				s.Responsible = r
			} else {
				p.errorf(v.Line, "unknown responsible %q (known: %s)", str, joinValues(Responsibles()))
			}
		}
	}
	s.ResponsibleText = p.optionalText(f, "responsible_text")
	if v, ok := p.required(f, n, "deadline"); ok {
		if str, ok := p.str(v, "deadline"); ok {
			d, err := ParseDeadline(str)
			if err != nil {
				p.errorf(v.Line, "%v", err)
			}
			s.Deadline = d
		}
	}
	s.DeadlineText = p.optionalText(f, "deadline_text")
	if v := f["working_days"]; v != nil && !isNull(v) {
		b, err := strconv.ParseBool(v.Value)
		if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" || err != nil {
			p.errorf(v.Line, "working_days must be true or false")
		}
		s.WorkingDays = b
	}
	s.References, _ = p.list(f["references"], "references")

	next, nextNodes := p.list(f["next"], "next")
	s.Next = next
	for i, id := range next {
		links = append(links, link{to: id, line: nextNodes[i].Line})
	}
	if v := f["outcomes"]; v != nil && !isNull(v) {
		s.Outcomes = p.outcomes(v, &links)
	}

	offers, offerNodes := p.list(f["offers"], "offers")
	for i, o := range offers {
		switch {
		case !Offer(o).Valid():
			p.errorf(offerNodes[i].Line, "unknown offer %q (known: %s)", o, joinValues(Offers()))
		case slices.Contains(offers[:i], o):
			p.errorf(offerNodes[i].Line, "offer %q given twice", o)
		default:
			s.Offers = append(s.Offers, Offer(o))
		}
	}
	events, eventNodes := p.list(f["done_when"], "done_when")
	for i, e := range events {
		switch {
		case !Event(e).Valid():
			p.errorf(eventNodes[i].Line, "unknown event %q in done_when (known: %s)", e, joinValues(Events()))
		case slices.Contains(events[:i], e):
			p.errorf(eventNodes[i].Line, "event %q given twice in done_when", e)
		default:
			s.DoneWhen = append(s.DoneWhen, Event(e))
		}
	}
	problems, problemNodes := p.list(f["problems"], "problems")
	for i, pr := range problems {
		switch {
		case !Problem(pr).Valid():
			p.errorf(problemNodes[i].Line, "unknown problem %q (known: %s)", pr, joinValues(Problems()))
		case !hasSit:
			p.errorf(problemNodes[i].Line, "problems limit a step a situation starts; step %q is started by an event", s.ID)
		case slices.Contains(problems[:i], pr):
			p.errorf(problemNodes[i].Line, "problem %q given twice", pr)
		default:
			s.Problems = append(s.Problems, Problem(pr))
		}
	}
	records, recordNodes := p.list(f["records"], "records")
	for i, rec := range records {
		switch {
		case !Record(rec).Valid():
			p.errorf(recordNodes[i].Line, "unknown record %q (known: %s)", rec, joinValues(Records()))
		case slices.Contains(records[:i], rec):
			p.errorf(recordNodes[i].Line, "record %q given twice", rec)
		default:
			s.Records = append(s.Records, Record(rec))
		}
	}
	return s, links, true
}

// stepSituations reads a step's situation: one situation or a list of them.
func (p *parser) stepSituations(n *yaml.Node, declared map[Situation]int) []Situation {
	var names []string
	var nodes []*yaml.Node
	if n.Kind == yaml.SequenceNode {
		names, nodes = p.list(n, "situation")
		if len(n.Content) == 0 {
			p.errorf(n.Line, "situation list is empty")
		}
	} else if s, ok := p.str(n, "situation"); ok {
		names, nodes = []string{s}, []*yaml.Node{n}
	}
	var out []Situation
	for i, name := range names {
		sit := Situation(name)
		switch {
		case !sit.Valid():
			p.errorf(nodes[i].Line, "unknown situation %q (known: %s)", name, joinValues(Situations()))
		case declared != nil && declared[sit] == 0:
			p.errorf(nodes[i].Line, "situation %q is not in the routine's situations list", name)
		case slices.Contains(names[:i], name):
			p.errorf(nodes[i].Line, "situation %q given twice", name)
		default:
			out = append(out, sit)
		}
	}
	return out
}

// outcomes reads a mapping of outcome name to the step ids that follow it,
// adding the ids to links.
func (p *parser) outcomes(n *yaml.Node, links *[]link) map[string][]string {
	if n.Kind != yaml.MappingNode {
		p.errorf(n.Line, "outcomes must be a mapping of outcome name to a list of step ids")
		return nil
	}
	out := map[string][]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := k.Value
		if !outcomePattern.MatchString(name) {
			p.errorf(k.Line, "outcome name %q must be lowercase letters, digits and underscores", name)
			continue
		}
		if _, dup := out[name]; dup {
			p.errorf(k.Line, "outcome %q given twice", name)
			continue
		}
		ids, nodes := p.list(v, "outcome "+name)
		for j, id := range ids {
			*links = append(*links, link{to: id, line: nodes[j].Line})
		}
		if ids == nil {
			ids = []string{} // an outcome that ends the pathway
		}
		out[name] = ids
	}
	return out
}

// joinValues lists the members of a closed set for error messages.
func joinValues[T ~string](values []T) string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}
