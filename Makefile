# Espace OSC. `make dev` runs the whole system locally, `make test` runs every test.
# SAM builds each function through its build-<LogicalId> target (BuildMethod: makefile)
# and sets ARTIFACTS_DIR.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

ARTIFACTS_DIR ?= bin
GO ?= go
# Extra flags for `go test` in `make test`, e.g. GOTESTFLAGS=-json (used by .ci/run).
GOTESTFLAGS ?=
# Per test binary; the whole of `make test` must stay under 15 minutes on 2 cores.
TEST_TIMEOUT ?= 10m

# The same flags for every Lambda binary: static, arm64, no RPC mode, stripped.
GOBUILD = CGO_ENABLED=0 GOOS=linux GOARCH=arm64 $(GO) build -tags lambda.norpc -trimpath -ldflags='-s -w'

# LogicalId:folder for every function of template.yaml (infra/consistency checks both ways).
FUNCTIONS := \
	PortalFunction:portal \
	PublicContentFunction:publiccontent \
	AdminContentFunction:admincontent \
	ObservationsFunction:observations \
	AdminObservationsFunction:adminobservations \
	OutboxSweeperFunction:outboxsweeper \
	EventsFunction:events \
	AdminEventsFunction:adminevents \
	EventRemindersFunction:eventreminders \
	NotifierFunction:notifier \
	CallsFunction:calls \
	CandidaciesFunction:candidacies \
	DocumentCheckFunction:documentcheck \
	AdminCallsFunction:admincalls \
	EvaluatorFunction:evaluator \
	AdminCandidaciesFunction:admincandidacies \
	MembershipFunction:membership \
	AdminMembershipFunction:adminmembership \
	CocreationFunction:cocreation \
	AdminCocreationFunction:admincocreation

.PHONY: help dev test bench lint build clean

help:
	@echo "make dev     run the whole system locally (local cloud, no AWS account, no Docker)"
	@echo "make test    go vet + every test (moto-backed store tests run sequentially if moto_server is installed)"
	@echo "make bench   benchmarks"
	@echo "make lint    cfn-lint template.yaml and gofmt"
	@echo "make build   build every function for linux/arm64 into bin/<folder>/bootstrap"

# ---------------------------------------------------------------- SAM build targets

.PHONY: build-PortalFunction build-PublicContentFunction build-AdminContentFunction \
	build-ObservationsFunction build-AdminObservationsFunction build-OutboxSweeperFunction

build-PortalFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/portal

build-PublicContentFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/publiccontent

build-AdminContentFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/admincontent

build-ObservationsFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/observations

build-AdminObservationsFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/adminobservations

build-OutboxSweeperFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/outboxsweeper

.PHONY: build-EventsFunction build-AdminEventsFunction build-EventRemindersFunction build-NotifierFunction

build-EventsFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/events

build-AdminEventsFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/adminevents

build-EventRemindersFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/eventreminders

build-NotifierFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/notifier

.PHONY: build-CallsFunction build-CandidaciesFunction build-DocumentCheckFunction build-AdminCallsFunction

build-CallsFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/calls

build-CandidaciesFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/candidacies

build-DocumentCheckFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/documentcheck

build-AdminCallsFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/admincalls

.PHONY: build-EvaluatorFunction build-AdminCandidaciesFunction

build-EvaluatorFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/evaluator

build-AdminCandidaciesFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/admincandidacies

.PHONY: build-MembershipFunction build-AdminMembershipFunction

build-MembershipFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/membership

build-AdminMembershipFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/adminmembership

.PHONY: build-CocreationFunction build-AdminCocreationFunction

build-CocreationFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/cocreation

build-AdminCocreationFunction:
	$(GOBUILD) -o $(ARTIFACTS_DIR)/bootstrap ./functions/admincocreation

# ---------------------------------------------------------------- everyday targets

build:
	@for f in $(FUNCTIONS); do \
		id=$${f%%:*}; dir=$${f##*:}; \
		echo "build $$id -> bin/$$dir/bootstrap"; \
		$(MAKE) --no-print-directory build-$$id ARTIFACTS_DIR=$(CURDIR)/bin/$$dir; \
	done

dev:
	$(GO) run ./infra/local

# Packages whose tests use moto (ddbtest.Moto or ddbtest.Each, MOTO_ENDPOINT, or the
# `moto` build tag) run in a second pass, one package at a time: moto's transactions
# are not safe under concurrency. Everything else runs in parallel first. If moto_server is installed
# and MOTO_ENDPOINT is not already set, a moto_server is started on a free loopback
# port for the duration of the tests and stopped afterwards.
test:
	@status=0
	echo "$(GO) vet ./..."
	$(GO) vet ./... || status=1
	moto_pkgs=$$(grep -rlE --include='*_test.go' -e 'MOTO_ENDPOINT' -e 'ddbtest\.(Moto|Each)\(' -e '^//go:build .*moto' . \
		| xargs -r -n1 dirname | sort -u | sed 's|^\./||; s|^|espaceosc/|; s|/\.$$||') || true
	other_pkgs=$$($(GO) list ./... | grep -vxF -f <(printf '%s\n' $$moto_pkgs) || true)
	moto_pid=
	stop_moto() { if [ -n "$$moto_pid" ]; then kill "$$moto_pid" 2>/dev/null || true; wait "$$moto_pid" 2>/dev/null || true; fi; }
	trap stop_moto EXIT
	if [ -n "$$moto_pkgs" ] && [ -z "$${MOTO_ENDPOINT:-}" ] && command -v moto_server >/dev/null; then
		port=$$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		moto_server -H 127.0.0.1 -p "$$port" >/dev/null 2>&1 &
		moto_pid=$$!
		for i in $$(seq 1 100); do
			if (exec 3<>"/dev/tcp/127.0.0.1/$$port") 2>/dev/null; then break; fi
			sleep 0.1
		done
		export MOTO_ENDPOINT="http://127.0.0.1:$$port"
		echo "moto_server: $$MOTO_ENDPOINT (pid $$moto_pid)"
	fi
	if [ -n "$$other_pkgs" ]; then
		echo "$(GO) test $(GOTESTFLAGS) -timeout $(TEST_TIMEOUT) ./... (all but the moto-backed packages)"
		$(GO) test $(GOTESTFLAGS) -timeout $(TEST_TIMEOUT) $$other_pkgs || status=1
	fi
	if [ -n "$$moto_pkgs" ]; then
		echo "$(GO) test $(GOTESTFLAGS) -p 1 -tags moto -timeout $(TEST_TIMEOUT)" $$moto_pkgs
		$(GO) test $(GOTESTFLAGS) -p 1 -tags moto -timeout $(TEST_TIMEOUT) $$moto_pkgs || status=1
	fi
	exit $$status

bench:
	$(GO) test -run '^$$' -bench . ./...

lint:
	@echo "cfn-lint template.yaml"
	cfn-lint template.yaml
	unformatted=$$(find . -name '*.go' -not -path './.git/*' -not -path './.local/*' -not -path './.aws-sam/*' -print0 | xargs -0 -r gofmt -l)
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi

clean:
	rm -rf bin .aws-sam

.ONESHELL:
