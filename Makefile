# cloudflare_community.logpush -- every target does its own set-up on a fresh clone; `make help` lists them.
#   make demo      the workflow of Cloudflare's cURL example, through the collection, against the local emulator
#   make test      every check on the main release, ansible-core 2.19 (non-zero on any failure)
#   make test-all  make test, then every other release of the supported range (what CI runs: .ci/run)

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
# ansible-rulebook lives in a venv of its own: its pins differ from the development venv's
EDA_VENV := .venv-eda
EDA_STAMP := $(EDA_VENV)/.installed
COLLECTION := .build/ansible_collections/cloudflare_community/logpush
EMULATOR_PORT ?= 8787
S3_PORT ?= 9000
# `make test` uses its own ports, so that it runs beside a `make emulator` left open.
TEST_EMULATOR_PORT ?= 8788
TEST_S3_PORT ?= 9001
# the GCS server and Azurite beside moto in make test (scripts/with-emulator.sh derives them from S3_PORT otherwise)
TEST_GCS_PORT ?= 9101
TEST_AZURE_PORT ?= 9201
# `make bench` uses its own ports as well, so that it runs beside make test and make emulator.
BENCH_EMULATOR_PORT ?= 8797
BENCH_S3_PORT ?= 9017
# ansible-test bootstraps pip in each venv it makes with a script it downloads from a host that only
# reaches PyPI here; scripts/ansible_test_get_pip.py does the same from PyPI. `--install` asks the venv's
# ansible-test which pip versions it bootstraps and puts the stand-in in its cache under those names, or
# fails loudly when a new ansible-test no longer says (scripts/compat.sh does the same for each release).
ANSIBLE_TEST := cd $(COLLECTION) && $(BIN)/ansible-test
# Azurite's Blob service, installed from npm with the lock file (node and npm come with the machine)
AZURITE := .run/npm/node_modules/.bin/azurite-blob

export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.build
export PATH := $(BIN):$(PATH)
export ANSIBLE_NOCOLOR := 1

.PHONY: help venv eda-venv collection azurite ansible-test-pip emulator demo bench test test-all sanity compat lint \
	changelog-lint docs release-check units emulator-tests eda-tests integration compat-integration clean

help:
	@echo "Start here:"
	@echo "  make demo                the workflow of Cloudflare's cURL example through the collection, against the emulator"
	@echo "  make test                every check on ansible-core 2.19 (the list below), in order; non-zero on any failure"
	@echo "  make test-all            make test, then make compat: every other release (CI runs this; CONTRIBUTING.md has the times)"
	@echo "  make emulator            the Logpush API emulator with its S3, GCS and Azure servers (Ctrl-C stops them)"
	@echo "  make bench               benchmarks against the emulator (not part of any test; BENCH_ARGS=...)"
	@echo "What make test runs:"
	@echo "  make sanity              ansible-test sanity on ansible-core 2.19 (no ignore files)"
	@echo "  make lint                ansible-lint on the role, the playbooks and every documented example"
	@echo "  make changelog-lint      antsibull-changelog lint"
	@echo "  make docs                the docs site with antsibull-docs; any warning fails"
	@echo "  make units               the unit tests"
	@echo "  make emulator-tests      the emulator's own tests (against Cloudflare's OpenAPI spec)"
	@echo "  make eda-tests           the EDA event source against the emulator, and the example rulebook"
	@echo "  make integration         every integration target against the emulator and the storage servers, in 2 groups at once"
	@echo "  make release-check       the tarball a release would publish, galaxy-importer, the EE build context"
	@echo "What make test-all adds:"
	@echo "  make compat              every sanity test and the units on 2.16, 2.17, 2.18, 2.20, 2.21, then compat-integration"
	@echo "  make compat-integration  every integration target on 2.16 and on 2.21"
	@echo "Set-up (each target above does what it needs):"
	@echo "  make venv                .venv with requirements/dev.txt"
	@echo "  make eda-venv            .venv-eda with ansible-rulebook"
	@echo "  make collection          the collection staged in .build, with the collections it tests with"
	@echo "  make azurite             Azurite from npm, for the emulator's azure:// writes"
	@echo "  make ansible-test-pip    ansible-test's pip bootstrap stand-in, under the names .venv's ansible-test wants"
	@echo "  make clean               remove .build*, .run and test output"

$(STAMP): requirements/dev.txt requirements/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt -c requirements/constraints.txt
	touch $@

venv: $(STAMP)

$(EDA_STAMP): requirements/eda.txt requirements/eda-constraints.txt
	$(PYTHON) -m venv $(EDA_VENV)
	$(EDA_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(EDA_VENV)/bin/python -m pip install --quiet -r requirements/eda.txt -c requirements/eda-constraints.txt
	touch $@

eda-venv: $(EDA_STAMP)

$(AZURITE): tests/emulator/servers/package.json tests/emulator/servers/package-lock.json
	mkdir -p .run/npm
	cp tests/emulator/servers/package.json tests/emulator/servers/package-lock.json .run/npm/
	npm ci --prefix .run/npm --no-audit --no-fund --loglevel=error
	touch $@

azurite: $(AZURITE)

# The collection where Ansible finds it (ANSIBLE_COLLECTIONS_PATH=.build).
collection: venv
	scripts/stage-collection.sh
	$(BIN)/python scripts/install-collections.py .build

ansible-test-pip: venv
	$(BIN)/python scripts/ansible_test_get_pip.py --install

# in the foreground, until Ctrl-C, with the same port checks and storage servers as every other use
emulator: venv
	EMULATOR_PORT=$(EMULATOR_PORT) S3_PORT=$(S3_PORT) scripts/with-emulator.sh

demo: collection
	EMULATOR_PORT=$(EMULATOR_PORT) S3_PORT=$(S3_PORT) scripts/with-emulator.sh \
	  scripts/demo.sh http://127.0.0.1:$(EMULATOR_PORT) http://127.0.0.1:$(S3_PORT)

# Benchmarks against the emulator (not part of make test): request counts, speed, a fleet under a rate
# limit, fleets of sets, two controllers, start-up; they measure and assert nothing (the tests do). One
# summary table at the end (benchmarks/README.md). Options through BENCH_ARGS, e.g. BENCH_ARGS='fleet --zones 200'.
bench: venv
	EMULATOR_PORT=$(BENCH_EMULATOR_PORT) S3_PORT=$(BENCH_S3_PORT) benchmarks/run.sh $(BENCH_ARGS)

# Everything on the main release (the development venv's ansible-core 2.19); the command a contributor runs
# often. test-all adds every other release of meta/runtime.yml's range; CI runs it (.ci/run).
test: sanity lint changelog-lint docs units emulator-tests eda-tests integration release-check
	@echo "make test: all passed"

test-all: test compat
	@echo "make test-all: all passed"

# ansible-lint (production profile) on the role, the playbooks and every documented example
lint: collection
	scripts/lint.sh

# the docs site (modules, filter, role, guides) with antsibull-docs; fails on any warning
docs: venv
	scripts/docs.sh

# the tarball a release would publish: its contents, galaxy-importer's checks, the EE build context
release-check: venv
	scripts/release-check.sh

changelog-lint: venv
	$(BIN)/antsibull-changelog lint

sanity: collection ansible-test-pip
	scripts/sanity.sh

# The other ansible-core releases of the supported range, each in its own venv (scripts/compat.sh), with no
# trims: every sanity test and the unit tests on each, then what compat-integration runs. scripts/compat.sh
# alone keeps its shorter defaults; COMPAT_SANITY= / COMPAT_INTEGRATION_TARGETS='<targets>' bring them back.
COMPAT_SANITY ?= all
COMPAT_INTEGRATION_TARGETS ?= all
compat: collection $(AZURITE)
	COMPAT_SANITY=$(COMPAT_SANITY) scripts/compat.sh
	INTEGRATION_JOBS=$(INTEGRATION_JOBS) COMPAT_INTEGRATION_TARGETS='$(COMPAT_INTEGRATION_TARGETS)' scripts/compat.sh --integration

# every integration target on the oldest and the newest release, 2.16 and 2.21
compat-integration: collection $(AZURITE)
	INTEGRATION_JOBS=$(INTEGRATION_JOBS) COMPAT_INTEGRATION_TARGETS='$(COMPAT_INTEGRATION_TARGETS)' scripts/compat.sh --integration

units: collection ansible-test-pip
	$(ANSIBLE_TEST) units --venv --python 3.11 --color no

emulator-tests: venv $(AZURITE)
	PYTHONPATH=tests $(BIN)/python -m pytest tests/emulator/tests -q -p no:cacheprovider

# The event source (extensions/eda) against the emulator, and the example rulebook run by the real
# ansible-rulebook (it needs Java >= 17: Debian's openjdk-17-jre-headless); then ansible-lint on the rulebook
# and its playbooks. ~2 minutes.
eda-tests: collection $(EDA_STAMP)
	EDA_VENV=$(CURDIR)/$(EDA_VENV) EDA_REQUIRE_RULEBOOK=1 PYTHONPATH=tests \
	  $(BIN)/python -m pytest tests/eda -q -p no:cacheprovider
	$(BIN)/ansible-lint --nocolor extensions/eda

# The targets in INTEGRATION_JOBS groups at once (scripts/integration-groups.sh), each against an emulator of its
# own on the TEST_* ports + 0, 1, ...; INTEGRATION_JOBS=1 runs them one after the other, INTEGRATION_TARGETS='a b'
# runs only those.
INTEGRATION_JOBS ?= 2
integration: collection ansible-test-pip $(AZURITE)
	INTEGRATION_JOBS=$(INTEGRATION_JOBS) \
	  EMULATOR_PORT=$(TEST_EMULATOR_PORT) S3_PORT=$(TEST_S3_PORT) GCS_PORT=$(TEST_GCS_PORT) AZURE_PORT=$(TEST_AZURE_PORT) \
	  scripts/integration-groups.sh

clean:
	rm -rf .build .build-* .run tests/output
