"""Vietnamese text helpers."""

from __future__ import annotations

import re
import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "D"})


def fold_diacritics(text: str) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics, so that "Đất đai" == "dat dai".

    NFKD separates the tone and vowel marks, which are then dropped; "đ" has no decomposition
    and is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_D))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def ascii_slug(text: str) -> str:
    """ "Sìn Hồ" → "sin-ho": a URL- and code-safe slug."""
    return re.sub(r"[^a-z0-9]+", "-", fold_diacritics(text)).strip("-")
