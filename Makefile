# Entry points for people and CI. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

ROOT        := $(CURDIR)
TOOLS       := $(ROOT)/.tools/bin
ARTIFACTS   := $(ROOT)/artifacts
HELPER_BIN  := $(ARTIFACTS)/helper/om-lifecycle
MAX_GLIBC   := 2.34
SCENARIO    ?= tests/scenarios/proposal-ordered-cases.yaml
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1
export OZONE_CHART_TOOLS := $(TOOLS)
export OM_LIFECYCLE_BIN := $(HELPER_BIN)

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

.PHONY: tools
tools: ## Install pinned Helm 3.18.0 / 4.1.4, kubectl, yamllint, readme-generator into .tools/
	@./scripts/install-tools.sh

.PHONY: helper
helper: ## Publish om-lifecycle as a linux-x64 NativeAOT binary and check its glibc needs
	dotnet publish helper/OmLifecycle.csproj -c Release -r linux-x64 -o $(ARTIFACTS)/helper --nologo -v quiet
	@./scripts/check-glibc.sh $(HELPER_BIN) $(MAX_GLIBC)
	@$(HELPER_BIN) --version >/dev/null && echo "om-lifecycle $$($(HELPER_BIN) --version) runs"

.PHONY: build
build: ## Build every project
	dotnet build OzoneChart.slnx -c Release --nologo -v quiet

.PHONY: test
test: tools release-check helper build ## Run every test offline (helper, simulator, chart, cluster twin scenarios)
	dotnet test OzoneChart.slnx -c Release --no-build --nologo -v quiet --logger "console;verbosity=normal"
	./scripts/scenarios.sh

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
	find . -name bin -o -name obj | grep -E '/(bin|obj)$$' | xargs rm -rf
