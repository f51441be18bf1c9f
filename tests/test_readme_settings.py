"""Every variable of the environment the code reads is in README's settings table."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(r'(?:env(?:\.[a-z]+)?|environ\.get|getenv)\(\s*"([A-Z][A-Z0-9_]+)"')
# Read from a request's WSGI environ, not from the process's environment.
NOT_SETTINGS = {"HTTP_REFERER", "QUERY_STRING"}


def test_every_variable_the_code_reads_is_in_the_readme() -> None:
    sources = [*ROOT.glob("laichau_portal/**/*.py"), ROOT / "gunicorn.conf.py"]
    read = {name for path in sources for name in READ.findall(path.read_text())} - NOT_SETTINGS
    assert len(read) > 40  # the pattern still finds the settings
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in read if f"`{name}`" not in readme)
    assert missing == [], f"README.md's settings table lacks {missing}"
