"""Structured logs: one JSON object per line, and one line per request with its request id.

The request id comes from X-Request-ID (nginx sets it) when it looks like one, else it is generated;
it is sent back in the response, forwarded to Rasa (portal/chat/rasa_client.py) and from there, in
the message metadata, to the action server, whose calls to this API carry it again. Every log line
written during a request carries it (`request_id`).

No personal data: a request line names the route rule (`/<lang>/appointments/<reference>`), never the
path or the query string, and no body, header or client address.
"""
from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import datetime, timezone

from flask import Flask, g, has_request_context, request

from .chat.masking import mask

HEADER = "X-Request-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
UNMATCHED = "<unmatched>"        # the route label of a path no rule matched (404)
log = logging.getLogger("portal.request")
# LogRecord attributes that are not extra fields
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object: time (UTC), level, logger, message, request id, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            entry["error"] = record.exc_info[0].__name__ if record.exc_info[0] else "error"
            entry["trace"] = _masked_trace(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def _masked_trace(trace: str) -> str:
    """A traceback whose exception messages (the unindented lines) are masked: an error may quote its
    input. File and code lines stay as they are."""
    return "\n".join(line if line.startswith((" ", "Traceback", "During handling", "The above exception"))
                     else mask(line) for line in trace.splitlines())


def _with_request_id(make_record):
    """A LogRecord factory that gives every record made while a request is handled that request's id
    (whichever logger and handler: also those of libraries, and of an operator's own configuration)."""
    def make(*args, **kwargs):
        record = make_record(*args, **kwargs)
        if has_request_context():
            record.request_id = g.get("request_id")
        return record
    make.adds_request_id = True
    return make


def configure_logging(level: str) -> None:
    """Request ids on every record; JSON lines on stderr for the whole process, unless its logging was
    configured already (pytest, an operator's own handler)."""
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "adds_request_id", False):
        logging.setLogRecordFactory(_with_request_id(factory))
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(JsonFormatter())
        root.addHandler(handler)
    root.setLevel(level)


def current_request_id() -> str | None:
    """The id of the request being handled (None outside a request)."""
    return g.get("request_id") if has_request_context() else None


def route_label() -> str:
    """The matched route rule, or UNMATCHED: a bounded label that holds no personal data."""
    rule = request.url_rule
    return rule.rule if rule is not None else UNMATCHED


def _start() -> None:
    given = request.headers.get(HEADER, "")
    g.request_id = given if _VALID_ID.match(given) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def elapsed() -> float:
    """Seconds since the request started (0 when it did not pass through this module)."""
    started = g.get("request_started")
    return time.perf_counter() - started if started is not None else 0.0


def _finish(response):
    if "request_id" not in g:      # refused before this module's before_request ran
        _start()
    response.headers[HEADER] = g.request_id
    log.info("request", extra={"method": request.method, "route": route_label(), "status": response.status_code,
                               "duration_ms": round(elapsed() * 1000, 1)})
    return response


def init_app(app: Flask) -> None:
    configure_logging(app.config["LOG_LEVEL"])
    app.before_request(_start)
    app.after_request(_finish)
