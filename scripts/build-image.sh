#!/usr/bin/env bash
# `make image`: builds the om-lifecycle image with docker, else podman, and checks that it runs.
# Without a container engine it says what is missing and exits 2.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/helper/OmLifecycle.csproj")
image=${IMAGE:-ghcr.io/ozone-om-ring/om-lifecycle:$version}
engine=""
for candidate in docker podman; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" info >/dev/null 2>&1; then engine=$candidate; break; fi
done
if [ -z "$engine" ]; then
  echo "make image: no working container engine here: 'docker info' and 'podman info' both fail or are absent." >&2
  echo "Install Docker or Podman (with a running daemon for Docker), or build the image in CI (.github/workflows/chart-test.yaml)." >&2
  exit 2
fi
revision=$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)
epoch=$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 0)
"$engine" build "$root" -t "$image" \
  --build-arg VERSION="$version" --build-arg REVISION="$revision" --build-arg SOURCE_DATE_EPOCH="$epoch" \
  --build-arg CREATED="$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)"
"$engine" run --rm "$image" --version
echo "built $image with $engine"
