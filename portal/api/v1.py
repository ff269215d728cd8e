"""The documented booking and case API: flask-smorest blueprints under /api/v1 and the OpenAPI document.

`portal.api.v1:bp` is listed in BLUEPRINTS; registering it sets up the smorest Api on the app
(spec at /api/v1/openapi.json) and its blueprints. The plain `api` blueprint (search, chat) keeps
working beside it under the same prefix.
"""
from __future__ import annotations

from flask import Blueprint, g, request
from flask_babel import gettext as _
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from werkzeug.exceptions import UnprocessableEntity

from ..errors import error_response
from ..extensions import csrf
from ..i18n import is_language
from .schemas import ErrorSchema

bp = Blueprint("api_v1_setup", __name__)

SPEC_CONFIG = {
    "API_TITLE": "Migration services portal API",
    "API_VERSION": "1.0",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}


class PortalApi(Api):
    """flask-smorest Api that leaves error handling to portal.errors (one JSON error shape)."""
    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self):
        pass


def localised_field_errors(messages: dict) -> dict[str, str]:
    """webargs/marshmallow messages {location: {field: [...]}} -> {field: message in the user's language}."""
    out: dict[str, str] = {}
    for _location, errors in (messages or {}).items():
        if not isinstance(errors, dict):
            continue
        for field, detail in errors.items():
            text = str(detail)
            if "Missing data" in text:
                out[str(field)] = _("This field is required")
            else:
                out[str(field)] = _("This value is not valid")
    return out


def _unprocessable(err: UnprocessableEntity):
    messages = (getattr(err, "data", None) or {}).get("messages", {})
    return error_response(422, "validation_failed", fields=localised_field_errors(messages))


def _set_lang() -> None:
    """Messages follow `lang` (query or JSON body), then Accept-Language."""
    lang = request.args.get("lang")
    if not is_language(lang) and request.is_json:
        body = request.get_json(silent=True)
        lang = body.get("lang") if isinstance(body, dict) else None
    if is_language(lang):
        g.lang = lang


def _no_store(response):
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def api_blueprint(name: str, import_name: str, description: str) -> SmorestBlueprint:
    """A documented blueprint under /api/v1 with the API's language, caching and error conventions."""
    blp = SmorestBlueprint(name, import_name, url_prefix="/api/v1", description=description)
    csrf.exempt(blp)
    blp.before_request(_set_lang)
    blp.after_request(_no_store)
    blp.register_error_handler(UnprocessableEntity, _unprocessable)
    return blp


@bp.record_once
def _setup(state) -> None:
    app = state.app
    for key, value in SPEC_CONFIG.items():
        app.config.setdefault(key, value)
    api = PortalApi(app, spec_kwargs={"info": {"description": "Offices, slots, appointments and cases. "
                                                "Times are UTC; offices work in Europe/Istanbul."}})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    from .appointments import blp as appointments_blp
    from .cases import blp as cases_blp
    from .staff import blp as staff_blp
    for blp in (appointments_blp, cases_blp, staff_blp):
        api.register_blueprint(blp)
    app.extensions["portal_api"] = api
