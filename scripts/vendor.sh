#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry (versions in
# congvu/static/vendor/package.json). Run by hand when upgrading; the app never needs npm.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/congvu/static/vendor/package.json" "$work/"
(cd "$work" && npm install --ignore-scripts --no-audit --no-fund >/dev/null)
install -D -m 644 "$work/node_modules/htmx.org/dist/htmx.min.js" "$here/congvu/static/vendor/htmx/htmx.min.js"
install -D -m 644 "$work/node_modules/htmx.org/LICENSE" "$here/congvu/static/vendor/htmx/LICENSE"
install -D -m 644 "$work/node_modules/echarts/dist/echarts.min.js" "$here/congvu/static/vendor/echarts/echarts.min.js"
install -D -m 644 "$work/node_modules/echarts/i18n/langVI.js" "$here/congvu/static/vendor/echarts/langVI.js"
install -D -m 644 "$work/node_modules/echarts/LICENSE" "$here/congvu/static/vendor/echarts/LICENSE"
install -D -m 644 "$work/node_modules/echarts/NOTICE" "$here/congvu/static/vendor/echarts/NOTICE"
echo "vendored: htmx $(node -p "require('$work/node_modules/htmx.org/package.json').version")"
echo "vendored: echarts $(node -p "require('$work/node_modules/echarts/package.json').version")"
