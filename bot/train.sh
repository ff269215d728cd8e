#!/usr/bin/env bash
# Train the Rasa model only when the bot's data, domain, config or components changed:
# the model is cached as models/bot-<content hash>.tar.gz and models/current.tar.gz points to it.
set -euo pipefail
cd "$(dirname "$0")"
# The data is validated as part of training and fails it on any warning (as `rasa data validate
# --fail-on-warnings` would), so a model here means valid data; VALIDATION is in the hash so that models
# trained before that are not taken as validated.
VALIDATION=--fail-on-validation-warnings
hash=$( { find config.yml domain data components -type f \( -name '*.yml' -o -name '*.py' \) -print0 \
  | sort -z | xargs -0 sha256sum; echo "$VALIDATION"; } | sha256sum | cut -c1-16)
name="bot-$hash"
if [ ! -f "models/$name.tar.gz" ]; then
  mkdir -p models
  # every core for training (TRAIN_THREADS): serving's one-thread settings (scripts/stack.d/00-threads.sh)
  # would leave a core idle once the portal is up; DIET's epochs are most of a first `make run`.
  # oneDNN's kernels: an epoch 10.5 s instead of 12.8 s on one core, same loss (TensorFlow 2.12 turns
  # them on by itself only on CPUs with AVX-512 VNNI)
  threads="${TRAIN_THREADS:-$(nproc)}"
  TF_ENABLE_ONEDNN_OPTS=1 PYTHONWARNINGS=ignore OMP_NUM_THREADS=1 TF_INTRA_OP_PARALLELISM_THREADS="$threads" TF_INTER_OP_PARALLELISM_THREADS=1 PYTHONPATH=. RASA_TELEMETRY_ENABLED=false ../.venv-rasa/bin/python rasa_launcher.py train --config config.yml \
    --domain domain --data data --out models --fixed-model-name "$name" "$VALIDATION" --quiet 2>&1 \
    | grep -v -e SADeprecationWarning -e MovedIn20Warning -e "^ *$" || true
  test -f "models/$name.tar.gz" || { echo "rasa train failed" >&2; exit 1; }
  # keep the three newest models (switching back to recent data needs no retraining)
  ls -1t models/bot-*.tar.gz | tail -n +4 | xargs -r rm -f
fi
ln -sfn "$name.tar.gz" models/current.tar.gz
echo "bot/models/$name.tar.gz"
