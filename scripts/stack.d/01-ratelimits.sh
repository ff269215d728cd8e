# Sourced by scripts/run_stack.sh. Rate limits count in memory per process: with several gunicorn
# workers each would count apart (a client's budget times the workers). When no storage is configured
# and Redis answers on 127.0.0.1, the limits count there (only the limits: REDIS_URL, which also moves
# Rasa's state with a PostgreSQL DATABASE_URL, is left alone).
if [ -z "${REDIS_URL:-}${RATELIMIT_STORAGE_URL:-}" ] && [ "${WEB_WORKERS:-2}" -gt 1 ]; then
  if .venv/bin/python -c "import redis; redis.Redis(host='127.0.0.1', socket_timeout=1).ping()" 2>/dev/null; then
    export RATELIMIT_STORAGE_URL="redis://127.0.0.1:6379/1"
  else
    echo "note: no Redis on 127.0.0.1: each of the ${WEB_WORKERS:-2} portal workers counts rate limits on its own" >&2
  fi
fi
