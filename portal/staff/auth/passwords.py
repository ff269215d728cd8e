"""Staff password and API token hashing."""
from __future__ import annotations

import functools
import hashlib
import os
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


@functools.cache
def _hasher() -> PasswordHasher:
    """Argon2id at the library's defaults (RFC 9106's low-memory profile: 64 MiB, 3 passes; about
    0.2 s here). The test suite sets STAFF_PASSWORD_HASH=fast (tests/conftest.py) for the cheapest
    parameters, which production refuses. A hash records its own parameters: each verifies either way."""
    if os.environ.get("STAFF_PASSWORD_HASH") == "fast":
        if os.environ.get("ENV") == "production":
            raise RuntimeError("STAFF_PASSWORD_HASH=fast is for the test suite, never for production")
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


_dummy_hash: str | None = None


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Constant work: an unknown user is checked against a dummy hash made once, so a wrong password
    takes as long for a username that does not exist as for one that does (no guessing by timing)."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher().hash(secrets.token_hex(16))
    try:
        return _hasher().verify(stored_hash or _dummy_hash, password) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """An API bearer token (shown once; only its SHA-256 is stored)."""
    return "gst_" + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """High-entropy tokens need no slow hash: SHA-256 lets us look them up by value."""
    return hashlib.sha256(token.encode()).hexdigest()
