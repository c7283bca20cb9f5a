#!/usr/bin/env bash
# Runs every test of Samordna: formatting, go vet, that go.mod and go.sum are
# tidy, all Go tests on SQLite and PostgreSQL, and the browser tests in
# Chromium with axe-core and the Nu Html Checker.
#
# It sets up what is missing on a Debian machine: starts PostgreSQL (or
# installs it from Debian's packages), installs Debian's chromium, qpdf and
# poppler-utils (the PDF tests check every PDF with qpdf and pdftotext), and
# installs axe-core and vnu-jar from the npm registry into .cache/npm (and Java
# when it is missing).
# At the end it says how many tests ran on each database and in the browser.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

say() { printf '==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_ready=""
apt_install() {
  if [ -z "$apt_ready" ]; then as_root apt-get update -qq; apt_ready=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

say "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.cache/*'))
if [ -n "$unformatted" ]; then echo "gofmt would change:"; echo "$unformatted"; exit 1; fi

say "go vet"
go vet ./...

# go.mod and go.sum, of the main module and of the benchmark's PocketBase
# module, must be exactly what `go mod tidy` makes of them; -diff prints what
# it would change and changes nothing.
say "go mod tidy"
for mod in . bench; do
  if ! (cd "$mod" && go mod tidy -diff); then echo "$mod: go.mod or go.sum is not tidy: run go mod tidy there"; exit 1; fi
done

# --- PostgreSQL -------------------------------------------------------------
pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if [ -z "${TEST_PG_URL:-}" ]; then
  if ! command -v pg_isready >/dev/null || ! pg_up; then
    say "starting PostgreSQL"
    if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
      say "installing PostgreSQL from Debian's packages"
      apt_install postgresql postgresql-client
    fi
    for v in $(ls /etc/postgresql); do
      as_root pg_ctlcluster --skip-systemctl-redirect "$v" main start 2>/dev/null || true
    done
    for _ in $(seq 60); do pg_up && break; sleep 0.5; done
    pg_up || { echo "PostgreSQL did not start"; exit 1; }
  fi
  # A password for the postgres role makes the TCP login work under the
  # default scram authentication as well as under trust.
  as_root su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1 || true
  as_root su postgres -c "psql -q -tc \"SELECT 1 FROM pg_database WHERE datname = 'samordna_test'\"" 2>/dev/null | grep -q 1 ||
    as_root su postgres -c "createdb samordna_test"
  export TEST_PG_URL="postgres://postgres:postgres@127.0.0.1:5432/samordna_test?sslmode=disable"
fi
say "PostgreSQL: ${TEST_PG_URL%%\?*}" | sed 's/:[^:@/]*@/:***@/'

# --- qpdf and pdftotext: the PDF tests check every generated PDF with them --
if ! command -v qpdf >/dev/null || ! command -v pdftotext >/dev/null; then
  say "installing Debian's qpdf and poppler-utils (pdftotext)"
  apt_install qpdf poppler-utils
fi

# --- Chromium and axe-core for the browser tests ----------------------------
if [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's chromium"
  apt_install chromium
fi
export SAMORDNA_CHROMIUM=/usr/bin/chromium
axe="$root/.cache/npm/node_modules/axe-core/axe.min.js"
if [ ! -f "$axe" ]; then
  say "installing axe-core from npm"
  npm install --silent --no-fund --no-audit --prefix "$root/.cache/npm" axe-core@4 >/dev/null
fi
export SAMORDNA_AXE="$axe"

# --- The Nu Html Checker (vnu.jar, Java) for HTML validity --------------------
if ! command -v java >/dev/null; then
  say "installing Debian's default-jre-headless (for the Nu Html Checker)"
  apt_install default-jre-headless
fi
vnu="$root/.cache/npm/node_modules/vnu-jar/build/dist/vnu.jar"
if [ ! -f "$vnu" ]; then
  say "installing vnu-jar (the Nu Html Checker) from npm"
  npm install --silent --no-fund --no-audit --prefix "$root/.cache/npm" vnu-jar@26.9.27 >/dev/null
fi
export SAMORDNA_VNU="$vnu"

# --- iCalendar checkers: Mozilla's ical.js and Debian's python3-icalendar ----
icaljs="$root/.cache/npm/node_modules/ical.js"
if [ ! -d "$icaljs" ]; then
  say "installing ical.js from npm"
  npm install --silent --no-fund --no-audit --prefix "$root/.cache/npm" ical.js@2.2.1 >/dev/null
fi
if ! /usr/bin/python3 -c 'import icalendar' 2>/dev/null; then
  say "installing Debian's python3-icalendar"
  apt_install python3-icalendar
fi
export NODE_PATH="$root/.cache/npm/node_modules"
export ICS_CHECK_JS="node $root/scripts/ics-check.cjs" ICS_CHECK_PY="/usr/bin/python3 $root/scripts/ics-check.py"

# --- Tests ------------------------------------------------------------------
say "go test (SQLite, PostgreSQL, browser)"
mkdir -p "$root/.cache"
out="$root/.cache/test.json"
set +e
go test -count=1 -json -timeout 25m ./... > "$out"
status=$?
set -e
go run ./internal/testreport < "$out"
report=$?
[ $status -eq 0 ] && [ $report -eq 0 ]
