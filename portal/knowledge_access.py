"""The app's view of the knowledge base (loaded lazily, reloaded when files change)."""
from __future__ import annotations

from flask import current_app

from knowledge.loader import KnowledgeBase, load


def knowledge_base() -> KnowledgeBase:
    """The content this app serves (KNOWLEDGE_DIR), loaded once and reloaded when its files change."""
    return load(current_app.config["KNOWLEDGE_DIR"])
