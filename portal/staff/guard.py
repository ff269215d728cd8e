"""What every console blueprint shares: sign-in and role guard, language, no caching, the navigation.

Each console feature is its own blueprint made with `console_blueprint(...)`; its pages extend
"staff/console_base.html" (in portal/staff/templates, found through every console blueprint), which
draws the navigation from NAV (only entries whose endpoint exists and whose role the signed-in user has).
"""
from __future__ import annotations

import os
from functools import cached_property

from flask import Blueprint, current_app, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from jinja2 import FileSystemLoader

from ..i18n import LANG_COOKIE, is_language
from .auth.access import check_role, current_staff
from .dates import console_datetime

# (endpoint, label, minimum role), in menu order
NAV = (
    ("staff_suggest.suggest", _l("Suggested answers"), "agent"),
    ("staff_inbox.inbox", _l("Handover inbox"), "agent"),
    ("staff_queue.queue", _l("Unanswered questions"), "agent"),
    ("staff_office.appointments", _l("Appointments"), "agent"),
    ("staff_office.cases", _l("Cases"), "agent"),
    ("staff_audit.audit", _l("Audit log"), "supervisor"),
)
LOGIN_ENDPOINT = "staff_auth.login"
PUBLIC_ENDPOINTS = {LOGIN_ENDPOINT}
BLUEPRINT_ROLES: dict[str, str] = {}   # console blueprint name -> the role its routes need
SHARED_TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")
CONSOLE_LANG_KEY = "console_lang"


def console_language() -> str:
    """?lang= (remembered for the session), then the remembered choice, then the language cookie,
    then Turkish (the staff default)."""
    arg = request.args.get("lang")
    if is_language(arg):
        session[CONSOLE_LANG_KEY] = arg
        return arg
    for candidate in (session.get(CONSOLE_LANG_KEY), request.cookies.get(LANG_COOKIE)):
        if is_language(candidate):
            return candidate
    return "tr"


class ConsoleBlueprint(Blueprint):
    """A blueprint whose templates are its own folder, then the console's shared ones."""

    @cached_property
    def jinja_loader(self) -> FileSystemLoader:
        return FileSystemLoader([os.path.join(self.root_path, "templates"), SHARED_TEMPLATES])


def console_blueprint(name: str, import_name: str, url_prefix: str, role: str = "agent") -> Blueprint:
    """A blueprint whose every route needs a signed-in user with `role` (anonymous: redirect to
    sign-in; signed in without the role: 403). Responses are never cached."""
    bp = ConsoleBlueprint(name, import_name, url_prefix=url_prefix)
    BLUEPRINT_ROLES[name] = role

    @bp.before_request
    def _guard():
        g.lang = console_language()
        if request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if current_staff() is None:
            return redirect(url_for(LOGIN_ENDPOINT, next=request.full_path.rstrip("?")), 303)
        check_role(role)
        return None

    @bp.context_processor
    def _console_globals():
        return {"console_nav": console_nav, "console_datetime": console_datetime}

    @bp.after_request
    def _no_store(response):
        response.headers["Cache-Control"] = "no-store"
        return response

    return bp


def console_nav() -> list[dict]:
    """The navigation entries the signed-in user may open, with the current one marked."""
    user = current_staff()
    if user is None:
        return []
    return [{"href": url_for(endpoint), "label": label, "current": request.endpoint == endpoint}
            for endpoint, label, role in NAV
            if endpoint in current_app.view_functions and user.has_role(role)]
