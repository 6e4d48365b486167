#!/usr/bin/env bash
# Proves the linux-arm64 om-lifecycle on an x64 machine: checks that the file really is an AArch64
# ELF with glibc needs within the apache/ozone image's 2.34, then runs the tests that exec the
# binary (command line, bad input) through qemu-user. The hook-command tests against the simulator
# are left to the x64 binary: they wait on a live ring, and qemu's slowdown turned their waits
# into timeouts, which would test the emulator rather than the binary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
binary=${1:-$root/artifacts/helper-arm64/om-lifecycle}
max_glibc=${2:-2.34}
# Debian's arm64 cross libraries (libc6-arm64-cross): the dynamic loader and libc qemu gives the binary.
sysroot=${ARM64_SYSROOT:-/usr/aarch64-linux-gnu}

if [ ! -f "$binary" ]; then
  echo "test-arm64: $binary does not exist; run 'make helper-arm64' first" >&2
  exit 1
fi
machine=$(readelf -h "$binary" | awk -F: '/Machine:/ {gsub(/^ +/, "", $2); print $2}')
if [ "$machine" != "AArch64" ]; then
  echo "test-arm64: $binary is built for '$machine', not AArch64; run 'make helper-arm64'" >&2
  exit 1
fi
"$root/scripts/check-glibc.sh" "$binary" "$max_glibc"
emulator=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
if [ -z "$emulator" ]; then
  echo "test-arm64: no qemu-aarch64-static or qemu-aarch64 on PATH; run 'make tools' (installs qemu-user-static)" >&2
  exit 1
fi
if [ ! -e "$sysroot/lib/ld-linux-aarch64.so.1" ]; then
  echo "test-arm64: $sysroot/lib/ld-linux-aarch64.so.1 is missing; run 'make tools' or set ARM64_SYSROOT" >&2
  exit 1
fi

export QEMU_LD_PREFIX=$sysroot
echo "test-arm64: $("$emulator" "$binary" --version) runs under $(basename "$emulator")"
OM_LIFECYCLE_BIN=$binary OM_LIFECYCLE_EMULATOR=$emulator \
  dotnet test "$root/tests/OmLifecycle.Tests/OmLifecycle.Tests.csproj" -c Release --no-build --nologo -v quiet \
  --filter "FullyQualifiedName~OmLifecycle.Tests.Cli.|FullyQualifiedName~OmLifecycle.Tests.BadInput."
