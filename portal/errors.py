"""Domain errors raised by operations, and their mapping to HTML or JSON responses."""
from __future__ import annotations

import logging

from flask import jsonify, make_response, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from .requestlog import route_label

log = logging.getLogger(__name__)


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str | None = None, fields: dict | None = None):
        super().__init__(message or self.code)
        self.message = message
        self.fields = fields or {}


class ValidationFailed(DomainError):
    status, code = 422, "validation_failed"


class NotFound(DomainError):
    status, code = 404, "not_found"


class PermissionDenied(DomainError):
    status, code = 403, "forbidden"


class Conflict(DomainError):
    status, code = 409, "conflict"


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.is_json or (
        request.accept_mimetypes.best == "application/json"
    )


def default_message(status: int) -> str:
    messages = {
        400: _("The request could not be understood."),
        401: _("Please sign in to continue."),
        403: _("You do not have permission to do this."),
        404: _("The page you are looking for does not exist."),
        405: _("This action is not allowed here."),
        409: _("This could not be done because something changed. Please try again."),
        413: _("What you sent is too large."),
        415: _("Please send JSON."),
        422: _("Some of the information is not valid. Please check it."),
        429: _("Too many requests. Please wait a minute and try again."),
        500: _("Something went wrong on our side. Please try again later or call 157."),
        503: _("This service is temporarily unavailable. Please try again later or call 157."),
    }
    return messages.get(status, messages[400] if status < 500 else messages[500])


def error_response(status: int, code: str, message: str | None = None, fields: dict | None = None):
    message = message or default_message(status)
    if wants_json():
        resp = jsonify({"error": code, "message": message, "fields": fields or {}})
        return resp, status
    template = "errors/404.html" if status == 404 else "errors/error.html"
    return render_template(template, status=status, message=message), status


def register_error_handlers(app) -> None:
    @app.errorhandler(DomainError)
    def _domain(err: DomainError):
        return error_response(err.status, err.code, err.message, err.fields)

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        code = (err.name or "error").lower().replace(" ", "_")
        body, status = error_response(err.code or 500, code)
        resp = make_response(body, status)       # an HTML page is a string until made a response
        if err.code == 405 and getattr(err, "valid_methods", None):
            resp.headers["Allow"] = ", ".join(err.valid_methods)
        return resp

    @app.errorhandler(RecursionError)
    def _too_deep(err: RecursionError):
        """JSON nested thousands deep: the parser's recursion limit, not a fault of ours."""
        if request.path.startswith("/api/") or (request.mimetype or "").endswith("json"):
            return error_response(400, "invalid_json")
        return _unexpected(err)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        log.exception("unhandled error on %s %s", request.method, route_label())  # a path may hold a reference
        return error_response(500, "internal_error")
