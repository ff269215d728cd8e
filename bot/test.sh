#!/usr/bin/env bash
# Bot checks for `make test`: the model of the current data (bot/train.sh: trained only when the data
# changed, and training fails on any validation warning, as `rasa data validate --fail-on-warnings`), then the
# end-to-end test stories (bot/tests/)
# with `rasa test core --e2e --fail-on-prediction-errors` against a real action server and a portal
# (case API + search) on free ports with a throw-away database. Exit 1 on any prediction error.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export RASA_TELEMETRY_ENABLED=false SANIC_HOST=127.0.0.1 OMP_NUM_THREADS=1 FLASK_APP=wsgi:app
tmp="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
free_port() { .venv/bin/python -c "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); print(s.getsockname()[1])"; }
wait_for() {  # url seconds
  for _ in $(seq "$2"); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 1; done
  echo "not ready: $1" >&2; return 1
}

echo "== the model of the current data, validated (bot/train.sh)"
bash bot/train.sh
FILTER=(-e Warning -e "warnings.warn" -e "import pkg_resources" -e declare_namespace -e setParseAction
        -e parseString -e resetCache -e xla_computation -e declarative_base -e "^ *$")

echo "== portal + action server for the test stories"
portal_port="$(free_port)"; actions_port="$(free_port)"
export INSTANCE_PATH="$tmp" DATABASE_URL="sqlite:///$tmp/db.sqlite3" INDEX_DIR="${INDEX_DIR:-$root/instance/index}" \
  RATELIMIT_ENABLED=false SEED_DEMO_DATA=false
.venv/bin/flask db upgrade >/dev/null
.venv/bin/gunicorn --bind "127.0.0.1:$portal_port" --workers 1 --threads 4 --log-level warning wsgi:app &
pids+=($!)
PORTAL_URL="http://127.0.0.1:$portal_port" ACTIONS_PORT="$actions_port" bash bot/serve.sh actions &
pids+=($!)
wait_for "http://127.0.0.1:$actions_port/health" 60
wait_for "http://127.0.0.1:$portal_port/healthz" 60 || true

echo "== rasa test (end-to-end stories)"
cat > "$tmp/endpoints.yml" <<YML
action_endpoint:
  url: "http://127.0.0.1:$actions_port/webhook"
YML
cd bot
status=0
PYTHONPATH=. ../.venv-rasa/bin/python rasa_launcher.py test core --model models/current.tar.gz --stories tests --e2e \
  --endpoints "$tmp/endpoints.yml" --out "$tmp/results" --fail-on-prediction-errors --no-plot --quiet \
  > "$tmp/rasa-test.log" 2>&1 || status=$?
grep -v "${FILTER[@]}" "$tmp/rasa-test.log" | tail -20 || true
if [ "$status" -ne 0 ]; then
  head -80 "$tmp/results/failed_test_stories.yml" 2>/dev/null || true
  echo "rasa test: prediction errors" >&2
  exit 1
fi
echo "rasa test: all test stories passed"
