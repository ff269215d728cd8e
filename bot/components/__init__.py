"""Custom Rasa components (run inside .venv-rasa only; never imported by the portal)."""
