"""Command-line interface: `flask knowledge ...`, `flask i18n ...` (features add groups)."""
from __future__ import annotations

import subprocess
import sys

import click
from flask.cli import AppGroup

from knowledge.validator import check, format_report

from .config import ROOT

knowledge_cli = AppGroup("knowledge", help="Knowledge base: check, index, evaluate.")
i18n_cli = AppGroup("i18n", help="UI translations: extract, update, compile.")

# Other features register their groups here ("module:attribute"), imported lazily.
EXTRA_GROUPS: list[str] = ["portal.staff.auth.cli:staff_cli", "portal.appointments.cli:appointments_cli",
                             "portal.purge:purge_command", "portal.seed:seed_demo_command"]


@knowledge_cli.command("check")
@click.option("--verbose", "-v", is_flag=True, help="List every missing, stale or unreviewed item.")
def knowledge_check(verbose: bool) -> None:
    """Validate the content and print the translation coverage report; exit 1 on errors."""
    from .knowledge_access import knowledge_base
    report = check(knowledge_base())
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
    _fill_source_language()


def _fill_source_language() -> None:
    """msgids are English: the en catalog translates each message to itself."""
    from babel.messages.pofile import read_po, write_po
    path = ROOT / "translations" / "en" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):  # plural: (singular, plural)
            if not all(message.string or ()):
                message.string = (message.id[0], message.id[1])
        elif not message.string:
            message.string = message.id
    with path.open("wb") as fh:
        write_po(fh, catalog, width=0, omit_header=False)


@i18n_cli.command("compile")
def i18n_compile() -> None:
    """Compile every catalog (.po -> .mo)."""
    _pybabel("compile", "-d", "translations", "--statistics")


def _catalog_path(lang: str):
    return ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"


@i18n_cli.command("todo")
@click.argument("lang")
def i18n_todo(lang: str) -> None:
    """Print the untranslated or fuzzy messages of LANG as JSON {msgid: ""} for translators."""
    import json
    from babel.messages.pofile import read_po
    with _catalog_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    todo = {m.id: "" for m in catalog if m.id and isinstance(m.id, str) and (not m.string or m.fuzzy)}
    click.echo(json.dumps(todo, ensure_ascii=False, indent=1))


@i18n_cli.command("apply")
@click.argument("lang")
@click.argument("json_file", type=click.Path(exists=True))
def i18n_apply(lang: str, json_file: str) -> None:
    """Write translations from a JSON file {msgid: translation} into LANG's catalog."""
    import json
    from babel.messages.pofile import read_po, write_po
    with open(json_file, encoding="utf-8") as fh:
        translations = json.load(fh)
    path = _catalog_path(lang)
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    applied = 0
    for msgid, text in translations.items():
        message = catalog.get(msgid)
        if message is not None and text:
            message.string, message.flags = text, set(message.flags) - {"fuzzy"}
            applied += 1
    with path.open("wb") as fh:
        write_po(fh, catalog, width=0)
    click.echo(f"{lang}: applied {applied} of {len(translations)}")


@i18n_cli.command("init")
@click.argument("lang")
def i18n_init(lang: str) -> None:
    """Create the catalog of a new language."""
    _pybabel("init", "-i", "translations/messages.pot", "-d", "translations", "-l", lang)


def register_cli(app) -> None:
    from .migrate import db_cli
    from .search.cli import COMMANDS as search_commands
    for command in search_commands:     # `knowledge index`, `knowledge evaluate`
        knowledge_cli.add_command(command)
    app.cli.add_command(db_cli)
    app.cli.add_command(knowledge_cli)
    app.cli.add_command(i18n_cli)
    for target in EXTRA_GROUPS:
        module_name, attr = target.split(":")
        module = __import__(module_name, fromlist=[attr])
        app.cli.add_command(getattr(module, attr))
