"""Build gov/data/common-passwords.txt.gz, the list of passwords the portal refuses
(``CommonPasswordValidator`` in settings): Django's own list, plus passwords common in Vietnam.

Django's list (django/contrib/auth/common-passwords.txt.gz, 20,000 passwords) is the one Django
took from Royce Williams' list of common passwords. The Vietnamese part is not a leak: it is the
words in common-passwords-vi.txt (Vietnamese phrases, names, places of Lai Châu, names of the
offices on this portal) with the endings people usually add (digits, years, "@", "!"), and the
all-digit runs people type. Run it again after changing common-passwords-vi.txt:

    .venv/bin/python gov/data/build_common_passwords.py
"""

from __future__ import annotations

import gzip
from pathlib import Path

import django

HERE = Path(__file__).resolve().parent
YEARS = [str(y) for y in range(1960, 2036)]
ENDINGS = [
    "", "1", "12", "123", "1234", "12345", "123456", "123456789", "111", "888", "999", "000",
    "@", "@@", "!", "!!", "#", "@123", "@1234", "@12345", "123@", "123!", "!@#", "@123456",
    ".", "..", "1@", "2@",
    *YEARS, *(f"@{y}" for y in YEARS), *(f"{y}@" for y in YEARS), *(f"{y}!" for y in YEARS),
    *(f".{y}" for y in YEARS), *(f"_{y}" for y in YEARS),
]  # fmt: skip
DIGIT_RUNS = [
    "123456789", "1234567890", "0123456789", "01234567890", "12345678910", "123456789012",
    "987654321", "9876543210", "147258369", "147258369147", "123123123", "123123123123",
    "111111111111", "000000000000", "123456123456", "112233445566", "0987654321",
]  # fmt: skip


def vietnamese() -> set[str]:
    words = [
        line.strip().casefold()
        for line in (HERE / "common-passwords-vi.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    result = set(DIGIT_RUNS)
    for word in words:
        for form in {word, word.replace(" ", "")}:
            result.update(form + ending for ending in ENDINGS)
    return result


def django_list() -> set[str]:
    path = Path(django.__file__).parent / "contrib" / "auth" / "common-passwords.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return {line.strip() for line in f if line.strip()}


def build() -> int:
    passwords = sorted(django_list() | vietnamese())
    data = ("\n".join(passwords) + "\n").encode()
    # mtime 0: the same list gives the same file.
    with (
        open(HERE / "common-passwords.txt.gz", "wb") as raw,
        gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as f,
    ):
        f.write(data)
    return len(passwords)


if __name__ == "__main__":
    print(f"{build()} passwords written to {HERE / 'common-passwords.txt.gz'}")
