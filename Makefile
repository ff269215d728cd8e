# Two commands matter: `make run` (set up everything, start the stack) and `make test`.
# Every target is idempotent: stamps record what was done for which inputs.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask
export FLASK_APP := wsgi:app
export RASA_TELEMETRY_ENABLED := false
REQ_HASH := $(shell cat requirements.txt | sha256sum | cut -c1-12)
DEPS_STAMP := $(VENV)/.deps-$(REQ_HASH)

.PHONY: run test setup deps translations db index check system-deps browser-deps clean

run: setup ## set up on first use, then start portal + Rasa + actions at http://127.0.0.1:5000
	bash scripts/run_stack.sh

test: setup browser-deps ## set up what the tests need, then run the whole suite
	bash scripts/run_tests.sh

setup: deps translations db

$(DEPS_STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	@rm -f $(VENV)/.deps-*; touch $@

deps: $(DEPS_STAMP)

translations: deps
	$(FLASK) i18n compile > /dev/null

db: deps
	$(FLASK) db upgrade

index: deps
	$(FLASK) knowledge index

check: deps
	$(FLASK) knowledge check

system-deps: ## Debian packages the browser tests need (chromium, node/npm)
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }
	@command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs npm; }

browser-deps: system-deps
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --silent

clean:
	rm -rf $(VENV) instance/index
