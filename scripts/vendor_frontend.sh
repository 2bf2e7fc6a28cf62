#!/usr/bin/env bash
# Vendor the front-end libraries the web UI uses from the npm registry (no CDN at run time).
# Copies only the minified dist file and the license of each package into
# src/ediplomacy/web/static/vendor/<name>/, and records the versions in VERSIONS.txt.
# Run again after changing a version below, then commit the result.
set -euo pipefail

HTMX_VERSION="2.0.11"     # 2.x: stable API; 4.x changes attribute inheritance
CHARTJS_VERSION="4.6.1"
CHARTJS_GEO_VERSION="4.3.6"  # choropleth plugin for Chart.js 4 (the dashboard's world map)
WORLD_ATLAS_VERSION="2.0.2"  # Natural Earth country shapes as TopoJSON (ids: ISO 3166 numeric)
# Libraries bundled inside chartjs-chart-geo's UMD file; their licenses are vendored beside it.
GEO_BUNDLED="d3-array@3 d3-color@3 d3-geo@3 d3-interpolate@3 d3-scale-chromatic@3 topojson-client@3"

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
fetch "chartjs-chart-geo@$CHARTJS_GEO_VERSION" chartjs-geo
fetch "world-atlas@$WORLD_ATLAS_VERSION" world-atlas
for spec in $GEO_BUNDLED; do
  fetch "$spec" "bundled-${spec%@*}"
done

rm -rf "$vendor"
mkdir -p "$vendor/htmx" "$vendor/chartjs" "$vendor/chartjs-chart-geo" "$vendor/world-atlas"
cp "$work/htmx/package/dist/htmx.min.js" "$vendor/htmx/htmx.min.js"
cp "$work/htmx/package/LICENSE" "$vendor/htmx/LICENSE"
cp "$work/chartjs/package/dist/chart.umd.min.js" "$vendor/chartjs/chart.umd.min.js"
cp "$work/chartjs/package/LICENSE.md" "$vendor/chartjs/LICENSE.md"
# The source maps are not vendored: drop the comment that would make browsers ask for them.
sed -i '/sourceMappingURL/d' "$vendor/chartjs/chart.umd.min.js"
cp "$work/chartjs-geo/package/build/index.umd.min.js" "$vendor/chartjs-chart-geo/index.umd.min.js"
sed -i 's|//# sourceMappingURL=.*$||' "$vendor/chartjs-chart-geo/index.umd.min.js"
cp "$work/chartjs-geo/package/LICENSE" "$vendor/chartjs-chart-geo/LICENSE"
bundled="$vendor/chartjs-chart-geo/LICENSES-BUNDLED.txt"
echo "Libraries bundled in index.umd.min.js, with their licenses:" > "$bundled"
for spec in $GEO_BUNDLED; do
  name="${spec%@*}"
  version="$(node -p "require('$work/bundled-$name/package/package.json').version")"
  printf '\n== %s %s ==\n' "$name" "$version" >> "$bundled"
  cat "$work/bundled-$name/package/LICENSE" >> "$bundled"
done
cp "$work/world-atlas/package/countries-110m.json" "$vendor/world-atlas/countries-110m.json"
cp "$work/world-atlas/package/LICENSE" "$vendor/world-atlas/LICENSE"

cat > "$vendor/VERSIONS.txt" <<VERSIONS
htmx.org $HTMX_VERSION (0BSD) dist/htmx.min.js
chart.js $CHARTJS_VERSION (MIT) dist/chart.umd.min.js
chartjs-chart-geo $CHARTJS_GEO_VERSION (MIT; bundles d3 modules and topojson-client, ISC) build/index.umd.min.js
world-atlas $WORLD_ATLAS_VERSION (ISC; shapes from Natural Earth, public domain) countries-110m.json
VERSIONS
echo "vendored into $vendor:"
ls -l "$vendor"/*
