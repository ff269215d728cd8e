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


MAX_JSON_DEPTH = 32


class TooDeep(ValueError):
    """JSON nested deeper than MAX_JSON_DEPTH."""


def unstorable_field(value, max_depth: int = MAX_JSON_DEPTH) -> str | None:
    """The dotted path of the first string (or key) in a JSON value holding NUL, a control character
    or a lone surrogate, else None; raises TooDeep past `max_depth` levels (walked without recursion)."""
    stack = [(value, "", 0)]
    while stack:
        item, path, depth = stack.pop()
        if depth > max_depth:
            raise TooDeep(path)
        if isinstance(item, str):
            if has_unstorable(item):
                return path or "body"
        elif isinstance(item, dict):
            for key, child in item.items():
                where = f"{path}.{key}" if path else str(key)
                if isinstance(key, str) and has_unstorable(key):
                    return "body"
                stack.append((child, where, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, f"{path}.{i}" if path else str(i), depth + 1) for i, child in enumerate(item))
    return None
