"""Blueprints whose URLs start with /<lang>/: the prefix sets the page language."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, g, request

from .i18n import LANG_COOKIE, is_language


def lang_blueprint(name: str, import_name: str, **kwargs) -> Blueprint:
    bp = Blueprint(name, import_name, url_prefix="/<lang>", **kwargs)

    @bp.url_value_preprocessor
    def _pull_lang(endpoint, values):
        lang = (values or {}).pop("lang", None)
        if not is_language(lang):
            abort(404)
        g.lang = lang

    @bp.url_defaults
    def _add_lang(endpoint, values):
        if "lang" not in values and getattr(g, "lang", None):
            values["lang"] = g.lang

    @bp.after_request
    def _remember_lang(response):
        if getattr(g, "lang", None):
            response.set_cookie(LANG_COOKIE, g.lang, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                                secure=request.is_secure or current_app.config["SESSION_COOKIE_SECURE"])
        return response

    return bp
