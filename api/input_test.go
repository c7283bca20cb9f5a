package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/samordna/samordna"
	"github.com/samordna/samordna/api"
	"github.com/samordna/samordna/app"
	"github.com/samordna/samordna/internal/dbtest"
	"github.com/samordna/samordna/store"
)

// textField is one text field of a route's request type, found by
// reflection so that a field added to a request type is tested without
// anyone listing it.
type textField struct {
	path   string // as the API names it in errors, e.g. "members[0].name"
	kind   samordna.TextKind
	max    int
	tagged bool               // it has a valid `text` tag
	body   func(v string) any // a minimal body holding v in the field
}

var rawMessage = reflect.TypeFor[json.RawMessage]()

// textFields lists every text field reachable in t (strings, also inside
// slices, pointers, nested and embedded structs).
func textFields(t reflect.Type) []textField {
	var out []textField
	var walk func(t reflect.Type, path string, kind samordna.TextKind, max int, tagged bool, wrap func(any) any)
	walk = func(t reflect.Type, path string, kind samordna.TextKind, max int, tagged bool, wrap func(any) any) {
		switch t.Kind() {
		case reflect.Pointer:
			walk(t.Elem(), path, kind, max, tagged, wrap)
		case reflect.String:
			out = append(out, textField{path: path, kind: kind, max: max, tagged: tagged,
				body: func(v string) any { return wrap(v) }})
		case reflect.Slice:
			if t == rawMessage {
				return
			}
			walk(t.Elem(), path+"[0]", kind, max, tagged, func(x any) any { return wrap([]any{x}) })
		case reflect.Struct:
			for i := 0; i < t.NumField(); i++ {
				f := t.Field(i)
				if f.Anonymous && f.Tag.Get("json") == "" {
					walk(f.Type, path, kind, max, tagged, wrap)
					continue
				}
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				if name == "-" || !f.IsExported() {
					continue
				}
				if name == "" {
					name = f.Name
				}
				p := name
				if path != "" {
					p = path + "." + name
				}
				spec, has := f.Tag.Lookup("text")
				k, m, ok := samordna.ParseTextSpec(spec)
				walk(f.Type, p, k, m, has && ok, func(x any) any { return wrap(map[string]any{name: x}) })
			}
		}
	}
	walk(t, "", "", 0, false, func(x any) any { return x })
	return out
}

// bodyRoutes are the routes that take a JSON body.
func bodyRoutes() []api.Route {
	var out []api.Route
	for _, rt := range api.New(app.New(nil, nil, nil)).Routes() {
		if rt.Request != nil {
			out = append(out, rt)
		}
	}
	return out
}

// Every text field of every request type says what it holds (so it has a
// limit), and the OpenAPI document gives that limit as its maxLength.
func TestEveryRequestTextFieldHasAKind(t *testing.T) {
	routes := bodyRoutes()
	if len(routes) < 25 {
		t.Fatalf("only %d routes declare a request type", len(routes))
	}
	doc := api.OpenAPI(api.New(app.New(nil, nil, nil)).Routes())
	paths := doc["paths"].(map[string]map[string]any)
	var fields int
	for _, rt := range routes {
		op := paths[rt.Path][strings.ToLower(rt.Method)].(map[string]any)
		schema := op["requestBody"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
		for _, f := range textFields(reflect.TypeOf(rt.Request)) {
			fields++
			if !f.tagged {
				t.Errorf("%s %s: %s has no valid `text` tag (say what it holds: id, code, name, short, long, document)",
					rt.Method, rt.Path, f.path)
				continue
			}
			s := schemaAt(schema, f.path)
			if s == nil || s["maxLength"] != f.max || s["type"] != "string" {
				t.Errorf("%s %s: the OpenAPI schema of %s is %v, want a string of maxLength %d", rt.Method, rt.Path, f.path, s, f.max)
			}
		}
	}
	if fields < 100 {
		t.Fatalf("found only %d text fields; the walk misses some", fields)
	}
}

// schemaAt follows a field path ("a.b[0].c") through a JSON Schema.
func schemaAt(s map[string]any, path string) map[string]any {
	for _, part := range strings.Split(path, ".") {
		name, idx, _ := strings.Cut(part, "[")
		props, _ := s["properties"].(map[string]any)
		s, _ = props[name].(map[string]any)
		for ; idx != ""; _, idx, _ = strings.Cut(idx, "[") {
			if s == nil {
				return nil
			}
			s, _ = s["items"].(map[string]any)
		}
		if s == nil {
			return nil
		}
	}
	return s
}

// inputAPI is the API over a demo municipality with its database, to see
// that a refused request wrote nothing.
type inputAPI struct {
	*coordAPI
	db *store.DB
}

// send posts raw as the coordinating unit's caseworker to rt's path (any
// {param} filled with a made-up id: the body is refused before the id is
// looked at) and returns the status and the decoded answer.
func (c *inputAPI) send(rt api.Route, raw []byte) (int, map[string]any) {
	c.t.Helper()
	path := regexp.MustCompile(`\{[a-zA-Z]+\}`).ReplaceAllString(rt.Path, "aaaaaaaaaaaaaaaaaaaa")
	req, err := http.NewRequest(rt.Method, c.srv.URL+path, bytes.NewReader(raw))
	if err != nil {
		c.t.Fatal(err)
	}
	user := "kari.ke" // the coordinating unit may do most; the administrator's routes need the administrator
	if rt.Access == "role:admin" {
		user = "admin"
	}
	req.Header.Set("Authorization", "Bearer "+c.tokens[user])
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	_ = json.Unmarshal(b, &out)
	return resp.StatusCode, out
}

// writes counts the rows a request could have written: audit rows (every
// change writes one), cases, persons and concerns.
func (c *inputAPI) writes() int {
	c.t.Helper()
	var n int
	err := c.db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRow(`SELECT (SELECT COUNT(*) FROM audit_events) + (SELECT COUNT(*) FROM cases) +
			(SELECT COUNT(*) FROM persons) + (SELECT COUNT(*) FROM concerns)`).Scan(&n)
	})
	if err != nil {
		c.t.Fatal(err)
	}
	return n
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// aFødselsnummer is the valid number the attack put in a family link.
const aFødselsnummer = "12091750129"

// Every text field of every endpoint refuses, with 400 naming the field and
// before anything is written, on both databases: a NUL byte (PostgreSQL
// used to answer 500 while SQLite stored it) and other control characters,
// invalid UTF-8, one character over its documented maximum, and in an id
// field a fødselsnummer (which used to end up in the audit trail). At its
// maximum, with tabs and line breaks, the same field is not refused for its
// text and never answers 500.
func TestBadTextIsRefusedInEveryField(t *testing.T) {
	if !samordna.ValidIDNumber(aFødselsnummer, false) {
		t.Fatal("the test's fødselsnummer is not valid")
	}
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		c := &inputAPI{coordAPI: newCoordAPI(t, db), db: db}
		before := c.writes()
		var checked int
		for _, rt := range bodyRoutes() {
			for _, f := range textFields(reflect.TypeOf(rt.Request)) {
				type bad struct {
					what, value, code string
				}
				cases := []bad{
					{"a NUL byte", "Ola\x00Nordmann", samordna.CodeControlCharacter},
					{"an escape sequence", "\x1b[2J", samordna.CodeControlCharacter},
					{"a C1 control", "a\u0085b", samordna.CodeControlCharacter},
					{"one character too many", strings.Repeat("ø", f.max+1), samordna.CodeTextTooLong},
				}
				if f.kind == samordna.TextID {
					cases = append(cases, bad{"a fødselsnummer", aFødselsnummer, samordna.CodeIdentifyingDataInID},
						bad{"a spaced fødselsnummer", "120917 50129", samordna.CodeIdentifyingDataInID})
				}
				for _, bc := range cases {
					status, out := c.send(rt, mustMarshal(t, f.body(bc.value)))
					e, _ := out["error"].(map[string]any)
					if status != 400 || e["code"] != bc.code || e["field"] != f.path || !strings.Contains(e["message"].(string), f.path) {
						t.Errorf("%s %s, %s in %s: %d %v; want 400 %s naming the field", rt.Method, rt.Path, bc.what, f.path,
							status, out, bc.code)
					}
					checked++
				}
				raw := bytes.Replace(mustMarshal(t, f.body("før-MARK")), []byte("-MARK"), []byte{0xff, 0xfe}, 1)
				if status, out := c.send(rt, raw); status != 400 || errCode(out) != samordna.CodeInvalidUTF8 {
					t.Errorf("%s %s, invalid UTF-8 in %s: %d %v", rt.Method, rt.Path, f.path, status, out)
				}
			}
		}
		if after := c.writes(); after != before {
			t.Fatalf("refused requests wrote %d rows", after-before)
		}
		if checked < 400 {
			t.Fatalf("only %d bad values were sent", checked)
		}
		inputCodes := map[string]bool{samordna.CodeControlCharacter: true, samordna.CodeTextTooLong: true,
			samordna.CodeIdentifyingDataInID: true, samordna.CodeInvalidUTF8: true, "malformed_json": true}
		for _, rt := range bodyRoutes() {
			for _, f := range textFields(reflect.TypeOf(rt.Request)) {
				v := "a\tb\r\n" + strings.Repeat("æ", f.max-5)
				status, out := c.send(rt, mustMarshal(t, f.body(v)))
				if status == 500 || (status == 400 && inputCodes[errCode(out)]) {
					t.Errorf("%s %s: %s at its maximum of %d: %d %v", rt.Method, rt.Path, f.path, f.max, status, out)
				}
			}
		}
	})
}

// Any JSON body refuses a key given twice (also when only its case differs:
// encoding/json matches keys case-insensitively and kept the last one),
// invalid UTF-8 and an unknown field, on every route that takes one, and a
// route that takes a body declares its type (so that the tests above and
// the OpenAPI document see its fields).
func TestBodiesRefuseDuplicateKeysAndInvalidUTF8(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *store.DB) {
		c := &inputAPI{coordAPI: newCoordAPI(t, db), db: db}
		before := c.writes()
		for _, rt := range bodyRoutes() {
			status, out := c.send(rt, []byte(`{"zz_not_a_field": 1}`))
			if status != 400 || errCode(out) != "malformed_json" {
				t.Errorf("%s %s: an unknown field: %d %v", rt.Method, rt.Path, status, out)
			}
			fields := reflect.TypeOf(rt.Request)
			var key string
			for i := 0; i < fields.NumField() && key == ""; i++ {
				key, _, _ = strings.Cut(fields.Field(i).Tag.Get("json"), ",")
			}
			if key == "" {
				continue // a body with no fields: {} only
			}
			for _, body := range []string{`{"` + key + `": null, "` + key + `": null}`,
				`{"` + key + `": null, "` + strings.ToUpper(key) + `": null}`} {
				if status, out := c.send(rt, []byte(body)); status != 400 || errCode(out) != "duplicate_key" ||
					!strings.Contains(strings.ToLower(out["error"].(map[string]any)["message"].(string)), key) {
					t.Errorf("%s %s %s: %d %v", rt.Method, rt.Path, body, status, out)
				}
			}
			if status, out := c.send(rt, []byte("{\""+key+"\xff\": null}")); status != 400 || errCode(out) != samordna.CodeInvalidUTF8 {
				t.Errorf("%s %s: invalid UTF-8 in a key: %d %v", rt.Method, rt.Path, status, out)
			}
		}
		nested := api.Route{Method: "POST", Path: "/api/v1/concerns"}
		status, out := c.send(nested, []byte(`{"situation": "unclear_concern", "anonymous": false, "description": "Bekymring",
			"subject": {"fnr": "`+aFødselsnummer+`", "name": "Ola", "name": "Kari"}}`))
		if status != 400 || errCode(out) != "duplicate_key" || !strings.Contains(out["error"].(map[string]any)["message"].(string), "subject.name") {
			t.Errorf("a duplicate key inside subject: %d %v", status, out)
		}
		if after := c.writes(); after != before {
			t.Fatalf("refused requests wrote %d rows", after-before)
		}
		// A route without a declared request type must not decode a body
		// (an unknown field would then be refused); with made-up ids these
		// calls may write a "refused" audit row, so they come last.
		for _, rt := range api.New(app.New(nil, nil, nil)).Routes() {
			if rt.Method == "GET" || rt.Public || rt.Request != nil {
				continue
			}
			status, out := c.send(rt, []byte(`{"zz_not_a_field": 1}`))
			if status == 400 && errCode(out) == "malformed_json" {
				t.Errorf("%s %s decodes a JSON body but declares no Request type: %d %v", rt.Method, rt.Path, status, out)
			}
		}
	})
}
