#!/usr/bin/env bash
# The offline equivalent of `ct lint`: Chart.yaml fields, yamllint with chart-testing's config,
# helm lint --strict under Helm 3 and 4 for every ci/*-values.yaml, values against the schema
# (helm template validates them), and the README parameter table in step with values.yaml.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools=${OZONE_CHART_TOOLS:-$root/.tools/bin}
chart=$root/charts/ozone
fail=0
problem() { echo "lint: $*" >&2; fail=1; }

# Chart.yaml: the fields ct requires, and a SemVer version.
for field in apiVersion name version appVersion description; do
  grep -qE "^${field}:" "$chart/Chart.yaml" || problem "Chart.yaml has no '$field'"
done
grep -qE '^version: [0-9]+\.[0-9]+\.[0-9]+' "$chart/Chart.yaml" || problem "Chart.yaml version is not SemVer"
grep -qE '^apiVersion: v2$' "$chart/Chart.yaml" || problem "Chart.yaml apiVersion must be v2"

yamllint -c "$root/lintconf.yaml" "$chart/Chart.yaml" "$chart/values.yaml" "$chart"/ci/*.yaml "$root/ct.yaml" || fail=1

for helm in helm3 helm4; do
  for values in "$chart"/ci/*-values.yaml; do
    "$tools/$helm" lint --strict "$chart" -f "$values" >/dev/null || { problem "$helm lint --strict failed with $(basename "$values")"; "$tools/$helm" lint --strict "$chart" -f "$values" || true; }
    rendered=$("$tools/$helm" template lint-check "$chart" -f "$values") || { problem "$helm template failed with $(basename "$values")"; continue; }
    echo "$rendered" | yamllint -c "$root/lintconf.yaml" - || problem "rendered manifests ($helm, $(basename "$values")) fail yamllint"
  done
done

# The README parameter table is generated from values.yaml, never hand-edited.
generator=$root/.tools/npm/node_modules/.bin/readme-generator
if [ -x "$generator" ]; then
  copy=$(mktemp)
  cp "$chart/README.md" "$copy"
  "$generator" --values "$chart/values.yaml" --readme "$copy" >/dev/null
  diff -q "$copy" "$chart/README.md" >/dev/null || problem "charts/ozone/README.md is out of step with values.yaml: run '$generator --values charts/ozone/values.yaml --readme charts/ozone/README.md'"
  rm -f "$copy"
fi

[ "$fail" = 0 ] && echo "lint: charts/ozone is clean"
exit "$fail"
