#!/usr/bin/env bash
# Checks the GitHub workflows: valid YAML (yamllint), every action pinned by a full commit SHA,
# and every `make X` target and repository path they call exists.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fail=0
yamllint -d '{extends: default, rules: {line-length: disable, truthy: disable, document-start: disable, comments: {min-spaces-from-content: 1}}}' "$root"/.github/workflows/*.yaml || fail=1
while read -r file line; do
  echo "check-workflows: $file: action not pinned by a 40-hex commit SHA: $line" >&2; fail=1
done < <(grep -HnE '^\s*-?\s*uses:' "$root"/.github/workflows/*.yaml | grep -vE 'uses: [^@]+@[0-9a-f]{40}(\s|$)' | sed 's/:/ /')
targets=$(grep -oE '^[a-z0-9-]+:' "$root/Makefile" | tr -d ':')
for target in $(grep -hoE 'make [a-z0-9-]+' "$root"/.github/workflows/*.yaml | awk '{print $2}' | sort -u); do
  grep -qx "$target" <<<"$targets" || { echo "check-workflows: 'make $target' is not a Makefile target" >&2; fail=1; }
done
for path in $(grep -hoE '\./scripts/[a-z-]+\.sh|helper/[A-Za-z]+\.csproj|charts/ozone/Chart\.yaml|ct\.yaml' "$root"/.github/workflows/*.yaml | sort -u); do
  [ -e "$root/${path#./}" ] || { echo "check-workflows: $path does not exist" >&2; fail=1; }
done
[ "$fail" = 0 ] && echo "check-workflows: workflows are valid, pinned, and call only what exists"
exit "$fail"
