"""Custom actions of the assistant (rasa-sdk, served by `python -m rasa_sdk --actions bot.actions`).

Every user-facing text is an English msgid in the Babel catalogs (translations/), looked up in the
conversation language; no action contains literal reply text.
"""
