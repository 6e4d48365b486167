#!/usr/bin/env bash
# Runs one scenario file in the cluster twin under Helm 3.18.0 and 4.1.4 and prints the per-step
# table; the JSON report goes to out/twin/<scenario>.json. Usage: scripts/demo.sh FILE [helm3|helm4|both]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scenario=${1:?usage: scripts/demo.sh path/to/scenario.yaml [helm3|helm4|both]}
helm=${2:-both}
twin=$root/tests/ClusterTwin/bin/Release/net10.0/cluster-twin
[ -x "$twin" ] || { echo "demo: $twin is missing; run 'make build'" >&2; exit 2; }
echo "The cluster twin runs the real chart with the real Helm binaries and the real om-lifecycle"
echo "binary in every OM pod and hook Job; Kubernetes and Ozone are simulated (see tests/scenarios/README.md)."
exec "$twin" run "$scenario" --helm "$helm" --repo "$root"
