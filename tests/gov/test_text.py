"""Folding Vietnamese text for search and comparison."""

from __future__ import annotations

import unicodedata

import pytest

from gov.text import fold_diacritics, word_set

VIETNAMESE = "aàáảãạăằắẳẵặâầấẩẫậ eèéẻẽẹêềếểễệ iìíỉĩị oòóỏõọôồốổỗộơờớởỡợ uùúủũụưừứửữự yỳýỷỹỵ đ"


def _one_by_one(text: str) -> str:
    """The definition: decompose, drop every combining character, lower-case."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def test_vietnamese_letters_fold_to_their_base_letters() -> None:
    assert fold_diacritics(VIETNAMESE) == (
        "aaaaaaaaaaaaaaaaaa eeeeeeeeeeee iiiiii oooooooooooooooooo uuuuuuuuuuuu yyyyyy d"
    )
    assert fold_diacritics(VIETNAMESE.upper()) == fold_diacritics(VIETNAMESE)
    assert fold_diacritics("Đất đai ở Mường Kim") == "dat dai o muong kim"


@pytest.mark.parametrize(
    "text",
    [
        "Tranh chấp đất nương, bản Nà Phát",
        "“Đất” – 5 m² № 3 ½",  # punctuation and signs outside ASCII are kept
        "漢字 café ñandú",
        "a\u034fb",  # the grapheme joiner is no combining mark: kept
        "e\u0301\u20d7",  # a combining mark outside U+0300–U+036F: dropped
        "",
    ],
)
def test_folding_drops_exactly_the_combining_characters(text: str) -> None:
    assert fold_diacritics(text) == _one_by_one(text)


def test_words_are_compared_without_diacritics() -> None:
    assert word_set("Tranh chấp ĐẤT nương") == word_set("tranh chap dat nuong")
