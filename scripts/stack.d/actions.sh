# Sourced by scripts/run_stack.sh: the action server (rasa-sdk in .venv, 127.0.0.1:5055). Rasa itself
# (REST channel, 127.0.0.1:5005; bot/serve.sh) is started by run_stack.sh once its model is trained.
# Rasa needs 20-45 s to load; the portal degrades meanwhile.
bash bot/serve.sh actions &
pids+=($!)
