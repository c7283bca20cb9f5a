// Command pocketbase is the peer Samordna's load tool compares itself with:
// an unmodified PocketBase (a single-binary Go backend on SQLite), built in
// its own module so that Samordna's go.mod never depends on it. The load
// tool (cmd/samordna-bench) builds this into a temporary directory, starts
// it on a loopback port with a temporary data directory and drives it
// through its REST API.
package main

import (
	"log"

	"github.com/pocketbase/pocketbase"
)

func main() {
	app := pocketbase.New()
	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}
