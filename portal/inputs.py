"""Text from the outside world, made safe to store and compare.

JSON may carry what no database or encoder accepts: NUL (PostgreSQL refuses it in text) and lone
surrogates such as "\\udc00" (not encodable as UTF-8). Free text keeps its meaning with those removed
or replaced; identifiers (references, codes, usernames) containing them simply match nothing.
"""
from __future__ import annotations

import re

_SURROGATES = re.compile("[\ud800-\udfff]")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def has_unstorable(text: str) -> bool:
    """True when `text` holds NUL, another control character or a lone surrogate."""
    return bool(_SURROGATES.search(text) or _CONTROLS.search(text))


def clean_free_text(text: str) -> str:
    """Free text (a chat message): control characters dropped, lone surrogates shown as U+FFFD."""
    return _CONTROLS.sub("", _SURROGATES.sub("\ufffd", text))


def clean_identifier(text: object) -> str:
    """A reference, code or username: "" when it is not a string or holds unstorable characters."""
    return text if isinstance(text, str) and not has_unstorable(text) else ""
