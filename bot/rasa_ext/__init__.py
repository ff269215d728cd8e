"""Explicit extensions of Rasa 3.6 for this bot, used only inside the Rasa process.

- `schema_cache`: installed by `bot/rasa_launcher.py` (never on import).
- `tracker_store.WalSQLTrackerStore`: named in `bot/endpoints.yml`.
"""
