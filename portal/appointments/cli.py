"""`flask appointments ...`: offices and closed days."""
from __future__ import annotations

import click
from flask.cli import AppGroup

appointments_cli = AppGroup("appointments", help="Offices, holidays and booking settings.")


@appointments_cli.command("sync-offices")
def sync_offices_command() -> None:
    """Load offices from the knowledge base into the booking database."""
    from .offices import sync_offices
    click.echo(f"added {sync_offices()} offices")


@appointments_cli.command("holiday")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--office", type=int, default=None, help="Province code; all offices when omitted.")
@click.option("--name", default="")
def holiday_command(day, office: int | None, name: str) -> None:
    """Close DAY (YYYY-MM-DD) for booking, e.g. a religious holiday."""
    from .offices import add_holiday, ensure_offices
    ensure_offices()
    added = add_holiday(day.date(), office, name)
    click.echo("added" if added else "already closed")


@appointments_cli.command("settings")
@click.argument("office", type=int)
@click.option("--counters", type=click.IntRange(1, 50), default=None)
@click.option("--slot-minutes", type=click.IntRange(5, 240), default=None)
@click.option("--hours", default=None, help='e.g. "08:30-12:30, 13:30-17:30"')
@click.option("--closed-weekdays", default=None, help='Monday=0, e.g. "5,6"')
def settings_command(office: int, counters, slot_minutes, hours, closed_weekdays) -> None:
    """Change an office's booking settings."""
    from .. import db
    from .models import Office
    from .offices import ensure_offices
    ensure_offices()
    sess = db.begin_write()
    row = sess.get(Office, office)
    if row is None:
        raise click.ClickException(f"no office {office}")
    for attr, value in (("counters", counters), ("slot_minutes", slot_minutes), ("hours", hours),
                        ("closed_weekdays", closed_weekdays)):
        if value is not None:
            setattr(row, attr, value)
    sess.commit()
    click.echo(f"{row.code} {row.province}: {row.counters} counters, {row.slot_minutes} min, {row.hours}")
