#!/usr/bin/env bash
# Time a first `make run` (issue #11 target: a healthy stack in <= 5 minutes on a fresh clone).
# Usage: bench/first_run.sh [checkout]   (default: this one; a fresh clone measures the cold path)
# Prints when the portal answers /readyz, when the chat is answered by Rasa (not degraded), and the
# make/pip/train lines with their elapsed seconds, then stops the stack. Needs only bash and curl.
set -uo pipefail
dir=$(cd "${1:-$(dirname "$0")/..}" && pwd)
port=${PORT:-5000}
log=$(mktemp)
start=$(date +%s.%N)
elapsed() { echo "$(date +%s.%N) - $start" | bc | xargs printf '%6.1f'; }
cd "$dir"
RATELIMIT_ENABLED=false setsid bash -c 'make run' > >(while IFS= read -r line; do echo "[$(elapsed) s] $line"; done >"$log") 2>&1 &
stack=$!
stop() { kill -TERM -- "-$stack" 2>/dev/null; wait "$stack" 2>/dev/null; }
trap stop EXIT
ready="" chat=""
while kill -0 "$stack" 2>/dev/null; do
  if [ -z "$ready" ] && curl -fs -o /dev/null "http://127.0.0.1:$port/readyz"; then
    ready=$(elapsed); echo "portal ready (/readyz 200): $ready s"
  fi
  if [ -n "$ready" ]; then
    reply=$(curl -s -H 'Content-Type: application/json' -d '{"message":"I want to book an appointment","lang":"en"}' \
      "http://127.0.0.1:$port/api/v1/chat" || true)
    if grep -q '"degraded": *false' <<<"$reply"; then
      chat=$(elapsed); echo "chat answered by Rasa: $chat s"; break
    fi
  fi
  sleep 2
done
[ -n "$chat" ] || echo "the stack stopped before the chat answered" >&2
echo "--- make run output (elapsed seconds) ---"
grep -v '^\s*$' "$log" | cut -c1-160
rm -f "$log"
[ -n "$chat" ]
