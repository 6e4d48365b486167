#!/usr/bin/env bash
# Fails when a binary needs a newer glibc symbol version than the apache/ozone image has (2.34).
set -euo pipefail
binary=$1 max=$2
needed=$(objdump -T "$binary" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
if [ "$(printf '%s\n%s\n' "$needed" "$max" | sort -V | tail -1)" != "$max" ]; then
  echo "check-glibc: $binary needs GLIBC_$needed, newer than GLIBC_$max of the apache/ozone image" >&2
  exit 1
fi
echo "check-glibc: $binary needs at most GLIBC_$needed (limit GLIBC_$max)"
