# Sourced by scripts/run_stack.sh: the Rasa server (REST channel, 127.0.0.1:5005; bot/serve.sh starts it
# through bot/rasa_launcher.py) and the action server (rasa-sdk in .venv, 127.0.0.1:5055).
# Rasa needs 35-45 s to load; the portal degrades meanwhile.
bash bot/serve.sh actions &
pids+=($!)
bash bot/serve.sh rasa &
pids+=($!)
