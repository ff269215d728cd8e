"""The knowledge base: one source of truth for pages, search, the bot and the console."""
