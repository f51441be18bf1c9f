"""Every user-facing string has its Vietnamese translation, compiled."""

from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

needs_gettext = pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgattrib") is None,
    reason="GNU gettext tools are not installed (apt-get install gettext)",
)


@needs_gettext
def test_vietnamese_catalogue_covers_every_string_in_the_code(tmp_path: Path) -> None:
    """Extract the strings afresh and check that none is missing from the committed catalogue."""
    work = tmp_path / "src"
    shutil.copytree(
        ROOT,
        work,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            ".tools",
            "var",
            "artifacts",
            "tests",
            "*.sqlite3",
            "staticfiles",
            "media",
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "vi",
            "--no-obsolete",
            "--ignore=staticfiles",
        ],
        cwd=work,
        check=True,
        capture_output=True,
    )
    untranslated = subprocess.run(
        [
            "msgattrib",
            "--untranslated",
            "--no-obsolete",
            str(work / "locale/vi/LC_MESSAGES/django.po"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fuzzy = subprocess.run(
        [
            "msgattrib",
            "--only-fuzzy",
            "--no-obsolete",
            str(work / "locale/vi/LC_MESSAGES/django.po"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert untranslated.strip() == "", (
        f"Untranslated strings: run `make messages` and translate:\n{untranslated[:3000]}"
    )
    assert fuzzy.strip() == "", f"Fuzzy strings to review:\n{fuzzy[:3000]}"


@needs_gettext
def test_compiled_catalogue_matches_the_po_file(tmp_path: Path) -> None:
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(PO)], check=True)
    with fresh.open("rb") as a, MO.open("rb") as b:
        fresh_catalog = gettext.GNUTranslations(a)._catalog
        committed = gettext.GNUTranslations(b)._catalog
    assert fresh_catalog == committed, "django.mo is stale: run `make messages`"
