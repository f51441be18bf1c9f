"""Backups that restore (gov.backup): the demo data backed up, restored into a fresh database,
every table's count and checksum and every file the same; encrypted; retention."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "a long passphrase for the test backups"
SUMS = (
    "import json, django; django.setup(); from gov.backup import table_sums; "
    "print(json.dumps({t: vars(s) for t, s in table_sums().items()}))"
)


def _manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _sums(env: dict[str, str]) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SUMS], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _env(tmp_path: Path, database_url: str, media: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_BACKUP")}
    env.update(
        DJANGO_SETTINGS_MODULE="laichau_portal.settings.local",
        DATABASE_URL=database_url,
        DJANGO_MEDIA_ROOT=str(tmp_path / media),
        PORTAL_BACKUP_PASSPHRASE=PASSPHRASE,
        PORTAL_STATE_DIR=str(tmp_path / "state"),
    )
    return env


def _round_trip(tmp_path: Path, source_url: str, target_url: str) -> None:
    source = _env(tmp_path, source_url, "media-source")
    _manage(source, "migrate", "--noinput")
    _manage(source, "load_reference_data")
    _manage(source, "seed_demo")
    letter = tmp_path / "media-source" / "petitions" / "2026" / "don-thu.pdf"
    letter.parent.mkdir(parents=True)
    letter.write_bytes(b"%PDF-1.4 a citizen's file\n" * 100)

    made = _manage(source, "backup", "--dir", str(tmp_path / "backups"))
    archive = next((tmp_path / "backups").glob("laichau-*.tar.gpg"))
    assert str(archive) in made.stdout
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    data = archive.read_bytes()
    assert b"PDF-1.4 a citizen" not in data  # encrypted, files and all
    assert b"django_migrations" not in data

    target = _env(tmp_path, target_url, "media-target")
    restored = _manage(target, "restore", str(archive))
    assert "restored and verified" in restored.stdout

    before, after = _sums(source), _sums(target)
    assert before == after
    assert sum(s["rows"] for s in after.values()) > 1000  # the demo data, not an empty shell
    assert _files(tmp_path / "media-source") == _files(tmp_path / "media-target")

    again = _manage(target, "restore", str(archive), check=False)
    assert again.returncode != 0
    assert "already holds the portal's tables" in again.stderr

    wrong = {**target, "PORTAL_BACKUP_PASSPHRASE": "not the passphrase of this backup"}
    refused = _manage(wrong, "restore", "--force", str(archive), check=False)
    assert refused.returncode != 0
    assert "gpg failed" in refused.stderr


@pytest.mark.postgres
@pytest.mark.slow
def test_postgresql_backup_restores_into_a_fresh_database(tmp_path: Path) -> None:
    suffix = uuid.uuid4().hex[:8]
    names = [f"laichau_backup_src_{suffix}", f"laichau_backup_dst_{suffix}"]
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    for name in names:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    try:
        _round_trip(tmp_path, f"{base}/{names[0]}", f"{base}/{names[1]}")
    finally:
        for name in names:
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", "--if-exists", name]
            )


@pytest.mark.slow
def test_the_embedded_default_backs_up_and_restores_too(tmp_path: Path) -> None:
    _round_trip(
        tmp_path, f"sqlite:///{tmp_path / 'source.sqlite3'}", f"sqlite:///{tmp_path / 't.sqlite3'}"
    )


def test_no_backup_without_a_passphrase(tmp_path: Path) -> None:
    env = _env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}", "media")
    env["PORTAL_BACKUP_PASSPHRASE"] = ""
    result = _manage(env, "backup", "--dir", str(tmp_path), check=False)
    assert result.returncode != 0
    assert "PORTAL_BACKUP_PASSPHRASE is not set" in result.stderr
    assert list(tmp_path.glob("laichau-*")) == []


def test_retention_deletes_old_archives_but_never_the_newest(tmp_path: Path, settings) -> None:
    from gov.backup import prune

    settings.PORTAL_BACKUP_KEEP_DAYS = 30
    now = dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.UTC)
    names = ["20261001T020000Z", "20261102T020000Z", "20261110T020000Z", "20261202T020000Z"]
    for stamp in names:
        (tmp_path / f"laichau-{stamp}.tar.gpg").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("kept")
    removed = prune(tmp_path, now)
    assert sorted(p.name for p in removed) == [
        "laichau-20261001T020000Z.tar.gpg",
        "laichau-20261102T020000Z.tar.gpg",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "laichau-20261110T020000Z.tar.gpg",
        "laichau-20261202T020000Z.tar.gpg",
        "notes.txt",
    ]
    # Even when everything is old, the newest archive stays.
    assert [p.name for p in prune(tmp_path, now + dt.timedelta(days=400))] == [
        "laichau-20261110T020000Z.tar.gpg"
    ]
