#!/usr/bin/env bash
# Vendor the front-end libraries the web UI uses from the npm registry (no CDN at run time).
# Copies only the minified dist file and the license of each package into
# src/ediplomacy/web/static/vendor/<name>/, and records the versions in VERSIONS.txt.
# Run again after changing a version below, then commit the result.
set -euo pipefail

HTMX_VERSION="2.0.11"     # 2.x: stable API; 4.x changes attribute inheritance
CHARTJS_VERSION="4.6.1"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor="$root/src/ediplomacy/web/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch PACKAGE@VERSION into $work/NAME/package
  local spec="$1" name="$2"
  mkdir -p "$work/$name"
  (cd "$work/$name" && npm pack --silent "$spec" >/dev/null && tar -xzf ./*.tgz)
}

fetch "htmx.org@$HTMX_VERSION" htmx
fetch "chart.js@$CHARTJS_VERSION" chartjs

rm -rf "$vendor"
mkdir -p "$vendor/htmx" "$vendor/chartjs"
cp "$work/htmx/package/dist/htmx.min.js" "$vendor/htmx/htmx.min.js"
cp "$work/htmx/package/LICENSE" "$vendor/htmx/LICENSE"
cp "$work/chartjs/package/dist/chart.umd.min.js" "$vendor/chartjs/chart.umd.min.js"
cp "$work/chartjs/package/LICENSE.md" "$vendor/chartjs/LICENSE.md"
# The source maps are not vendored: drop the comment that would make browsers ask for them.
sed -i '/sourceMappingURL/d' "$vendor/chartjs/chart.umd.min.js"

cat > "$vendor/VERSIONS.txt" <<VERSIONS
htmx.org $HTMX_VERSION (0BSD) dist/htmx.min.js
chart.js $CHARTJS_VERSION (MIT) dist/chart.umd.min.js
VERSIONS
echo "vendored into $vendor:"
ls -l "$vendor"/*
