#!/usr/bin/env bash
# Prints cold start and peak RSS of om-lifecycle: `--version`, and `status` against a ring of
# three simulated OMs. Figures, not a pass/fail test; the targets are printed beside them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/artifacts/helper/om-lifecycle}
runs=${BENCH_RUNS:-20}
sim_dir=$root/tests/OzoneSimulator/bin/Release/net10.0
[ -x "$bin" ] || { echo "bench: $bin is missing; run 'make helper' first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (Debian package 'time'); run 'make tools'" >&2; exit 2; }

measure() { # label, target-ms, target-mb, command...
  local label=$1 target_ms=$2 target_mb=$3; shift 3
  local total=0 peak=0 start end rss rss_file
  rss_file=$(mktemp)
  "$@" >/dev/null 2>&1 || true   # warm the page cache: "cold start" here is a new process, not a cold disk
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$rss_file" "$@" >/dev/null 2>&1 || true
    rss=$(tail -1 "$rss_file")
    end=$(date +%s%N)
    total=$((total + end - start))
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  rm -f "$rss_file"
  printf '%-40s %8.1f ms (target %s ms)   peak RSS %6.1f MB (target %s MB)\n' \
    "$label" "$(echo "$total / $runs / 1000000" | bc -l)" "$target_ms" "$(echo "$peak / 1024" | bc -l)" "$target_mb"
}

echo "om-lifecycle $("$bin" --version), $runs runs each, $(nproc) cores"
measure "om-lifecycle --version" 20 40 "$bin" --version

# A ring of three simulated OMs for `status` (the simulator's own start-up is not measured).
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
export OZONE_SIM_STATE=$work/sim OZONE_SIM_TIME_SCALE=0.01
for i in 0 1 2; do
  mkdir -p "$work/om$i/conf"
  props="<property><name>ozone.om.service.ids</name><value>bench</value></property><property><name>ozone.om.node.id</name><value>bench-om-$i</value></property><property><name>ozone.metadata.dirs</name><value>$work/om$i/data</value></property><property><name>ozone.om.nodes.bench</name><value>bench-om-0,bench-om-1,bench-om-2</value></property>"
  for j in 0 1 2; do props="$props<property><name>ozone.om.address.bench.bench-om-$j</name><value>127.250.$j.1:9862</value></property><property><name>ozone.om.http-address.bench.bench-om-$j</name><value>127.250.$j.1:9874</value></property>"; done
  echo "<configuration>$props</configuration>" > "$work/om$i/conf/ozone-site.xml"
  OZONE_CONF_DIR=$work/om$i/conf "$sim_dir/ozone" om --init >/dev/null
  OZONE_CONF_DIR=$work/om$i/conf "$sim_dir/ozone" om >/dev/null 2>&1 &
done
cat > "$work/membership.yaml" <<YAML
version: 1
serviceId: bench
release: bench
namespace: default
statefulSet: bench-om
ringConfigMap: bench-om-ring
replicas: 3
previousReplicas: 3
nodeIdPrefix: bench-om-
hostPattern: "127.250.{ordinal}.1"
nodes:
  - {id: bench-om-0, host: 127.250.0.1}
  - {id: bench-om-1, host: 127.250.1.1}
  - {id: bench-om-2, host: 127.250.2.1}
ports: {rpc: 9862, ratis: 9872, http: 9874}
paths: {metadataDir: $work/om0/data}
timeouts: {bootstrap: 900, waitForTurn: 3600, command: 120, decommission: 600}
YAML
for _ in $(seq 100); do curl -sf http://127.250.0.1:9874/jmx >/dev/null 2>&1 && break; sleep 0.1; done
export POD_NAME=bench-om-0 OM_LIFECYCLE_MEMBERSHIP=$work/membership.yaml
measure "om-lifecycle status (3 simulated OMs)" 20 40 "$bin" status --output json
