#!/usr/bin/env bash
# Start one bot process in the foreground (exec): `bot/serve.sh rasa` or `bot/serve.sh actions`.
# Both listen on 127.0.0.1 only. Env: RASA_PORT (5005), ACTIONS_PORT (5055), PORTAL_URL or INTERNAL_PORTAL_URL,
# INSTANCE_PATH,
# ACTIONS_API_TOKEN (else the portal-generated instance/actions_token).
# RASA_API_TOKEN: Rasa's HTTP API (conversation trackers) with that token; unset (the default), no API.
# Several copies: DATABASE_URL=postgresql://... and REDIS_URL put Rasa's tracker on PostgreSQL and its
# locks in Redis (endpoints-shared.yml, rasa_ext/shared_state.py); REPLICAS>1 requires the secrets
# every copy must share (ACTIONS_API_TOKEN, TRACKER_ENCRYPTION_KEY) from the environment.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export RASA_TELEMETRY_ENABLED=false SANIC_HOST=127.0.0.1 OMP_NUM_THREADS=1
instance="${INSTANCE_PATH:-$root/instance}"
require_shared_secret() {  # generated into one instance/, a secret would differ from copy to copy
  if [ "${REPLICAS:-1}" -gt 1 ] && [ -z "${!1:-}" ]; then
    echo "serve.sh $2: REPLICAS=$REPLICAS: set $1 in the environment, the same for every copy" >&2; exit 2
  fi
}
case "${1:-}" in
  actions)
    require_shared_secret ACTIONS_API_TOKEN actions
    cd "$root"
    # INTERNAL_PORTAL_URL: a portal pool of their own (the cluster's bulkhead), else the public portal
    export PORTAL_URL="${INTERNAL_PORTAL_URL:-${PORTAL_URL:-http://127.0.0.1:${PORT:-5000}}}"
    # the portal's instance/ holds actions_token (unless ACTIONS_API_TOKEN is set): per-user rate limits
    export INSTANCE_PATH="$instance"
    exec .venv/bin/python -m rasa_sdk --actions bot.actions --port "${ACTIONS_PORT:-5055}" --quiet ;;
  rasa)
    require_shared_secret TRACKER_ENCRYPTION_KEY rasa
    umask 077
    mkdir -p "$instance"
    cd "$root/bot"
    export PYTHONPATH="$root/bot"
    if [[ "${DATABASE_URL:-}" == postgresql* && -n "${REDIS_URL:-}" ]]; then
      # shared by every copy: tracker on PostgreSQL (<portal db>_rasa), locks in Redis
      shared="$(../.venv-rasa/bin/python -m rasa_ext.shared_state)" || exit 2
      eval "$shared"
      endpoints=endpoints-shared.yml
    else
      tracker="$instance/rasa_tracker.sqlite3"
      [ -e "$tracker" ] || install -m 600 /dev/null "$tracker"
      chmod 600 "$tracker"
      export RASA_TRACKER_DB="$tracker"
      endpoints=endpoints.yml
    fi
    export ACTION_SERVER_URL="${ACTION_SERVER_URL:-http://127.0.0.1:${ACTIONS_PORT:-5055}/webhook}"
    # the launcher checks the Rasa version and applies the speed-ups in this process (RASA_SPEEDUPS=0: none)
    api=()
    [ -n "${RASA_API_TOKEN:-}" ] && api=(--enable-api --auth-token "$RASA_API_TOKEN")   # the test stories read trackers
    exec ../.venv-rasa/bin/python rasa_launcher.py run --model "${RASA_MODEL:-models/current.tar.gz}" --credentials credentials.yml \
      --endpoints "$endpoints" -i 127.0.0.1 -p "${RASA_PORT:-5005}" "${api[@]}" --quiet ;;
  *) echo "usage: $0 rasa|actions" >&2; exit 2 ;;
esac
