"""Human-friendly references and one-time access codes (unambiguous alphabet), hashed with argon2."""
from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..inputs import clean_identifier

# No 0/O, 1/I/L, 5/S confusion: 29 characters people can read aloud and type back.
ALPHABET = "2346789ABCDEFGHJKMNPQRTUVWXYZ"
CODE_LENGTH = 8

# Access codes are random (29^8 ~ 5e11) and online guessing is rate limited. Against a stolen
# database they are protected twice: the stored value is argon2id over an HMAC of the code keyed
# with the app's SECRET_KEY (a pepper that is not in the database), so an offline attack needs the
# server's secret too. That lets argon2 run with light settings (8 MiB, 1 pass: a few ms), which
# keeps booking and look-ups fast. When SECRET_KEY is rotated, the earlier keys stay accepted as
# peppers (SECRET_KEY_FALLBACKS) until the codes issued under them have expired (SECURITY.md).
_hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
_DUMMY_HASH: str | None = None


def random_chars(n: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(n))


def new_reference(prefix: str = "GIB") -> str:
    """e.g. GIB-7K3M-Q9."""
    return f"{prefix}-{random_chars(4)}-{random_chars(2)}"


def new_case_number(year: int) -> str:
    """e.g. GC-2026-7K3M9Q."""
    return f"GC-{year}-{random_chars(6)}"


def new_access_code() -> str:
    """A fresh code shown once to the applicant, formatted XXXX-XXXX."""
    raw = random_chars(CODE_LENGTH)
    return f"{raw[:4]}-{raw[4:]}"


def derived_access_code(secret: str, *parts: str) -> str:
    """A code derived from a secret (used so an idempotent retry can show the same code again)."""
    digest = hmac.new(secret.encode(), "|".join(parts).encode(), hashlib.sha256).digest()
    raw = "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:CODE_LENGTH])
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(text: str | None) -> str:
    """Upper case without spaces or dashes (people type codes in many ways)."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def normalise_reference(text: str | None) -> str:
    """`gib 7k3m q9` -> `GIB-7K3M-Q9`; anything else comes back upper-cased and trimmed."""
    text = clean_identifier(text)
    raw = normalise_code(text)
    if raw.startswith("GIB") and len(raw) == 9:
        return f"GIB-{raw[3:7]}-{raw[7:]}"
    if raw.startswith("GC") and len(raw) == 12:
        return f"GC-{raw[2:6]}-{raw[6:]}"
    return (text or "").strip().upper()[:40]


def _peppered(code: str | None, pepper: str) -> str:
    return hmac.new(pepper.encode(), normalise_code(code)[:64].encode(), hashlib.sha256).hexdigest()


def hash_code(code: str, pepper: str) -> str:
    """The stored form of an access code (argon2id of its keyed HMAC)."""
    return _hasher.hash(_peppered(code, pepper))


def verify_code(stored_hash: str | None, code: str | None, peppers: str | list[str]) -> bool:
    """Constant-time check against each pepper (the current SECRET_KEY, then earlier ones); an unknown
    record is checked against a dummy hash, and every pepper is always tried, so timing matches."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher.hash(random_chars(CODE_LENGTH))
    ok = False
    for pepper in [peppers] if isinstance(peppers, str) else peppers:
        try:
            ok = _hasher.verify(stored_hash or _DUMMY_HASH, _peppered(code, pepper)) or ok
        except (VerificationError, InvalidHashError):
            pass
    return ok and stored_hash is not None
