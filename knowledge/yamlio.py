"""YAML reading for the content: PyYAML's libyaml parser when it is there (about ten times faster on
the guides than the pure-Python one), with the same safe types."""
from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(stream) -> Any:
    """`yaml.safe_load`, faster."""
    return yaml.load(stream, Loader=_LOADER)
