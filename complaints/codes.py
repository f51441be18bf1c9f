"""Tracking codes and secrets for citizens.

The code (``LC26-7K3QX9``) names the petition; the secret (``ABCD-EFGH-JKMN``) proves the
bearer filed it: 12 characters of a 32-letter alphabet, 60 bits, read aloud and typed in three
groups of four. Only a keyed hash of the secret is stored, so it is shown once, at submission.
Crockford's alphabet leaves out I, L, O and U, which are easily misread, and the comparison
reads O as 0 and I, L as 1. Secrets given before 2026-12 have 8 characters and still work.
"""

from __future__ import annotations

import secrets

from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_HMAC_SALT = "complaints.petition-secret"


def _random(n: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(n))


def new_code() -> str:
    return f"LC{timezone.localdate():%y}-{_random(6)}"


def new_secret() -> str:
    return f"{_random(4)}-{_random(4)}-{_random(4)}"


def normalise(value: str) -> str:
    """What a citizen types, made comparable: upper case, no spaces or dashes, O→0, I/L→1."""
    value = "".join(value.split()).upper().replace("-", "")
    return value.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def normalise_code(value: str) -> str:
    v = normalise(value)
    if v.startswith("1C"):  # "LC" turned into "1C" by the O/I/L rule above
        v = "LC" + v[2:]
    return f"{v[:4]}-{v[4:]}" if len(v) > 4 else v


def hash_secret(code: str, secret: str) -> str:
    return salted_hmac(_HMAC_SALT, f"{code}:{normalise(secret)}").hexdigest()


def secret_matches(code: str, secret: str, secret_hash: str) -> bool:
    return constant_time_compare(hash_secret(code, secret), secret_hash)
