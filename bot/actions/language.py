"""The conversation language (shared with the portal): see knowledge/language.py."""
from knowledge.language import DEFAULT, LANGS, detect, resolve, script  # noqa: F401
