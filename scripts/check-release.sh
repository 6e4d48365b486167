#!/usr/bin/env bash
# Checks offline that a release publishes exactly what the chart pulls and the docs name:
# release.env is the source; Chart.yaml, the helper's version, the rendered default helper image,
# Artifact Hub's metadata, the Dockerfile, both workflows and docs/install.md must agree with it,
# and the release workflow must publish both platforms, an SBOM, provenance and signatures.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
helm=${OZONE_CHART_TOOLS:-$root/.tools/bin}/helm4
[ -x "$helm" ] || helm=$(command -v helm) || { echo "check-release: no helm (run 'make tools')" >&2; exit 2; }
fail=0
problem() { echo "check-release: $*" >&2; fail=1; }

# release.env holds KEY=value lines only (it is also appended to $GITHUB_ENV by the workflows).
grep -vE '^(#.*|[A-Z_]+=[A-Za-z0-9./:_-]+|)$' "$root/release.env" && problem "release.env: only comments and KEY=value lines (no spaces or quotes) are allowed"
value() { sed -n "s/^$1=//p" "$root/release.env"; }
version=$(value VERSION); image=$(value HELPER_IMAGE); charts=$(value CHART_REPOSITORY); source=$(value SOURCE_REPOSITORY)
[ -n "$version" ] && [ -n "$image" ] && [ -n "$charts" ] && [ -n "$source" ] || { echo "check-release: release.env needs VERSION, HELPER_IMAGE, CHART_REPOSITORY and SOURCE_REPOSITORY" >&2; exit 1; }

chart=$(sed -n 's/^version: //p' "$root/charts/ozone/Chart.yaml")
[ "$chart" = "$version" ] || problem "charts/ozone/Chart.yaml version is $chart, release.env says $version"
helper=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/helper/OmLifecycle.csproj")
[ "$helper" = "$version" ] || problem "helper/OmLifecycle.csproj <Version> is $helper, release.env says $version"

# The image a default install pulls is the image a release pushes.
rendered=$("$helm" template ozone "$root/charts/ozone" | grep -oE 'image: "?[^" ]*om-lifecycle[^" ]*' | sed -E 's/image: "?//' | sort -u)
[ "$rendered" = "$image:$version" ] || problem "a default install pulls '${rendered//$'\n'/, }', a release pushes '$image:$version' (values.yaml helper.image.repository, Chart.yaml version)"
grep -qF "image: $image:$version" "$root/charts/ozone/Chart.yaml" || problem "Chart.yaml's artifacthub.io/images does not list $image:$version"
appVersion=$(sed -n 's/^appVersion: "\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$root/charts/ozone/Chart.yaml")
grep -qF "image: apache/ozone:$appVersion" "$root/charts/ozone/Chart.yaml" || problem "Chart.yaml's artifacthub.io/images does not list apache/ozone:$appVersion"

# The workflows read release.env rather than spelling the names themselves.
for workflow in release.yaml chart-test.yaml; do
  file=$root/.github/workflows/$workflow
  grep -qF 'release.env >> "$GITHUB_ENV"' "$file" || problem "$workflow does not load release.env into \$GITHUB_ENV"
  grep -nE 'ghcr\.io/|repository_owner \}\}/' "$file" | grep -v 'registry: ghcr.io' && problem "$workflow spells an image or chart location itself; use \${{ env.HELPER_IMAGE }} / \${{ env.CHART_REPOSITORY }} from release.env"
done
grep -qF 'tags: ${{ env.HELPER_IMAGE }}:${{ env.VERSION }}' "$root/.github/workflows/release.yaml" || problem "release.yaml does not push \${{ env.HELPER_IMAGE }}:\${{ env.VERSION }}"
grep -qF 'helm push dist/ozone-${VERSION}.tgz "$CHART_REPOSITORY"' "$root/.github/workflows/release.yaml" || problem "release.yaml does not push the chart to \$CHART_REPOSITORY"

# Artifact Hub: the license and this version's changes in Chart.yaml, the repository metadata file
# the release copies next to the chart index.
grep -qE '^  artifacthub.io/license: ' "$root/charts/ozone/Chart.yaml" || problem "Chart.yaml has no artifacthub.io/license annotation"
grep -qE '^  artifacthub.io/changes: ' "$root/charts/ozone/Chart.yaml" || problem "Chart.yaml has no artifacthub.io/changes annotation (what this version changed)"
[ -f "$root/artifacthub-repo.yml" ] || problem "artifacthub-repo.yml is missing (Artifact Hub's repository metadata)"
grep -qF 'cp artifacthub-repo.yml pages/' "$root/.github/workflows/release.yaml" || problem "release.yaml does not publish artifacthub-repo.yml with the chart index"

# The image: every platform cross-compiled (no emulated compiler), pushed as one manifest with an
# SBOM and provenance, and the image and chart signed keylessly by digest.
grep -qE '^FROM --platform=\$BUILDPLATFORM .* AS build$' "$root/Dockerfile" || problem "Dockerfile's build stage is not 'FROM --platform=\$BUILDPLATFORM ... AS build' (it would emulate the compiler)"
grep -qE '^ARG TARGETARCH$' "$root/Dockerfile" || problem "Dockerfile does not read ARG TARGETARCH"
grep -qF "org.opencontainers.image.source=\"$source\"" "$root/Dockerfile" || problem "Dockerfile's org.opencontainers.image.source is not $source"
release=$root/.github/workflows/release.yaml
for line in 'platforms: linux/amd64,linux/arm64' 'sbom: true' 'provenance: mode=max' 'id-token: write' \
            'cosign sign --yes "${HELPER_IMAGE}@${DIGEST}"' 'cosign sign --yes "${CHART_REPOSITORY#oci://}/ozone@${digest}"'; do
  grep -qF "$line" "$release" || problem "release.yaml lacks '$line'"
done

# The docs give the exact references.
identity="$source/.github/workflows/release.yaml@refs/tags/v$version"
for command in "cosign verify $image:$version" "cosign verify ${charts#oci://}/ozone:$version" "--certificate-identity $identity" \
               "docker buildx imagetools inspect $image:$version"; do
  grep -qF -- "$command" "$root/docs/install.md" || problem "docs/install.md does not give '$command'"
done
grep -qF "helm install ozone $charts/ozone --version $version" "$root/docs/install.md" || problem "docs/install.md does not give 'helm install ozone $charts/ozone --version $version'"
grep -qF "$image:$version" "$root/docs/install.md" || problem "docs/install.md does not name the helper image $image:$version"
grep -n '<owner>' "$root/docs/install.md" && problem "docs/install.md still has a <owner> placeholder"

[ "$fail" = 0 ] && echo "check-release: $version agrees everywhere (chart, helper, $image:$version, $charts/ozone)"
exit "$fail"
