# cloudflare_community.logpush -- every target does its own set-up on a fresh clone.
#   make demo      the seed workflow through the collection against the local emulator
#   make test      sanity, unit, emulator and integration tests (non-zero on any failure)
#   make emulator  the Logpush API emulator and its S3 server, in the foreground
#   make azurite   Azurite (npm, from tests/emulator/servers/package-lock.json), for the emulator's azure:// writes

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
# ansible-test bootstraps pip in each venv it makes with a script it downloads from a host that
# only reaches PyPI here; scripts/ansible_test_get_pip.py does the same from PyPI.
ANSIBLE_TEST_PIP_CACHE := $(HOME)/.ansible/test/cache/get_pip_24_2.py
# ansible-core 2.20 and 2.21 bootstrap pip 25.2
ANSIBLE_TEST_PIP_CACHE_25 := $(HOME)/.ansible/test/cache/get_pip_25_2.py
# ansible-core 2.16 and 2.17 bootstrap pip 23.1.2 (2.18 and 2.19: 24.2)
ANSIBLE_TEST_PIP_CACHE_23 := $(HOME)/.ansible/test/cache/get_pip_23_1_2.py
ANSIBLE_TEST := cd $(COLLECTION) && $(BIN)/ansible-test
# Azurite's Blob service, installed from npm with the lock file (node and npm come with the machine)
AZURITE := .run/npm/node_modules/.bin/azurite-blob

export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.build
export PATH := $(BIN):$(PATH)
export ANSIBLE_NOCOLOR := 1

.PHONY: help venv collection azurite emulator demo bench test sanity compat lint changelog-lint docs release-check units emulator-tests integration compat-integration clean

help:
	@echo "make demo      run the seed workflow against the local emulator"
	@echo "make test      sanity, unit, emulator and integration tests"
	@echo "make emulator  start the Logpush API emulator and S3 server (Ctrl-C stops both)"
	@echo "make bench     benchmarks against the local emulator (~12 min; not part of make test)"

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

$(ANSIBLE_TEST_PIP_CACHE) $(ANSIBLE_TEST_PIP_CACHE_25) $(ANSIBLE_TEST_PIP_CACHE_23): scripts/ansible_test_get_pip.py
	mkdir -p $(dir $@)
	cp $< $@

emulator: venv
	EMULATOR_PORT=$(EMULATOR_PORT) S3_PORT=$(S3_PORT) PYTHONPATH=tests $(BIN)/python -m emulator

demo: collection
	EMULATOR_PORT=$(EMULATOR_PORT) S3_PORT=$(S3_PORT) scripts/with-emulator.sh \
	  scripts/demo.sh http://127.0.0.1:$(EMULATOR_PORT) http://127.0.0.1:$(S3_PORT)

# Benchmarks against the emulator (not part of make test; ~12 minutes on 2 cores): request counts, speed,
# a fleet under a rate limit, start-up, faults, check mode, bad inputs, secrets; one summary table at the
# end (benchmarks/README.md). Options through BENCH_ARGS, e.g. make bench BENCH_ARGS='fleet --zones 200'.
bench: venv
	EMULATOR_PORT=$(BENCH_EMULATOR_PORT) S3_PORT=$(BENCH_S3_PORT) benchmarks/run.sh $(BENCH_ARGS)

test: sanity compat lint changelog-lint docs units emulator-tests eda-tests integration release-check
	@echo "make test: all passed"

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

sanity: collection $(ANSIBLE_TEST_PIP_CACHE)
	scripts/sanity.sh

# The other ansible-core releases of the supported range, each in its own venv (scripts/compat.sh):
# every sanity test and the unit tests on 2.16, 2.17, 2.18, 2.20 and 2.21, then what compat-integration runs.
compat: collection $(ANSIBLE_TEST_PIP_CACHE_23) $(ANSIBLE_TEST_PIP_CACHE) $(ANSIBLE_TEST_PIP_CACHE_25) $(AZURITE)
	scripts/compat.sh
	scripts/compat.sh --integration

# integration targets (each module's and the role's) on the oldest and newest release, 2.16 and 2.21
compat-integration: collection $(ANSIBLE_TEST_PIP_CACHE_23) $(ANSIBLE_TEST_PIP_CACHE_25) $(AZURITE)
	scripts/compat.sh --integration

units: collection $(ANSIBLE_TEST_PIP_CACHE)
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

integration: collection $(ANSIBLE_TEST_PIP_CACHE) $(AZURITE)
	EMULATOR_PORT=$(TEST_EMULATOR_PORT) S3_PORT=$(TEST_S3_PORT) GCS_PORT=$(TEST_GCS_PORT) AZURE_PORT=$(TEST_AZURE_PORT) \
	  scripts/with-emulator.sh \
	  scripts/integration.sh http://127.0.0.1:$(TEST_EMULATOR_PORT) http://127.0.0.1:$(TEST_S3_PORT)

clean:
	rm -rf .build .build-* .run tests/output
