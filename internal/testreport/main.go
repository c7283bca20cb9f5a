// Command testreport reads `go test -json` output and prints the failures
// and a summary: how many tests passed and failed, and how many ran on
// SQLite, on PostgreSQL and in the browser. It exits non-zero when a test
// failed or when no test ran on PostgreSQL or in the browser, so that a
// missing database or browser can never pass silently.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

func main() {
	os.Exit(run())
}

func run() int {
	output := map[string][]string{}
	var failed []string
	passed, sqlite, postgres, browser := 0, 0, 0, 0
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			fmt.Println(sc.Text()) // build errors come as plain text
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			output[key] = append(output[key], e.Output)
		case "pass", "fail":
			if e.Test == "" {
				if e.Action == "fail" && len(output[key]) > 0 {
					failed = append(failed, key)
				}
				continue
			}
			if e.Action == "fail" {
				failed = append(failed, key)
				continue
			}
			passed++
			leaf := e.Test[strings.LastIndex(e.Test, "/")+1:]
			switch {
			case leaf == "sqlite":
				sqlite++
			case leaf == "postgres":
				postgres++
			}
			if strings.HasPrefix(e.Test, "TestBrowser") && !strings.Contains(e.Test, "/") {
				browser++
			}
		}
	}
	sort.Strings(failed)
	for _, k := range failed {
		fmt.Printf("--- FAIL: %s\n%s\n", k, strings.Join(output[k], ""))
	}
	fmt.Printf("\ntests on SQLite: %d, on PostgreSQL: %d, browser tests in Chromium: %d\n", sqlite, postgres, browser)
	fmt.Printf("%d passed, %d failed\n", passed, len(failed))
	switch {
	case len(failed) > 0:
		return 1
	case postgres == 0:
		fmt.Println("no test ran on PostgreSQL: that is a failure")
		return 1
	case browser == 0:
		fmt.Println("no browser test ran: that is a failure")
		return 1
	}
	return 0
}
