# Sourced first by scripts/run_stack.sh: one compute thread per process on this 2-core machine.
# The portal's gunicorn workers (e5 search encoder), the action server and Rasa (e5 featurizer,
# TensorFlow) each run one request at a time per worker; with the default thread pools they
# oversubscribe the cores and single-request latency turns spiky. An operator's value wins.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
export TF_INTRA_OP_PARALLELISM_THREADS="${TF_INTRA_OP_PARALLELISM_THREADS:-1}"
export TF_INTER_OP_PARALLELISM_THREADS="${TF_INTER_OP_PARALLELISM_THREADS:-1}"
