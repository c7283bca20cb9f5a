#!/usr/bin/env bash
# Replaces the built CSS of Designsystemet (the design system of Norwegian
# public services, by Digdir) in web/static/ds/ with the given versions from
# the npm registry. The CSS is committed, so `go run` and `go build` need no
# build step and no network; run this only to move to a new version, then
# look at the pages (the browser tests check axe and contrast).
#
#   scripts/update-designsystemet.sh [css-version] [theme-version] [theme]
#
# Defaults: @digdir/designsystemet-css 1.22.0, @digdir/designsystemet-theme
# 1.11.0, theme "digdir".
set -euo pipefail
cd "$(dirname "$0")/.."
css_version=${1:-1.22.0}
theme_version=${2:-1.11.0}
theme=${3:-digdir}
dest=web/static/ds

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@digdir/designsystemet-css@$css_version" "@digdir/designsystemet-theme@$theme_version" >/dev/null)
mkdir -p "$tmp/css" "$tmp/theme"
tar xzf "$tmp"/digdir-designsystemet-css-"$css_version".tgz -C "$tmp/css"
tar xzf "$tmp"/digdir-designsystemet-theme-"$theme_version".tgz -C "$tmp/theme"

test -f "$tmp/css/package/dist/src/index.css" || { echo "no dist/src/index.css in designsystemet-css $css_version" >&2; exit 1; }
test -f "$tmp/theme/package/brand/$theme.css" || { echo "no theme $theme in designsystemet-theme $theme_version" >&2; exit 1; }

mkdir -p "$dest"
cp "$tmp/css/package/dist/src/index.css" "$dest/designsystemet.css"
cp "$tmp/css/package/LICENSE" "$dest/LICENSE-designsystemet-css"
cp "$tmp/theme/package/brand/$theme.css" "$dest/theme.css"
cp "$tmp/theme/package/LICENSE" "$dest/LICENSE-designsystemet-theme"
cat > "$dest/VERSION" <<VERSION
@digdir/designsystemet-css $css_version (dist/src/index.css -> designsystemet.css)
@digdir/designsystemet-theme $theme_version (brand/$theme.css -> theme.css)
VERSION
echo "web/static/ds now holds designsystemet-css $css_version and the $theme theme $theme_version"
