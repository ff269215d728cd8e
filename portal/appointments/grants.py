"""Session grants: after a booking or a successful reference + code check, the browser may manage
that appointment (or read that case) for a limited time without sending the code again."""
from __future__ import annotations

import time

from flask import session

from ..sessions import keep_on_server

GRANT_SECONDS = 30 * 60
keep_on_server("grant_appointment", "grant_case")     # references and codes never travel in the cookie


def grant(kind: str, ref: str, code: str | None = None) -> None:
    session[f"grant_{kind}"] = {"ref": ref, "t": int(time.time()), **({"code": code} if code else {})}


def granted(kind: str) -> dict | None:
    """The grant if still fresh (refreshed on use), else None."""
    data = session.get(f"grant_{kind}")
    if not isinstance(data, dict) or time.time() - float(data.get("t", 0)) > GRANT_SECONDS:
        session.pop(f"grant_{kind}", None)
        return None
    data["t"] = int(time.time())
    session[f"grant_{kind}"] = data
    return data


def revoke(kind: str) -> None:
    session.pop(f"grant_{kind}", None)
