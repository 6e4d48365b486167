#!/usr/bin/env bash
# Runs the test projects and the scenario suite side by side, as `make test` does. The test
# projects spend most of their time waiting on the om-lifecycle processes they start, and the
# twins on scaled Kubernetes timers, so on two cores the pair takes little more than the scenario
# suite alone. The projects run in their own network namespace (each twin has one too), so their
# loopback addresses never meet. The scenario tables stream as each job ends; the projects' output
# is kept in a file and printed whole once both are done, so the two never interleave. Fails when
# either fails, and says which.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/out/test
mkdir -p "$out"
projects_log=$out/dotnet-test.log

started=$(date +%s)
"$root"/scripts/in-own-network.sh dotnet test "$root"/OzoneChart.slnx -c Release --no-build --nologo -v quiet \
  --logger "console;verbosity=normal" > "$projects_log" 2>&1 &
projects=$!

scenarios_rc=0
"$root"/scripts/scenarios.sh || scenarios_rc=$?
projects_rc=0
wait "$projects" || projects_rc=$?

echo
echo "test: output of the test projects (dotnet test, also in ${projects_log#"$root"/}):"
cat "$projects_log"
echo
[ "$projects_rc" -eq 0 ] && projects_said=passed || projects_said="FAILED (exit $projects_rc)"
[ "$scenarios_rc" -eq 0 ] && scenarios_said=passed || scenarios_said="FAILED (exit $scenarios_rc)"
echo "test: test projects $projects_said; scenarios $scenarios_said; $(( $(date +%s) - started )) s in all"
[ "$projects_rc" -eq 0 ] && [ "$scenarios_rc" -eq 0 ]
