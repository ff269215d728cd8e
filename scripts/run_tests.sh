#!/usr/bin/env bash
# The whole suite (after `make test`'s setup, whose bot/train.sh fails on any warning of Rasa's data
# validation): the knowledge check and pytest (SQLite and PostgreSQL where a test asks for both). Without
# arguments pytest runs in two parts at once: every test but the `live` ones on TEST_JOBS workers
# (pytest-xdist, default: one per core and one more; each worker has its own temporary folders, free ports
# and PostgreSQL database), and the `live` tests in one process, so that one chat stack (one Rasa) serves
# them all, the bot's end-to-end stories included (tests/bot/test_stories_live.py); the knowledge check runs
# beside them too (the outputs follow).
# TEST_JOBS=1, or any arguments (they go to pytest), run pytest once, in one process, after the knowledge check.
set -euo pipefail
cd "$(dirname "$0")/.."
export FLASK_APP=wsgi:app RASA_TELEMETRY_ENABLED=false
# One compute thread per process, as the stack runs (scripts/stack.d/00-threads.sh): the suite runs several
# processes per core, and the encoder's OpenMP and numpy's OpenBLAS threads spin while they wait for a core
# (py-spy: a 0.3 ms matrix product took 14 ms in the live run). An explicit value wins.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
# Cached bytecode, even where the machine sets PYTHONDONTWRITEBYTECODE (these do): without it every test
# process compiles every module it imports again, and pytest rewrites the asserts of every test module and
# plugin again (collecting the suite: 13.3 s -> 4.3 s per process, four processes per run).
unset PYTHONDONTWRITEBYTECODE
# --durations: the slowest ten, where the time goes. The one retry is for a CPython 3.11.7 bug only
# (gh-106905: ast.parse, which werkzeug uses to compile URL rules, can raise this SystemError when another
# thread parses at the same moment; fixed in 3.11.8, the version pyenv has here is 3.11.7).
PYTEST=(.venv/bin/python -m pytest -q -p no:cacheprovider --durations=10
        --reruns 1 --only-rerun "AST constructor recursion depth mismatch")
# one worker more than cores, some tests wait on a subprocess, a browser or a socket (measured on 2 cores:
# the machine stays CPU-bound; 5 workers were slower); the `slow` tests are handed out first (tests/conftest.py)
jobs="${TEST_JOBS:-$(( $(nproc --all) + 1 ))}"   # --all: plain nproc obeys OMP_NUM_THREADS (1, above)
if [ "$#" -gt 0 ] || [ "$jobs" -le 1 ] || ! .venv/bin/python -c "import xdist" 2>/dev/null; then
  .venv/bin/flask knowledge check
  exec "${PYTEST[@]}" "$@"
fi
live_log="$(mktemp)" check_log="$(mktemp)" live_tmp="$(mktemp -d)"
trap 'rm -rf "$live_log" "$check_log" "$live_tmp"' EXIT
nice -n 5 .venv/bin/flask knowledge check > "$check_log" 2>&1 &     # the content's own checks
check_pid=$!
# The `live` tests spend most of their time waiting on one Rasa process (about one core), so they run
# at once beside the others, which yield them the CPU (nice) so that chat replies stay quick.
"${PYTEST[@]}" -m live --basetemp "$live_tmp/pytest" > "$live_log" 2>&1 &
live_pid=$!
status=0
nice -n 5 "${PYTEST[@]}" -n "$jobs" -m "not live" || status=$?
check=0
wait "$check_pid" || check=$?
echo "== flask knowledge check (ran beside the tests above)"
cat "$check_log"
[ "$check" -ne 0 ] && status=$check
live=0
wait "$live_pid" || live=$?
echo "== the live tests (ran beside the tests above)"
cat "$live_log"
[ "$live" -eq 5 ] && live=0   # no live tests collected
[ "$status" -ne 0 ] && exit "$status"
exit "$live"
