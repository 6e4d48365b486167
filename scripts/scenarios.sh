#!/usr/bin/env bash
# Runs every scenario file in the cluster twin under both Helm versions: the project's own
# (tests/scenarios) and, when the folder exists beside the checkout, ../shared/scenarios.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
files=("$root"/tests/scenarios/*.yaml)
if [ -d "$root/../shared/scenarios" ]; then
  files+=("$root"/../shared/scenarios/*.yaml)
fi
failed=()
for file in "${files[@]}"; do
  "$root/scripts/demo.sh" "$file" both || failed+=("$file")
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "scenarios failed: ${failed[*]}" >&2
  exit 1
fi
echo "all ${#files[@]} scenario files passed under Helm 3 and Helm 4"
