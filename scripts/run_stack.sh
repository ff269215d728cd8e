#!/usr/bin/env bash
# Start the whole stack on 127.0.0.1 and stop it together (Ctrl-C).
# Parts register themselves in scripts/stack.d/*.sh: each defines start commands run in background.
set -euo pipefail
cd "$(dirname "$0")/.."
export FLASK_APP=wsgi:app RASA_TELEMETRY_ENABLED=false SANIC_HOST=127.0.0.1
pids=()
kill_tree() { local child; for child in $(pgrep -P "$1" || true); do kill_tree "$child"; done; kill "$1" 2>/dev/null || true; }
cleanup() {
  trap - INT TERM EXIT
  [ -n "${bot_job:-}" ] && kill_tree "$bot_job"    # a training under way stops too (its make, its python)
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT
# Set up and start together: the bot's chain (Rasa's virtualenv, then training: most of a first run)
# runs beside the portal's, and Rasa starts once its model is trained. The portal and the action server
# start as soon as the portal's own chain is done; until Rasa answers, the chat answers from the portal's
# search, marked degraded. A set-up checkout skips every step. A failing step stops everything.
source scripts/stack.d/00-threads.sh        # Rasa's thread settings, before the bot's chain starts
{ make --no-print-directory bot-model && exec bash bot/serve.sh rasa; } &
bot_job=$!
pids+=($bot_job)
make --no-print-directory -j2 portal-setup
for part in scripts/stack.d/*.sh; do
  [ -e "$part" ] || continue
  # shellcheck source=/dev/null
  source "$part"
done
echo "Portal: http://127.0.0.1:${PORT:-5000}"
# /metrics adds up the counts of every worker (portal/metrics.py): their files go to an empty folder
export PROMETHEUS_MULTIPROC_DIR="${PROMETHEUS_MULTIPROC_DIR:-${INSTANCE_PATH:-instance}/prometheus}"
rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
# The portal logs one JSON line per request itself (portal/requestlog.py: request id, route rule, no
# client address or raw path), so gunicorn writes no access log. Ctrl-C: workers get 5 s to finish.
# No control socket: gunicorn 27 puts every instance's at one path under ~/.gunicorn (shared by all).
.venv/bin/gunicorn -c python:portal.gunicorn_hooks --bind "127.0.0.1:${PORT:-5000}" --workers "${WEB_WORKERS:-2}" --threads 4 \
  --timeout 60 --graceful-timeout 5 --no-control-socket wsgi:app &
pids+=($!)
wait -n "${pids[@]}"
