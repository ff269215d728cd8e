"""The chat assistant in the portal: /api/v1/chat proxy to Rasa, the no-JS chat page, handoff."""
