# kubectl-drunc. `make demo` and `make test` are the two commands to know;
# `make help` lists the rest.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build

GO ?= go
# Control-plane binaries (built once per version) and the local cluster's state.
CACHE_DIR ?= $(HOME)/.cache/kubectl-drunc
CLUSTER_DIR ?= $(CACHE_DIR)/cluster-state
# Fake nodes (kwok) created at cluster start, named like DUNE hosts.
NODES ?= np02-srv-001 np02-srv-002 np02-srv-003
# KEEP=1: `make demo` / `make test` leave the cluster they started running.
KEEP ?=
TEST_TIMEOUT ?= 30m
# Test packages run in parallel (integration tests mostly wait on the cluster).
TEST_P ?= 2
TEST_FLAGS ?=
BENCH ?= .
BENCH_FLAGS ?= -benchtime=1x -count=1
BENCH_TIMEOUT ?= 60m
# Benchmarks that need the cluster live in test/bench (micro-benchmarks in
# their packages give their own command in BENCHMARKS.md).
BENCH_PKGS ?= ./test/bench/...
# A benchmark's own flags (go test -args ...), e.g. BENCH_ARGS='-rounds 5'.
BENCH_ARGS ?=
# REV (on the command line only): a git revision whose kubectl-drunc `make
# baseline` builds into BASELINE_DIR/<commit>/, and that `make bench` then
# passes to the boot, kill and ps benchmarks as -baseline (measured in the
# same run, interleaved).
REV :=
BASELINE_DIR ?= $(CACHE_DIR)/baseline
export CACHE_DIR CLUSTER_DIR NODES KEEP

PLUGIN := bin/kubectl-drunc
CLI_PKG := github.com/kubectl-drunc/kubectl-drunc/plugin/cli

.PHONY: help build unit vet lint test bench bench-scale baseline demo clean \
	cluster-build cluster-up cluster-down cluster-status

help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t18

# Static (CGO_ENABLED=0), as hack/dist.sh builds the released binaries: with
# cgo the binary is dynamically linked and exports every Go symbol (a
# dependency imports package plugin), ~16 MB of symbol tables.
build: ## bin/kubectl-drunc, with version, commit and date from git
	@. hack/version.sh && \
	  CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-s -w -X $(CLI_PKG).Version=$$VERSION -X $(CLI_PKG).Commit=$$COMMIT -X $(CLI_PKG).Date=$$DATE" \
	    -o $(PLUGIN) ./cmd/kubectl-drunc && echo "built $(PLUGIN) $$VERSION"

vet: ## go vet
	$(GO) vet ./...

unit: ## unit tests only (integration tests skip without a cluster)
	env -u DRUNC_TEST_KUBECONFIG $(GO) test -count=1 ./...

lint: vet ## golangci-lint (pinned in hack/devtools/golangci-lint, built into CACHE_DIR; config .golangci.yml)
	"$$(hack/devtools/build.sh golangci-lint)/golangci-lint" run --allow-serial-runners ./...

test: vet build ## vet + unit + integration tests (starts the local cluster if needed, stops what it started)
	DRUNC_TEST_PLUGIN=$(CURDIR)/$(PLUGIN) hack/cluster/with-cluster.sh \
	  $(GO) test -count=1 -p $(TEST_P) -timeout $(TEST_TIMEOUT) $(TEST_FLAGS) ./...

bench: build $(if $(REV),baseline) ## benchmarks against the local cluster (results: BENCHMARKS.md); REV=<rev> compares with that commit's build
	DRUNC_TEST_PLUGIN=$(CURDIR)/$(PLUGIN) hack/cluster/with-cluster.sh \
	  $(GO) test -run '^$$' -bench '$(BENCH)' $(BENCH_FLAGS) -timeout $(BENCH_TIMEOUT) $(BENCH_PKGS) \
	  $(if $(strip $(BENCH_ARGS) $(REV)),-args $(BENCH_ARGS) $(if $(REV),-baseline $(BASELINE_BIN)))

# The revision's tree comes from `git archive` (the working tree and the
# repository are untouched) and is built with the flags of `build` above, so
# both sides of a comparison are built alike whatever the old Makefile said.
baseline_commit = $(shell git rev-parse --verify --quiet '$(REV)^{commit}')
BASELINE_BIN = $(BASELINE_DIR)/$(baseline_commit)/kubectl-drunc

baseline: ## kubectl-drunc of git revision REV into BASELINE_DIR/<commit>/ (once), for the benchmarks' -baseline
	@test -n "$(REV)" || { echo "make baseline needs REV=<git revision>, e.g. REV=main~1" >&2; exit 2; }
	@test -n "$(baseline_commit)" || { echo "REV=$(REV) is not a commit of this repository" >&2; exit 2; }
	@bin=$(BASELINE_BIN); src=$(BASELINE_DIR)/$(baseline_commit)/src; \
	if [ ! -x "$$bin" ]; then \
	  rm -rf "$$src" && mkdir -p "$$src" && git archive $(baseline_commit) | tar -x -C "$$src"; \
	  VERSION=$$(git describe --tags --match 'v[0-9]*' $(baseline_commit) 2>/dev/null || echo v0.0.0-dev.g$$(git rev-parse --short=7 $(baseline_commit))); \
	  DATE=$$(date -u -d "@$$(git log -1 --format=%ct $(baseline_commit))" +%Y-%m-%dT%H:%M:%SZ); \
	  (cd "$$src" && $(GO) build -trimpath -ldflags "-s -w -X $(CLI_PKG).Version=$$VERSION -X $(CLI_PKG).Commit=$(baseline_commit) -X $(CLI_PKG).Date=$$DATE" \
	    -o "$$bin" ./cmd/kubectl-drunc); \
	  rm -rf "$$src"; \
	fi; \
	echo "baseline $(REV): $$bin"

# The 10,000-process session on 1,000 fake nodes, on a cluster of its own
# (SCALE_CLUSTER_DIR, started and stopped by the run unless already up),
# whose fake nodes have addresses of their own (NODE_IP_BASE in
# hack/cluster/nodes.sh says why). A smaller one:
# make bench-scale SCALE_NODES=140 BENCH_ARGS='-processes 400'.
SCALE_CLUSTER_DIR ?= $(CACHE_DIR)/cluster-scale
SCALE_NODES ?= 1000
SCALE_TIMEOUT ?= 60m

bench-scale: build ## the 10,000-process session on 1,000 fake nodes, on a cluster of its own (BENCHMARKS.md)
	CLUSTER_DIR=$(SCALE_CLUSTER_DIR) NODES="$$(seq -f 'np02-srv-%04g' $(SCALE_NODES))" NODE_IP_BASE=10.64 \
	  DRUNC_TEST_PLUGIN=$(CURDIR)/$(PLUGIN) hack/cluster/with-cluster.sh \
	  $(GO) test -run '^$$' -bench '^BenchmarkScale$$' -benchtime=1x -count=1 -v -timeout $(SCALE_TIMEOUT) ./test/bench/scale \
	  -args -nodes $(SCALE_NODES) $(BENCH_ARGS)

demo: build ## the plugin on a local cluster with fake nodes; KEEP=1 leaves it running
	hack/cluster/with-cluster.sh hack/demo.sh

cluster-build: ## build the control plane (etcd, kube-*, kwok) into CACHE_DIR if not cached
	hack/cluster/build.sh

cluster-up: ## start the local control plane in CLUSTER_DIR with NODES
	hack/cluster/up.sh

cluster-down: ## stop it (only the processes cluster-up started)
	hack/cluster/down.sh

cluster-status: ## what runs, where, and the fake nodes
	hack/cluster/status.sh

clean: ## remove build outputs (not the control-plane cache)
	rm -rf bin dist

# ---------------------------------------------------------------------------
# Release, krew, docs (hack/dist.sh, hack/krew.sh, hack/generate; tools for
# krew and golangci-lint are built by hack/devtools/build.sh into CACHE_DIR).
.PHONY: dist krew e2e-krew e2e docs
# One version for the whole make run, so dist and krew agree even if HEAD
# moves in between (override: make dist krew VERSION=v1.2.3).
RELEASE_VERSION := $(shell . hack/version.sh && echo $$VERSION)

dist: ## release archives (+ .sha256) for linux, darwin, windows in dist/
	VERSION=$(RELEASE_VERSION) hack/dist.sh

krew: ## krew/drunc.yaml from krew/drunc.yaml.tmpl and dist/, checked by krew's validator
	VERSION=$(RELEASE_VERSION) hack/krew.sh
	"$$(hack/devtools/build.sh krew)/validate-krew-manifest" -manifest krew/drunc.yaml -skip-install

e2e-krew: dist krew ## install the archives with krew (offline) and run `kubectl drunc` through kubectl
	DRUNC_KREW_TOOLS="$$(hack/devtools/build.sh krew)" \
	  hack/cluster/with-cluster.sh $(GO) test -count=1 -timeout 15m ./test/e2e/krew/

e2e: e2e-krew ## end-to-end checks of the shipped artefacts (CI runs it after make test)

docs: ## regenerate docs/commands (cobra/doc) and deploy/rbac.yaml from the code
	$(GO) run ./hack/generate

# ---------------------------------------------------------------------------
# Fuzzing: each target runs for FUZZTIME (.ci/run uses the default), and a
# crasher is minimized for at most FUZZMINIMIZETIME.
# Add a line per fuzz target.
.PHONY: fuzz
FUZZTIME ?= 10s
FUZZMINIMIZETIME ?= 1s

fuzz: ## run every fuzz target for FUZZTIME each (no panic on any input)
	$(GO) test -run '^$$' -fuzz '^FuzzReadOKS$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME) ./plugin/oks
	$(GO) test -run '^$$' -fuzz '^FuzzDeriveSession$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME) ./plugin/okssession
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME) ./plugin/bootfile
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME) ./plugin/pmconfig
