"""The one API layer: flask-smorest blueprints under /api/v1 and their OpenAPI document.

Every public JSON endpoint is a blueprint made by `api_blueprint` (language, caching, CSRF and
error conventions) and listed in `API_BLUEPRINTS` of the app factory, which calls `init_api`.
The document is served at /api/v1/openapi.json.
"""
from __future__ import annotations

import threading

from flask import g, request
from flask_babel import gettext as _
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from werkzeug.exceptions import UnprocessableEntity

from ..errors import error_response
from ..extensions import csrf
from ..i18n import is_language
from ..inputs import TooDeep, unstorable_field
from .schemas import ErrorSchema

SPEC_CONFIG = {
    "API_TITLE": "Migration services portal API",
    "API_VERSION": "1.0",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}
DESCRIPTION = ("Search, chat, offices, slots, appointments and cases. Times are UTC; offices work in "
               "Europe/Istanbul. Errors are JSON {error, message, fields} in the request's language.")


class PortalApi(Api):
    """flask-smorest Api that leaves error handling to portal.errors (one JSON error shape), and documents
    its blueprints when the OpenAPI document is first read (`spec`), not when the app is made: that took
    70 ms of the 170 ms an app takes to make, paid by every worker and every test."""
    ERROR_SCHEMA = ErrorSchema

    def __init__(self, *args, **kwargs):
        self._undocumented: list[tuple] = []
        self._doc_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    @property
    def spec(self):
        if self._undocumented:
            with self._doc_lock:        # two first readers at once: one documents, the other waits
                while self._undocumented:
                    blp, name, parameters = self._undocumented[0]
                    blp.register_views_in_doc(self, self._app, self._spec, name=name, parameters=parameters)
                    self._spec.tag({"name": name, "description": blp.description})
                    self._undocumented.pop(0)
        return self._spec

    @spec.setter
    def spec(self, value):
        self._spec = value

    def register_blueprint(self, blp, *, parameters=None, **options):
        """Api.register_blueprint, with the documentation left for `spec`."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def _register_error_handlers(self):
        pass


def init_api(app, blueprints) -> PortalApi:
    """Create the Api on `app` and register the given smorest blueprints, in order."""
    for key, value in SPEC_CONFIG.items():
        app.config.setdefault(key, value)
    api = PortalApi(app, spec_kwargs={"info": {"description": DESCRIPTION}})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for blp in blueprints:
        api.register_blueprint(blp)
    app.extensions["portal_api"] = api
    return api


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


def _check_json_body():
    """The one check every JSON body passes before its operation: nested at most MAX_JSON_DEPTH deep
    (else 400 invalid_json), and no NUL, control character or lone surrogate in any string (else 422
    on that field, in the request's language). Types are the operation's schema's business."""
    if request.method not in ("POST", "PUT", "PATCH") or not request.content_length:
        return None
    try:
        body = request.get_json(silent=True, force=True)
        field = unstorable_field(body)
    except (RecursionError, TooDeep):
        return error_response(400, "invalid_json")
    if field is not None:
        return error_response(422, "validation_failed", fields={
            field: _("This text contains characters that cannot be stored. Please type it again.")})
    return None


def _no_store(response):
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def api_blueprint(name: str, import_name: str, description: str) -> SmorestBlueprint:
    """A documented blueprint under /api/v1 with the API's language, caching and error conventions."""
    blp = SmorestBlueprint(name, import_name, url_prefix="/api/v1", description=description)
    csrf.exempt(blp)
    blp.before_request(_set_lang)
    blp.before_request(_check_json_body)
    blp.after_request(_no_store)
    blp.register_error_handler(UnprocessableEntity, _unprocessable)
    return blp


def error_responses(blp: SmorestBlueprint, *codes: int):
    """Document the JSON error responses an endpoint can give."""
    def decorator(fn):
        for code in codes:
            fn = blp.alt_response(code, schema=ErrorSchema, description="error")(fn)
        return fn
    return decorator


def json_body(blp: SmorestBlueprint, schema, description: str = ""):
    """Document a JSON request body whose fields the operation itself validates.

    Used where the domain layer owns validation (its per-field messages in the user's language, its
    400 for a body that is not an object), so the rule lives in one place and the document shows it.
    """
    return blp.doc(requestBody={"required": True, "description": description,
                                "content": {"application/json": {"schema": schema}}})
