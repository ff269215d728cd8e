"""`flask staff create|password|token`: manage staff accounts from the command line."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from ...errors import DomainError
from .models import ROLES
from .operations import change_password, create_staff_user, get_staff_user, issue_token

staff_cli = AppGroup("staff", help="Staff accounts and API tokens.")


@staff_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), default="agent", show_default=True)
@click.option("--name", "full_name", default="", help="Full name shown in the console.")
@click.password_option(help="At least 12 characters (prompted when not given).")
def staff_create(username: str, role: str, full_name: str, password: str) -> None:
    """Create a staff user with a role (agent, supervisor, admin)."""
    try:
        user = create_staff_user(username, full_name, role, password)
    except DomainError as err:
        click.echo(f"error: {err.message} {err.fields or ''}", err=True)
        sys.exit(1)
    click.echo(f"created {user.username} ({user.role})")


@staff_cli.command("password")
@click.argument("username")
@click.password_option(help="At least 12 characters (prompted when not given).")
@click.option("--revoke-tokens", is_flag=True, help="Also revoke the user's API tokens.")
def staff_password(username: str, password: str, revoke_tokens: bool) -> None:
    """Set a new password for USERNAME; their open console sessions end (and, with --revoke-tokens,
    their API tokens stop working)."""
    try:
        ended = change_password(username, password, revoke_tokens=revoke_tokens)
    except DomainError as err:
        click.echo(f"error: {err.message} {err.fields or ''}", err=True)
        sys.exit(1)
    click.echo(f"password changed for {username}; {ended} console session(s) ended"
               + ("; API tokens revoked" if revoke_tokens else ""))


@staff_cli.command("token")
@click.argument("username")
@click.option("--label", default="cli")
@click.option("--days", type=int, default=90, show_default=True, help="0 = never expires.")
def staff_token(username: str, label: str, days: int) -> None:
    """Issue an API bearer token for USERNAME (printed once)."""
    user = get_staff_user(username)
    if user is None:
        click.echo(f"error: no staff user {username}", err=True)
        sys.exit(1)
    click.echo(issue_token(user, label, days or None))
