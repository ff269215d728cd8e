"""Console sign-in and sign-out (/staff/login, /staff/logout) and the console's front door (/staff/)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...extensions import limiter
from ...inputs import has_unstorable
from ...ratelimit import LOGIN_LIMIT
from ..guard import console_blueprint
from .access import login_session, logout_session
from .operations import LockedOut, login_staff

bp = console_blueprint("staff_auth", __name__, "/staff")
HOME_ENDPOINT = "staff_suggest.suggest"


def _safe_next(target: str | None) -> str:
    """A console path to go back to after sign-in; anything else (other sites, CR/LF, "//host") goes home."""
    target = target or ""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/staff/") or any(ch.isspace() for ch in target) \
            or has_unstorable(target):
        return url_for(HOME_ENDPOINT)
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])     # per IP, across usernames (the lockout is per username)
def login():
    """GET: the sign-in form. POST: check the password (with lockout), start the session."""
    error, status = None, 200
    username = ""
    if request.method == "POST":
        username = (request.form.get("username") or "")[:80]
        try:
            user = login_staff(username, request.form.get("password") or "")
        except LockedOut:
            user, error, status = None, _("Too many failed attempts. Try again in 15 minutes."), 429
        else:
            if user is None:
                error, status = _("The username or password is not right."), 401
        if user is not None:
            login_session(user)
            return redirect(_safe_next(request.args.get("next")), 303)
    return render_template("staff/login.html", error=error, error_title=bool(error), username=username), status


@bp.post("/logout")
def logout():
    """End the staff session."""
    logout_session()
    return redirect(url_for("staff_auth.login"), 303)


@bp.get("/")
def home():
    """The console opens on the suggested answers."""
    return redirect(url_for(HOME_ENDPOINT), 303)
