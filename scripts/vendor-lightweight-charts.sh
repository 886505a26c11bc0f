#!/usr/bin/env bash
# Replaces the vendored chart library of the HTML report with another version from the npm
# registry: third_party/lightweight-charts/{lightweight-charts.standalone.production.js,LICENSE}.
# Usage: scripts/vendor-lightweight-charts.sh VERSION      (e.g. 5.2.1)
# Needs npm and the registry; the build and the tests never do (the files are committed).
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: $0 VERSION}
dest=third_party/lightweight-charts
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "lightweight-charts@$version" >/dev/null)
tarball="$work/lightweight-charts-$version.tgz"
expected=$(npm view "lightweight-charts@$version" dist.integrity)
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [[ "$expected" != "$actual" ]]; then
  echo "vendor-lightweight-charts: integrity mismatch: registry $expected, download $actual" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work"
cp "$work/package/dist/lightweight-charts.standalone.production.js" "$dest/"
cp "$work/package/LICENSE" "$dest/LICENSE"
echo "vendored lightweight-charts $version ($expected)"
sha256sum "$dest/lightweight-charts.standalone.production.js"
echo "now update $dest/README.md and docs/report.md, and run: ctest --preset release -L browser"
