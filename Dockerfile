# syntax=docker/dockerfile:1
# The om-lifecycle helper image: a NativeAOT binary on a minimal non-root base. Its one job, as an
# init container, is `om-lifecycle install --to DIR`; OM pods and hook Jobs then run the copy.

# Build stage: the .NET 10 SDK with the NativeAOT toolchain (clang, zlib headers). The binary must
# need no newer glibc than 2.34 (the apache/ozone image): checked here as `make helper` does.
FROM mcr.microsoft.com/dotnet/sdk:10.0-noble AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends clang zlib1g-dev binutils \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY helper/OmLifecycle.csproj helper/
RUN dotnet restore helper/OmLifecycle.csproj -r linux-x64
COPY helper/ helper/
COPY scripts/check-glibc.sh scripts/
ARG SOURCE_DATE_EPOCH=0
RUN dotnet publish helper/OmLifecycle.csproj -c Release -r linux-x64 --no-restore -o /out \
      -p:Deterministic=true -p:ContinuousIntegrationBuild=true \
 && /out/om-lifecycle --version \
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
