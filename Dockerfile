# syntax=docker/dockerfile:1
# The om-lifecycle helper image: a NativeAOT binary on a minimal non-root base. Its one job, as an
# init container, is `om-lifecycle install --to DIR`; OM pods and hook Jobs then run the copy.

# Build stage: runs on the builder's own platform (BUILDPLATFORM) and cross-compiles for each
# TARGETARCH, so `docker buildx build --platform linux/amd64,linux/arm64` never emulates the
# compiler. NativeAOT cross-compiles with clang plus the target's cross libc (Ubuntu's
# gcc-<triple> packages), as `make helper-arm64` does on Debian. The binary must need no newer
# glibc than 2.34 (the apache/ozone image): checked here as `make helper` does.
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
ARG TARGETARCH
ARG BUILDARCH
# amd64/arm64 are Docker's names; .NET says x64/arm64, GNU x86_64/aarch64.
RUN case "$TARGETARCH" in \
      amd64) echo "x64 x86_64-linux-gnu x86-64-linux-gnu" ;; \
      arm64) echo "arm64 aarch64-linux-gnu aarch64-linux-gnu" ;; \
      *) echo "TARGETARCH=$TARGETARCH: the helper is built for amd64 and arm64 only" >&2; exit 1 ;; \
    esac > /target \
 && read -r rid triple package < /target \
 && cross="" \
 && if [ "$TARGETARCH" != "$BUILDARCH" ]; then cross="gcc-$package binutils-$package"; fi \
 && apt-get update \
 && apt-get install -y --no-install-recommends clang binutils $cross \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY helper/OmLifecycle.csproj helper/
RUN read -r rid triple package < /target && dotnet restore helper/OmLifecycle.csproj -r "linux-$rid"
COPY helper/ helper/
COPY scripts/check-glibc.sh scripts/
ARG SOURCE_DATE_EPOCH=0
RUN read -r rid triple package < /target \
 && objcopy=objcopy && if [ "$TARGETARCH" != "$BUILDARCH" ]; then objcopy="$triple-objcopy"; fi \
 && dotnet publish helper/OmLifecycle.csproj -c Release -r "linux-$rid" --no-restore -o /out \
      -p:Deterministic=true -p:ContinuousIntegrationBuild=true \
      -p:CppCompilerAndLinker=clang -p:ObjCopyName="$objcopy" \
 && if [ "$TARGETARCH" = "$BUILDARCH" ]; then /out/om-lifecycle --version; \
    else readelf -h /out/om-lifecycle | grep -E "Machine: +$( [ "$rid" = arm64 ] && echo AArch64 || echo 'Advanced Micro Devices X86-64')"; fi \
 && scripts/check-glibc.sh /out/om-lifecycle 2.34

# Final stage: glibc, CA certificates, nothing else; runs as a non-root user.
FROM gcr.io/distroless/cc-debian12:nonroot
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=1970-01-01T00:00:00Z
LABEL org.opencontainers.image.title="om-lifecycle" \
      org.opencontainers.image.description="Manages the Apache Ozone OM ring of the ozone Helm chart" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/ozone-om-ring/ozone-helm"
COPY --from=build --chmod=0755 /out/om-lifecycle /om-lifecycle
USER 65532:65532
ENTRYPOINT ["/om-lifecycle"]
CMD ["install", "--to", "/opt/om-lifecycle"]
