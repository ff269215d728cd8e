"""`flask knowledge index` and `flask knowledge evaluate --set FILE` (portal/cli.py adds them to its group)."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext


@click.command("index")
@with_appcontext
def knowledge_index() -> None:
    """Embed the knowledge base and write the search index (FAISS + chunks + manifest) to INDEX_DIR.
    Only texts without a known vector are encoded; the vectors kept in the repository are brought up to date."""
    from . import operations
    from knowledge.search.encoder import EncoderError

    def progress(done: int, total: int) -> None:
        click.echo(f"  encoded {done}/{total} new texts", err=True)
    try:
        manifest = operations.build_search_index(save_kept=True, progress=progress)
    except (EncoderError, RuntimeError) as exc:
        click.echo(f"index build failed: {exc}", err=True)
        sys.exit(1)
    counts = manifest["counts"]
    click.echo(f"indexed {counts['chunks']} chunks ({counts['encoded']} encoded) of {counts['services']} services "
               f"({manifest['backend']}:{manifest['model']}, dim {manifest['dim']}) "
               f"in {manifest['build_seconds']} s; content hash {manifest['content_hash']}")


@click.command("evaluate")
@with_appcontext
@click.option("--set", "set_path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="JSON-lines file: {id, lang, question, expect: {service | intent}}")
@click.option("--dump", type=click.Path(dir_okay=False), help="Write per-line scores (JSON lines) here.")
def knowledge_evaluate(set_path: str, dump: str | None) -> None:
    """Print top-1/top-3/MRR per language, abstention precision/recall and confusion pairs."""
    from knowledge.search.evaluate import EvalSetError, dump_lines, evaluate, format_report, read_set
    from . import operations
    state, _detail = operations.index_state()
    if state != "ok":
        click.echo(f"warning: index is {state}; run `flask knowledge index`", err=True)
    try:
        rows = read_set(set_path)
        engine = operations.get_engine()
    except EvalSetError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    except operations.SearchUnavailable:
        click.echo("no usable search index; run `flask knowledge index`", err=True)
        sys.exit(1)
    report = evaluate(engine, rows)
    click.echo(format_report(report))
    if dump:
        dump_lines(report, dump)


COMMANDS = (knowledge_index, knowledge_evaluate)
