"""Identities at rest: encrypted model fields and keyed pseudonyms.

- **Encrypted fields** (``EncryptedCharField``, ``EncryptedEmailField``,
  ``EncryptedTextField``): the value is encrypted in the application with Fernet (AES-128-CBC
  and HMAC-SHA256, from ``cryptography``) before it reaches the database and decrypted when it
  is read; the keys are in the environment (``PORTAL_FIELD_KEYS``, newest first), never in the
  database, so a dump or a backup holds no name, ID number, phone, e-mail or address. The
  newest key encrypts; every key decrypts (``MultiFernet``), so a new key is put first and the
  old ones kept until ``manage.py rotate_field_keys`` has re-encrypted every value.
  An empty value is stored empty: "no phone given" stays queryable (``contact_email=""``),
  and it says nothing about a person. No other lookup is possible (a value encrypts
  differently every time): filtering on one raises ``FieldError`` instead of matching nothing.
- **Pseudonyms** (``pseudonym``): HMAC-SHA256 under ``PORTAL_PSEUDONYM_KEY``, a secret of its
  own, for "the same person" without the person (``complaints.detection.submitter_key``):
  without the key, a list of every ID number in the province does not lead back to one.

Written on ``cryptography`` rather than taken from a package: django-fernet-encrypted-fields
(maintained) derives its keys from ``SECRET_KEY`` (rotating the session secret would mean
re-encrypting), stores an empty value as NULL (the columns are NOT NULL; ``contact_email=""``
would stop matching), and returns the ciphertext as the value when no key fits; the others
are unmaintained. What is needed is small: the fields below and ``MultiFernet.rotate``.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.lookups import Exact, IsNull

if TYPE_CHECKING:
    from django.core.checks import CheckMessage
    from django.db.models.expressions import Expression


class UndecryptableValue(ImproperlyConfigured):
    """A stored value that none of ``PORTAL_FIELD_KEYS`` decrypts: a key was removed before
    ``rotate_field_keys`` had re-encrypted everything, or the keys are not this database's."""


@functools.lru_cache(maxsize=4)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    if not keys:
        raise ImproperlyConfigured("PORTAL_FIELD_KEYS is empty: set at least one Fernet key.")
    try:
        fernets = [Fernet(key.strip().encode()) for key in keys]
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "PORTAL_FIELD_KEYS holds a value that is not a Fernet key (32 url-safe base64 bytes:"
            " python -c 'from cryptography.fernet import Fernet;"
            " print(Fernet.generate_key().decode())')."
        ) from exc
    return MultiFernet(fernets), fernets[0]


def field_keys() -> tuple[MultiFernet, Fernet]:
    """Every key (to decrypt, to rotate) and the newest (to encrypt), from the settings read
    now: a test that overrides them gets its own."""
    keys = getattr(settings, "PORTAL_FIELD_KEYS", ())
    return _fernets(tuple(k for k in keys if k.strip()))


def encrypt(text: str) -> str:
    """``text`` encrypted with the newest key; empty stays empty."""
    if not text:
        return text
    return field_keys()[1].encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The text of a stored ``token``, with whichever key encrypted it; empty stays empty."""
    if not token:
        return token
    try:
        return field_keys()[0].decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise UndecryptableValue(
            "A stored identity cannot be decrypted with PORTAL_FIELD_KEYS: keep the old key"
            " listed until `manage.py rotate_field_keys` has finished."
        ) from exc


def rotated(token: str) -> str | None:
    """``token`` re-encrypted with the newest key, or None when the newest key encrypted it
    already (so a second run of the rotation writes nothing)."""
    if not token:
        return None
    every, newest = field_keys()
    raw = token.encode("ascii")
    try:
        newest.decrypt(raw)
        return None
    except InvalidToken:
        pass
    try:
        return every.rotate(raw).decode("ascii")
    except InvalidToken as exc:
        raise UndecryptableValue(
            "A stored identity cannot be decrypted with any of PORTAL_FIELD_KEYS."
        ) from exc


def pseudonym(basis: str) -> str:
    """A keyed pseudonym of ``basis`` (64 hex digits): equal for equal bases, and not
    computable without ``PORTAL_PSEUDONYM_KEY``."""
    key = settings.PORTAL_PSEUDONYM_KEY
    if not key:
        raise ImproperlyConfigured("PORTAL_PSEUDONYM_KEY is empty.")
    return hmac.new(key.encode(), basis.encode(), hashlib.sha256).hexdigest()


# --- fields ----------------------------------------------------------------------------------


class _EmptyExact(Exact):
    """``field=""`` only: whether a value was given. Any other value could never match."""

    def get_prep_lookup(self) -> str:
        if self.rhs != "":
            raise FieldError(
                f"{self.lhs.target.model.__name__}.{self.lhs.target.name} is encrypted: it can"
                " be compared with '' only."
            )
        return ""


class EncryptedMixin:
    """Encrypt on the way to the database, decrypt on the way back. The column is text
    (a token is longer than the value); ``max_length`` still bounds the value itself."""

    encrypted = True

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        return decrypt(value) if value else value

    def get_db_prep_save(self, value: Any, connection: BaseDatabaseWrapper) -> Any:
        value = super().get_db_prep_save(value, connection)
        return encrypt(value) if isinstance(value, str) else value

    def get_lookup(self, lookup_name: str) -> type | None:
        return {"exact": _EmptyExact, "isnull": IsNull}.get(lookup_name)

    def get_transform(self, lookup_name: str) -> None:
        return None


class EncryptedCharField(EncryptedMixin, models.CharField):
    pass


class EncryptedEmailField(EncryptedMixin, models.EmailField):
    pass


class EncryptedTextField(EncryptedMixin, models.TextField):
    pass


def encrypted_columns() -> Iterator[tuple[type[models.Model], list[models.Field]]]:
    """Every concrete model with encrypted fields, and those fields."""
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]
        if fields and not model._meta.proxy:
            yield model, fields


# --- rewriting stored values -----------------------------------------------------------------


@dataclass
class Progress:
    table: str
    read: int = 0
    written: int = 0
    changed_meanwhile: int = 0  # rows written by the portal between the read and the update
    last_pk: int = 0


def rewrite_columns(
    connection: BaseDatabaseWrapper,
    *,
    table: str,
    columns: list[str],
    change: Callable[[str], str | None],
    batch_size: int = 2000,
    pk: str = "id",
) -> Iterator[Progress]:
    """Pass ``change`` over every non-empty value of ``columns`` of ``table``, in batches in
    the order of the primary key, and write back what it changed (None: unchanged); yields the
    progress after each batch. Raw SQL on purpose: the stored token, not the decrypted value,
    is what is read and written.

    Without downtime: each batch is its own short transaction, and a row is written only if
    it still holds what was read (compare and set), so a value the portal wrote meanwhile,
    with the newest key, is never overwritten with an older one; such rows are counted and a
    second run takes them. Safe to stop and run again: what is done is not done twice."""
    quote = connection.ops.quote_name
    cols = ", ".join(quote(c) for c in columns)
    select = (
        f"SELECT {quote(pk)}, {cols} FROM {quote(table)} WHERE {quote(pk)} > %s"
        f" ORDER BY {quote(pk)} LIMIT %s"
    )
    update = (
        f"UPDATE {quote(table)} SET {', '.join(f'{quote(c)} = %s' for c in columns)}"
        f" WHERE {quote(pk)} = %s AND {' AND '.join(f'{quote(c)} = %s' for c in columns)}"
    )
    progress = Progress(table=table)
    while True:
        with connection.cursor() as cursor:
            cursor.execute(select, [progress.last_pk, batch_size])
            rows = cursor.fetchall()
        if not rows:
            return
        updates = []
        for key, *values in rows:
            new = [change(v) if v else None for v in values]
            if any(n is not None for n in new):
                kept = [v if n is None else n for v, n in zip(values, new, strict=True)]
                updates.append([*kept, key, *values])
        if updates:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.executemany(update, updates)  # its row count: the sum (psycopg, sqlite3)
                written = cursor.rowcount
            progress.written += written
            progress.changed_meanwhile += len(updates) - written
        progress.read += len(rows)
        progress.last_pk = rows[-1][0]
        yield progress


# --- checks ----------------------------------------------------------------------------------


def check_keys(**kwargs: Any) -> list[CheckMessage]:
    """System check (``manage.py check``, at every start): the keys are there and well formed,
    and the pseudonym key is neither short nor the session secret."""
    from django.core.checks import Error

    errors: list[CheckMessage] = []
    try:
        field_keys()
    except ImproperlyConfigured as exc:
        errors.append(Error(str(exc), id="gov.E101"))
    key = getattr(settings, "PORTAL_PSEUDONYM_KEY", "")
    if len(key) < 32:
        errors.append(
            Error("PORTAL_PSEUDONYM_KEY must be at least 32 characters long.", id="gov.E102")
        )
    elif key == settings.SECRET_KEY:
        errors.append(
            Error("PORTAL_PSEUDONYM_KEY must differ from DJANGO_SECRET_KEY.", id="gov.E103")
        )
    return errors
