"""Run Rasa's CLI with this bot's speed-ups, in this process only: `python bot/rasa_launcher.py run ...`
(or `python -m rasa_launcher ...` with bot/ on the path), in place of `.venv-rasa/bin/rasa ...`.

Why a launcher: the speed-ups replace `jsonschema.validate` (rasa_ext/schema_cache.py), which reaches
into how Rasa calls jsonschema, and `RasaModel.load` (rasa_ext/model_load.py); doing it here, explicitly
and only in the Rasa process, keeps the portal, the action server and any other Python process
untouched. They were written against Rasa 3.6.21, so another version stops with a clear message
instead of running with patches that may no longer fit. RASA_SPEEDUPS=0 runs Rasa unpatched (the
version check still applies).
The launcher also redacts personal values from Rasa's logs (rasa_ext/log_redaction.py), always.
"""
from __future__ import annotations

import os
import sys
from importlib import metadata

from rasa_ext import log_redaction

RASA_VERSION = "3.6.21"
MODEL_COMMANDS = {"run", "shell", "test", "interactive"}   # the Rasa commands that load a trained model


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


def apply_speedups(command: str = "run") -> None:
    """The schema-check cache, and for a command that loads a model the load without a training step
    (it imports TensorFlow), unless RASA_SPEEDUPS=0. (SQLite WAL is the tracker store's own job.)"""
    if speedups_enabled():
        from rasa_ext import schema_cache
        schema_cache.install()
        if command in MODEL_COMMANDS:
            from rasa_ext import model_load
            model_load.install()


def main() -> None:
    check_rasa_version()
    log_redaction.install()         # before Rasa configures its logging
    apply_speedups(sys.argv[1] if len(sys.argv) > 1 else "")
    from rasa.__main__ import main as rasa_main
    sys.argv[0] = "rasa"
    sys.exit(rasa_main())


if __name__ == "__main__":
    main()
