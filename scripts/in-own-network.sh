#!/usr/bin/env bash
# Runs a command in a private network namespace with only its own loopback up, so that the
# loopback addresses and ports the tests bind never meet those of another run on this machine
# (a second `make test`, a scenario run, a twin). Needs root, as the twin does; without it the
# command runs in the machine's network, as before.
set -euo pipefail
if [ "${IN_OWN_NETWORK:-}" = 1 ]; then
  ip link set lo up
  exec "$@"
fi
if unshare --net true 2>/dev/null; then
  exec unshare --net -- env IN_OWN_NETWORK=1 "$0" "$@"
fi
echo "in-own-network: cannot create a network namespace (needs root); running in the machine's network" >&2
exec "$@"
