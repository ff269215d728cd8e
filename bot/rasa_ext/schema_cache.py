"""`jsonschema.validate` that checks each distinct schema against its meta-schema once per process.

Why: Rasa calls `jsonschema.validate(response, schema)` on every action-server response, and
`validate` re-checks the (unchanging) schema itself every time; py-spy put ~28% of Rasa's time
there. Here a schema is checked the first time its content is seen with a validator class, and
every instance is still validated in full, exactly as `jsonschema.validate` does. The cache key is
the schema's serialised content (Rasa builds a new dict around the same sub-schemas on each call,
and a schema mutated after a check is checked again). Installed only by `bot/rasa_launcher.py`.
"""
from __future__ import annotations

import json
import threading

import jsonschema
from jsonschema import exceptions
from jsonschema.validators import validator_for

MAX_SCHEMAS = 1024          # more distinct schemas than Rasa uses; the cache is cleared past this

_original_validate = jsonschema.validate
_checked: set[tuple[type, str]] = set()
_lock = threading.Lock()


def _key(cls: type, schema) -> tuple[type, str] | None:
    """(validator class, canonical JSON of the schema); None when the schema cannot be serialised."""
    try:
        return cls, json.dumps(schema, sort_keys=True, separators=(",", ":"), default=repr)
    except (TypeError, ValueError):
        return None


def validate(instance, schema, cls=None, *args, **kwargs) -> None:
    """Same contract as `jsonschema.validate`; the schema check is skipped for a schema seen before."""
    if cls is None:
        cls = validator_for(schema)
    key = _key(cls, schema)
    if key is None or key not in _checked:
        cls.check_schema(schema)                       # raises SchemaError for an invalid schema
        if key is not None:
            with _lock:
                if len(_checked) >= MAX_SCHEMAS:
                    _checked.clear()
                _checked.add(key)
    error = exceptions.best_match(cls(schema, *args, **kwargs).iter_errors(instance))
    if error is not None:
        raise error


def install() -> None:
    """Replace `jsonschema.validate` in this process (Rasa imports it at call time)."""
    jsonschema.validate = validate


def uninstall() -> None:
    """Restore the original `jsonschema.validate` and forget the checked schemas."""
    jsonschema.validate = _original_validate
    _checked.clear()
