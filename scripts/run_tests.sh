#!/usr/bin/env bash
# The whole suite: knowledge check, then pytest (SQLite and PostgreSQL where a test asks for both).
set -euo pipefail
cd "$(dirname "$0")/.."
export FLASK_APP=wsgi:app RASA_TELEMETRY_ENABLED=false
.venv/bin/flask knowledge check
bash bot/test.sh   # rasa data validate + end-to-end test stories (fails on prediction errors)
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
