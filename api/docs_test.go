package api_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/samordna/samordna/api"
	"github.com/samordna/samordna/app"
)

// docsRow is a table row of docs/API.md: | `METHOD /path` | `access` | what |
var docsRow = regexp.MustCompile("(?m)^\\| `([A-Z]+ /api/[^`]+)` \\| `([^`]+)` \\|")

// TestDocsListEveryRoute: docs/API.md, the contract users read, names
// exactly the routes the server has (and so the OpenAPI document, made from
// the same table), each once and with the access the route declares.
func TestDocsListEveryRoute(t *testing.T) {
	data, err := os.ReadFile("../docs/API.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]string{}
	for _, m := range docsRow.FindAllStringSubmatch(string(data), -1) {
		if _, dup := documented[m[1]]; dup {
			t.Errorf("docs/API.md lists %s twice", m[1])
		}
		documented[m[1]] = m[2]
	}
	for _, rt := range api.New(app.New(nil, nil, nil)).Routes() {
		key := rt.Method + " " + rt.Path
		access, ok := documented[key]
		switch {
		case !ok:
			t.Errorf("%s is not in docs/API.md", key)
		case access != rt.Access:
			t.Errorf("%s: docs/API.md says access %q, the route declares %q", key, access, rt.Access)
		}
		delete(documented, key)
	}
	for key := range documented {
		t.Errorf("docs/API.md lists %s, which the server does not have", key)
	}
}
