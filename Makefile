# Entry points for people and CI. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

ROOT        := $(CURDIR)
TOOLS       := $(ROOT)/.tools/bin
ARTIFACTS   := $(ROOT)/artifacts
HELPER_BIN  := $(ARTIFACTS)/helper/om-lifecycle
ARM64_BIN   := $(ARTIFACTS)/helper-arm64/om-lifecycle
# The cross compiler for linux-arm64: clang targets any architecture (gcc would need its own
# aarch64 build); Debian names it clang-14 when the `clang` package is not installed.
ARM64_CC    ?= $(firstword $(shell command -v clang clang-19 clang-18 clang-17 clang-16 clang-15 clang-14 2>/dev/null))
MAX_GLIBC   := 2.34
SCENARIO    ?= tests/scenarios/proposal-ordered-cases.yaml
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1
export OZONE_CHART_TOOLS := $(TOOLS)
export OM_LIFECYCLE_BIN := $(HELPER_BIN)

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

.PHONY: tools
tools: ## Install pinned Helm 3.18.0 / 4.1.4, kubectl, yamllint, readme-generator into .tools/
	@./scripts/install-tools.sh

.PHONY: helper
helper: ## Publish om-lifecycle as a linux-x64 NativeAOT binary and check its glibc needs
	dotnet publish helper/OmLifecycle.csproj -c Release -r linux-x64 -o $(ARTIFACTS)/helper --nologo -v quiet
	@./scripts/check-glibc.sh $(HELPER_BIN) $(MAX_GLIBC)
	@$(HELPER_BIN) --version >/dev/null && echo "om-lifecycle $$($(HELPER_BIN) --version) runs"

.PHONY: helper-arm64
helper-arm64: ## Cross-compile om-lifecycle for linux-arm64 (NativeAOT, clang + Debian's arm64 cross libc) and check its glibc needs
	@[ -n "$(ARM64_CC)" ] && command -v aarch64-linux-gnu-objcopy >/dev/null \
	  || { echo "helper-arm64: needs clang and Debian's gcc-aarch64-linux-gnu; run 'make tools'" >&2; exit 1; }
	dotnet publish helper/OmLifecycle.csproj -c Release -r linux-arm64 -o $(ARTIFACTS)/helper-arm64 --nologo -v quiet \
	  -p:CppCompilerAndLinker=$(ARM64_CC) -p:ObjCopyName=aarch64-linux-gnu-objcopy
	@./scripts/check-glibc.sh $(ARM64_BIN) $(MAX_GLIBC)

.PHONY: test-arm64
test-arm64: helper-arm64 ## Run the tests that exec om-lifecycle against the linux-arm64 binary under qemu-user
	dotnet build tests/OmLifecycle.Tests/OmLifecycle.Tests.csproj -c Release --nologo -v quiet
	./scripts/test-arm64.sh $(ARM64_BIN) $(MAX_GLIBC)

.PHONY: build
build: ## Build every project
	dotnet build OzoneChart.slnx -c Release --nologo -v quiet

.PHONY: test
test: tools release-check helper build ## Run every test offline (helper, simulator, chart, cluster twin scenarios)
	./scripts/in-own-network.sh dotnet test OzoneChart.slnx -c Release --no-build --nologo -v quiet --logger "console;verbosity=normal"
	./scripts/scenarios.sh

.PHONY: test-complement
test-complement: tools helper build ## Run every scenario file under the Helm version `make test` did not give it (CI runs both)
	SCENARIO_HELMS=complement ./scripts/scenarios.sh

.PHONY: lint
lint: tools ## Lint the chart like `ct lint` does (helm lint, yamllint, Chart.yaml, schema) and the workflows
	@./scripts/lint-chart.sh
	@./scripts/check-workflows.sh
	@./scripts/check-release.sh

.PHONY: release-check
release-check: tools ## Check that a release pushes exactly what the chart pulls and docs/install.md names (release.env)
	@./scripts/check-release.sh

.PHONY: demo
demo: tools helper build ## Run the proposal's ordered cases in the cluster twin and print the per-step table
	./scripts/demo.sh tests/scenarios/proposal-ordered-cases.yaml both

.PHONY: scenario
scenario: tools helper build ## Run one scenario file in the twin: make scenario SCENARIO=path/to/file.yaml
	./scripts/demo.sh $(SCENARIO) both

.PHONY: scenario-cluster
scenario-cluster: build ## Run one scenario file against the cluster in KUBECONFIG (real Ozone): make scenario-cluster SCENARIO=...
	tests/ClusterTwin/bin/Release/net10.0/cluster-twin run $(SCENARIO) --real-cluster --repo $(ROOT) --report $(ROOT)/out/cluster/$(notdir $(basename $(SCENARIO))).json

.PHONY: bench
bench: helper build ## Print cold start and peak RSS of om-lifecycle (figures, not a test)
	./scripts/bench.sh $(HELPER_BIN)

.PHONY: image
image: ## Build the helper image with docker or podman, if one is present
	@./scripts/build-image.sh

.PHONY: clean
clean: ## Remove build output (keeps .tools/)
	rm -rf $(ARTIFACTS) out
	find . -path ./.tools -prune -o \( -name bin -o -name obj \) -type d -print | xargs rm -rf
