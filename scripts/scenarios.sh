#!/usr/bin/env bash
# Runs every scenario file in the cluster twin: the project's own (tests/scenarios) and, when the
# folder exists beside the checkout, ../shared/scenarios.
# SCENARIO_HELMS picks the Helm versions (default `one`):
#   one         every file once; files alternate between Helm 3 and Helm 4 in name order, so both
#               versions meet every kind of step and `make test` stays within its time budget;
#   complement  every file under the version `one` did not use (CI runs both, so every pair runs);
#   both        every file under both versions.
# Each (file, Helm) pair is one job; SCENARIO_LANES twins (default 2) take jobs from a shared
# queue, each twin in its own network namespace and work directory.
# A job's table is printed whole when it ends; reports go to out/twin/<ours|shared>-<name>-<helm>.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
twin=$root/tests/ClusterTwin/bin/Release/net10.0/cluster-twin
[ -x "$twin" ] || { echo "scenarios: $twin is missing; run 'make build'" >&2; exit 2; }
lanes=${SCENARIO_LANES:-2}
[[ $lanes =~ ^[1-9]$ ]] || { echo "scenarios: SCENARIO_LANES must be 1 to 9, not '$lanes'" >&2; exit 2; }
helms=${SCENARIO_HELMS:-one}
case $helms in one|complement|both) ;;
  *) echo "scenarios: SCENARIO_HELMS must be one, complement or both, not '$helms'" >&2; exit 2 ;;
esac

# Largest files first: they have the most steps, and starting the long jobs early packs the lanes.
shared=$root/../shared/scenarios
files=()
while IFS= read -r file; do files+=("$file"); done < <(
  ls -S "$root"/tests/scenarios/*.yaml $([ -d "$shared" ] && echo "$shared"/*.yaml))
# The Helm version `one` gives a file: alternating in name order (source, then file name), which
# does not change when a file grows.
declare -A first_helm=()
parity=0
while IFS= read -r file; do
  first_helm[$file]=$([ $parity -eq 0 ] && echo helm3 || echo helm4)
  parity=$(( 1 - parity ))
done < <(printf '%s\n' "${files[@]}" | LC_ALL=C sort)
jobs=()
for file in "${files[@]}"; do
  case $file in "$shared"/*) source=shared ;; *) source=ours ;; esac
  other=$([ "${first_helm[$file]}" = helm3 ] && echo helm4 || echo helm3)
  case $helms in
    one) chosen=("${first_helm[$file]}") ;;
    complement) chosen=("$other") ;;
    both) chosen=(helm3 helm4) ;;
  esac
  for helm in "${chosen[@]}"; do jobs+=("$source|$file|$helm"); done
done

out=$root/out/twin
queue=$out/queue
rm -rf "$queue" && mkdir -p "$queue"
: > "$queue/failed"

run_job() {
  local lane=$1 source=$2 file=$3 helm=$4
  local name label log started rc=0
  name=$(basename "$file" .yaml)
  label=$source-$name-$helm
  log=$queue/$label.log
  started=$(date +%s)
  "$twin" run "$file" --helm "$helm" --repo "$root" --work "$out/$source-$name" \
    --report "$out/$label.json" > "$log" 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || echo "$file ($helm)" >> "$queue/failed"
  # One job's table at a time on the terminal, whole.
  flock "$queue/print.lock" bash -c 'cat "$1"; echo "scenarios: $2 $3 in $4 s (lane $5)"; echo' _ \
    "$log" "$label" "$([ "$rc" -eq 0 ] && echo passed || echo FAILED)" "$(( $(date +%s) - started ))" "$lane"
}

run_lane() {
  local lane=$1 index
  for index in "${!jobs[@]}"; do
    mkdir "$queue/claim-$index" 2>/dev/null || continue   # mkdir is atomic: one lane per job
    IFS='|' read -r source file helm <<< "${jobs[$index]}"
    run_job "$lane" "$source" "$file" "$helm"
  done
}

echo "The cluster twin runs the real chart with the real Helm binaries and the real om-lifecycle"
echo "binary in every OM pod and hook Job; Kubernetes and Ozone are simulated (see tests/scenarios/README.md)."
echo "scenarios: ${#jobs[@]} jobs (${#files[@]} files, Helm versions: $helms) in $lanes lanes"
started=$(date +%s)
pids=()
for (( lane = 1; lane <= lanes; lane++ )); do run_lane "$lane" & pids+=($!); done
for pid in "${pids[@]}"; do wait "$pid"; done
elapsed=$(( $(date +%s) - started ))

if [ -s "$queue/failed" ]; then
  echo "scenarios failed after $elapsed s:" >&2
  sed 's/^/  /' "$queue/failed" >&2
  exit 1
fi
echo "all ${#jobs[@]} scenario jobs (${#files[@]} files, Helm versions: $helms) passed in $elapsed s"
