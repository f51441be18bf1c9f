"""Backups that restore: the database and citizens' files in one encrypted archive.

``manage.py backup`` writes ``laichau-<UTC time>.tar.gpg`` into ``PORTAL_BACKUP_DIR``:

- ``database.dump``: ``pg_dump --format=custom`` (PostgreSQL), or a copy made with SQLite's
  online backup (the embedded default);
- ``media.tar``: ``DJANGO_MEDIA_ROOT`` (citizens' files);
- ``manifest.json``: when, which migrations, and each table's row count and checksum (an
  order-free sum of the rows' MD5), so that a restore proves it got everything back.

The archive is encrypted with GnuPG's symmetric AES-256 under ``PORTAL_BACKUP_PASSPHRASE``
(``gpg --decrypt`` opens it by hand too). The identities inside are encrypted already
(``gov.crypto``): their keys, ``PORTAL_FIELD_KEYS``, are never in a backup and must be kept
apart from it. Archives older than ``PORTAL_BACKUP_KEEP_DAYS`` are deleted after a backup.

``manage.py restore <archive>`` decrypts it, refuses a database that already holds the portal's
tables (unless ``--force``), restores the database and the files, and checks every table's
count and checksum against the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

PREFIX = "laichau-"
SUFFIX = ".tar.gpg"


class BackupError(Exception):
    """A backup or a restore could not be done; the message says why."""


@dataclass(frozen=True)
class TableSum:
    rows: int
    checksum: str


def table_sums() -> dict[str, TableSum]:
    """Every table of the database with its row count and an order-free checksum."""
    out: dict[str, TableSum] = {}
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor, include_views=False))
        for table in tables:
            name = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 15))"
                    f"::bit(60)::bigint), 0)::text FROM {name} t"
                )
                rows, checksum = cursor.fetchone()
            else:
                cursor.execute(f"SELECT * FROM {name}")
                rows, total = 0, 0
                for row in cursor.fetchall():
                    rows += 1
                    digest = hashlib.md5(repr(row).encode(), usedforsecurity=False).hexdigest()
                    total += int(digest[:15], 16)
                checksum = str(total)
            out[table] = TableSum(rows=int(rows), checksum=str(checksum))
    return out


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--host", db.get("HOST") or "127.0.0.1", "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, **kwargs)
    if result.returncode != 0:
        error = result.stderr.decode("utf-8", "replace").strip()
        raise BackupError(f"{Path(args[0]).name} failed: {error[-500:]}")
    return result


def _passphrase() -> str:
    passphrase = settings.PORTAL_BACKUP_PASSPHRASE
    if not passphrase or len(passphrase) < 16:
        raise BackupError(
            "PORTAL_BACKUP_PASSPHRASE is not set (at least 16 characters): backups are "
            "encrypted, and the passphrase is what opens them"
        )
    return passphrase


def _gpg(args: list[str], source: Path, target: Path) -> None:
    """Run gpg with the passphrase given on a pipe, never on the command line or on disk."""
    read, write = os.pipe()
    os.write(write, _passphrase().encode())
    os.close(write)
    with tempfile.TemporaryDirectory() as home:
        try:
            _run(
                [
                    "gpg", "--batch", "--yes", "--quiet", "--homedir", home,
                    "--pinentry-mode", "loopback", "--passphrase-fd", str(read),
                    *args, "--output", str(target), str(source),
                ],
                pass_fds=(read,),
                timeout=6 * 3600,
            )  # fmt: skip
        finally:
            os.close(read)


def _dump_database(target: Path) -> str:
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        name = connection.settings_dict["NAME"]
        _run(
            ["pg_dump", *args, "--format=custom", "--no-owner", "--no-privileges",
             "--file", str(target), name],
            env=env,
            timeout=6 * 3600,
        )  # fmt: skip
        return "postgresql"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        out = sqlite3.connect(target)
        try:
            connection.connection.backup(out)
        finally:
            out.close()
        return "sqlite"
    raise BackupError(f"No backup for a {connection.vendor} database")


def backup(directory: Path | None = None, progress: Callable[[str], None] = lambda _: None) -> Path:
    """Write one encrypted archive and delete the ones past retention; returns its path."""
    _passphrase()
    directory = Path(directory or settings.PORTAL_BACKUP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    target = directory / f"{PREFIX}{stamp}{SUFFIX}"
    with tempfile.TemporaryDirectory(dir=directory) as work:
        work_dir = Path(work)
        progress("database…")
        vendor = _dump_database(work_dir / "database.dump")
        progress("files…")
        media = Path(settings.MEDIA_ROOT)
        files = 0
        with tarfile.open(work_dir / "media.tar", "w") as tar:
            if media.exists():
                for path in sorted(media.rglob("*")):
                    if path.is_file():
                        tar.add(path, arcname=str(path.relative_to(media)))
                        files += 1
        progress("checksums…")
        manifest = {
            "format": 1,
            "made_at": timezone.now().isoformat(),
            "vendor": vendor,
            "migrations": sorted(
                f"{app}.{name}"
                for app, name in MigrationRecorder.Migration.objects.values_list("app", "name")
            ),
            "tables": {t: vars(s) for t, s in table_sums().items()},
            "files": files,
        }
        (work_dir / "manifest.json").write_text(json.dumps(manifest, indent=1))
        with tarfile.open(work_dir / "backup.tar", "w") as tar:
            for member in ("manifest.json", "database.dump", "media.tar"):
                tar.add(work_dir / member, arcname=member)
        progress("encryption…")
        _gpg(["--symmetric", "--cipher-algo", "AES256"], work_dir / "backup.tar", target)
    os.chmod(target, 0o600)
    prune(directory)
    return target


def prune(directory: Path, now: dt.datetime | None = None) -> list[Path]:
    """Delete the archives older than ``PORTAL_BACKUP_KEEP_DAYS``, never the newest one."""
    now = now or timezone.now()
    keep = dt.timedelta(days=settings.PORTAL_BACKUP_KEEP_DAYS)
    archives = sorted(directory.glob(f"{PREFIX}*{SUFFIX}"))
    removed = []
    for path in archives[:-1]:
        stamp = path.name[len(PREFIX) : -len(SUFFIX)]
        try:
            made = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        except ValueError:
            continue
        if now - made > keep:
            path.unlink()
            removed.append(path)
    return removed


@dataclass(frozen=True)
class Restored:
    tables: int
    rows: int
    files: int


def restore(
    archive: Path, *, force: bool = False, progress: Callable[[str], None] = lambda _: None
) -> Restored:
    """Restore ``archive`` into the configured database and media directory, then check every
    table against the manifest. Raises ``BackupError`` on any difference."""
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        progress("decryption…")
        _gpg(["--decrypt"], Path(archive), work_dir / "backup.tar")
        with tarfile.open(work_dir / "backup.tar") as tar:
            tar.extractall(work_dir, filter="data")
        manifest = json.loads((work_dir / "manifest.json").read_text())
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"The archive holds a {manifest['vendor']} database; this one is "
                f"{connection.vendor}"
            )
        with connection.cursor() as cursor:
            existing = connection.introspection.table_names(cursor)
        if "django_migrations" in existing and not force:
            raise BackupError(
                "The database already holds the portal's tables: restore into an empty "
                "database, or pass --force to replace them"
            )
        progress("database…")
        _restore_database(work_dir / "database.dump", existing, force)
        progress("files…")
        media = Path(settings.MEDIA_ROOT)
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(work_dir / "media.tar") as tar:
            for member in tar.getmembers():
                if (media / member.name).exists() and not force:
                    raise BackupError(f"A file is already there: {member.name} (use --force)")
            tar.extractall(media, filter="data")
        progress("checks…")
        expected = {t: TableSum(**s) for t, s in manifest["tables"].items()}
        found = table_sums()
        differ = sorted(t for t in expected if found.get(t) != expected[t])
        if differ:
            raise BackupError(f"Restored tables differ from the backup: {', '.join(differ)}")
        return Restored(
            tables=len(expected),
            rows=sum(s.rows for s in expected.values()),
            files=int(manifest["files"]),
        )


def _restore_database(dump: Path, existing: list[str], force: bool) -> None:
    if connection.vendor == "postgresql":
        args, env = _pg_env()
        name = connection.settings_dict["NAME"]
        connections.close_all()
        _run(
            ["pg_restore", *args, "--no-owner", "--no-privileges", "--exit-on-error",
             *(["--clean", "--if-exists"] if force and existing else []),
             "--dbname", name, str(dump)],
            env=env,
            timeout=6 * 3600,
        )  # fmt: skip
        return
    target = Path(connection.settings_dict["NAME"])
    connections.close_all()
    shutil.copyfile(dump, target)
