"""Command-line interface: `flask knowledge ...`, `flask i18n ...` (features add groups)."""
from __future__ import annotations

import subprocess
import sys

import click
from flask import current_app
from flask.cli import AppGroup

from knowledge.validator import check, format_report

from .config import ROOT

knowledge_cli = AppGroup("knowledge", help="Knowledge base: check, index, evaluate.")
i18n_cli = AppGroup("i18n", help="UI translations: extract, update, compile.")

# Other features register their groups here ("module:attribute"), imported lazily.
EXTRA_GROUPS: list[str] = []


@knowledge_cli.command("check")
@click.option("--verbose", "-v", is_flag=True, help="List every missing, stale or unreviewed item.")
def knowledge_check(verbose: bool) -> None:
    """Validate the content and print the translation coverage report; exit 1 on errors."""
    from .knowledge_access import knowledge
    report = check(knowledge())
    click.echo(format_report(report, verbose=verbose))
    if not report.ok:
        sys.exit(1)


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


@i18n_cli.command("extract")
def i18n_extract() -> None:
    """Extract UI strings into translations/messages.pot and merge them into every catalog."""
    _pybabel("extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--no-location",
             "--sort-output", "-o", "translations/messages.pot", ".")
    _pybabel("update", "-i", "translations/messages.pot", "-d", "translations", "--no-fuzzy-matching",
             "--ignore-obsolete")


@i18n_cli.command("compile")
def i18n_compile() -> None:
    """Compile every catalog (.po -> .mo)."""
    _pybabel("compile", "-d", "translations", "--statistics")


@i18n_cli.command("init")
@click.argument("lang")
def i18n_init(lang: str) -> None:
    """Create the catalog of a new language."""
    _pybabel("init", "-i", "translations/messages.pot", "-d", "translations", "-l", lang)


def register_cli(app) -> None:
    from .migrate import db_cli
    app.cli.add_command(db_cli)
    app.cli.add_command(knowledge_cli)
    app.cli.add_command(i18n_cli)
    for target in EXTRA_GROUPS:
        module_name, attr = target.split(":")
        module = __import__(module_name, fromlist=[attr])
        app.cli.add_command(getattr(module, attr))
