"""Helpers shared by test modules (fixtures live in conftest.py files; test modules import only from here).

- app: migrate and dispose a test app
- booking: service slugs, free slots and booking payloads
- staff: staff users, API tokens, signing in, CSRF tokens
- cases: creating a case through the staff API
- inbox: an applicant asking for a person, an agent's signed-in client
- browser: signing staff in through the real form, opening the chat with the keyboard
- live_stack: the real chat stack (portal, action server, Rasa) behind the `live_stack` fixture; `Chat`
"""
