"""Run Rasa's CLI with this bot's speed-ups, in this process only: `python bot/rasa_launcher.py run ...`
(or `python -m rasa_launcher ...` with bot/ on the path), in place of `.venv-rasa/bin/rasa ...`.

Why a launcher: the speed-up replaces `jsonschema.validate` (see rasa_ext/schema_cache.py), which
reaches into how Rasa calls jsonschema; doing it here, explicitly and only in the Rasa process,
keeps the portal, the action server and any other Python process untouched. It was written against
Rasa 3.6.21, so another version stops with a clear message instead of running with a patch that
may no longer fit. RASA_SPEEDUPS=0 runs Rasa unpatched (the version check still applies).
The launcher also redacts personal values from Rasa's logs (rasa_ext/log_redaction.py), always.
"""
from __future__ import annotations

import os
import sys
from importlib import metadata

from rasa_ext import log_redaction

RASA_VERSION = "3.6.21"


def check_rasa_version(found: str | None = None) -> None:
    """Exit with a clear message unless the installed Rasa is the one the speed-ups were written for."""
    if found is None:
        try:
            found = metadata.version("rasa")
        except metadata.PackageNotFoundError:
            found = "not installed"
    if found != RASA_VERSION:
        sys.exit(f"rasa_launcher: Rasa {RASA_VERSION} expected, found {found} (python {sys.executable}); "
                 f"reinstall .venv-rasa from bot/requirements-rasa.lock.txt (`make bot-venv`)")


def speedups_enabled() -> bool:
    return os.environ.get("RASA_SPEEDUPS", "1") != "0"


def apply_speedups() -> None:
    """The schema-check cache, unless RASA_SPEEDUPS=0. (SQLite WAL is the tracker store's own job.)"""
    if speedups_enabled():
        from rasa_ext import schema_cache
        schema_cache.install()


def main() -> None:
    check_rasa_version()
    log_redaction.install()         # before Rasa configures its logging
    apply_speedups()
    from rasa.__main__ import main as rasa_main
    sys.argv[0] = "rasa"
    sys.exit(rasa_main())


if __name__ == "__main__":
    main()
