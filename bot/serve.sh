#!/usr/bin/env bash
# Start one bot process in the foreground (exec): `bot/serve.sh rasa` or `bot/serve.sh actions`.
# Both listen on 127.0.0.1 only. Env: RASA_PORT (5005), ACTIONS_PORT (5055), PORTAL_URL, INSTANCE_PATH,
# ACTIONS_API_TOKEN (else the portal-generated instance/actions_token).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export RASA_TELEMETRY_ENABLED=false SANIC_HOST=127.0.0.1 OMP_NUM_THREADS=1
instance="${INSTANCE_PATH:-$root/instance}"
case "${1:-}" in
  actions)
    cd "$root"
    export PORTAL_URL="${PORTAL_URL:-http://127.0.0.1:${PORT:-5000}}"
    # the portal's instance/ holds actions_token (unless ACTIONS_API_TOKEN is set): per-user rate limits
    export INSTANCE_PATH="$instance"
    exec .venv/bin/python -m rasa_sdk --actions bot.actions --port "${ACTIONS_PORT:-5055}" --quiet ;;
  rasa)
    umask 077
    mkdir -p "$instance"
    tracker="$instance/rasa_tracker.sqlite3"
    [ -e "$tracker" ] || install -m 600 /dev/null "$tracker"
    chmod 600 "$tracker"
    cd "$root/bot"
    export PYTHONPATH="$root/bot" RASA_TRACKER_DB="$tracker"
    export ACTION_SERVER_URL="${ACTION_SERVER_URL:-http://127.0.0.1:${ACTIONS_PORT:-5055}/webhook}"
    # the launcher checks the Rasa version and applies the speed-ups in this process (RASA_SPEEDUPS=0: none)
    exec ../.venv-rasa/bin/python rasa_launcher.py run --model "${RASA_MODEL:-models/current.tar.gz}" --credentials credentials.yml \
      --endpoints endpoints.yml -i 127.0.0.1 -p "${RASA_PORT:-5005}" --quiet ;;
  *) echo "usage: $0 rasa|actions" >&2; exit 2 ;;
esac
