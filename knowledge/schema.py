"""The content format of the knowledge base.

knowledge/content/
  categories.yaml                  category key -> {lang: name}
  contacts.yaml                    emergency and contact numbers
  offices.yaml                     the 81 provincial directorates
  glossary.yaml                    one approved term per concept and language, forms to avoid (glossary.py)
  services/<slug>/meta.yaml        language-independent facts (category, related, sources, bookable)
  services/<slug>/<lang>.yaml      the text in one language (tr is the source)

Inline markup in text fields: [[Türkçe terim]] marks an official Turkish name that must stay
recognisable; pages render it bidi-isolated with lang="tr".
"""
from __future__ import annotations

LANGS = ("tr", "en", "ar", "fa", "ru", "uk", "ps", "de", "fr")
SOURCE_LANG = "tr"

# Text fields of a service in one language: name -> kind ("text" or "list").
SERVICE_TEXT_FIELDS: dict[str, str] = {
    "title": "text",
    "summary": "text",          # one paragraph
    "answer": "text",           # 2-4 plain sentences the bot can say
    "applies_to": "list",       # who it is for
    "documents": "list",        # what to bring
    "steps": "list",            # step by step
    "fees": "text",
    "deadlines": "text",        # time limits
    "where_to_apply": "text",
    "legal_basis": "list",
}
# Optional text fields (translated when present in Turkish).
SERVICE_OPTIONAL_FIELDS: dict[str, str] = {
    "general_guidance": "list",  # statements beyond the sources, shown as general guidance
}
MIN_QUESTIONS = 10              # example questions per service per language (issue: content)

META_REQUIRED = ("slug", "category", "source", "related", "bookable", "last_reviewed")
TRANSLATION_KEYS = ("source_revision", "written_by", "review")   # in every non-Turkish file
# written_by: who wrote this language's text (a name or a list); review.by must be someone else.
SOURCE_KEYS = ("revision",)                        # in tr.yaml
REVIEW_KEYS = ("by", "date", "method")
REVIEW_PENDING = "pending"   # optional in review: changes made after that review (reported as a warning)
