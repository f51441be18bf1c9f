"""The apps' layers (docs/architecture.md): each app imports only the apps below it.

``gov`` (accounts, units, agencies, calendar, scoping, audit) depends on nobody; the domain apps
stand on it in the order petitions → reception → accountability; the overview, personal data
and the reminders read the domain apps; ``demo`` (demo and bench data) imports them all and
nothing imports it. Read from the source with ``ast``, so a lazy import inside a function
counts as well.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# What each app may import besides itself. An import outside this table is a new dependency:
# change the table (and docs/architecture.md) only if the layering is meant to change.
ALLOWED: dict[str, set[str]] = {
    "gov": set(),
    "complaints": {"gov"},
    "reception": {"gov", "complaints"},
    "dialogues": {"gov", "complaints", "reception"},
    "dashboard": {"gov", "complaints", "reception", "dialogues"},
    "privacy": {"gov", "complaints", "reception", "dialogues"},
    "reminders": {"gov", "complaints", "reception", "dialogues", "dashboard", "privacy"},
    "demo": {"gov", "complaints", "reception", "dialogues"},
    "laichau_portal": {"gov"},
}


def imported_apps(app: str) -> dict[str, list[str]]:
    """The other apps ``app`` imports, each with the files that import it."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in ALLOWED and top != app:
                    found.setdefault(top, []).append(str(path.relative_to(ROOT)))
    return found


def test_every_app_is_in_the_table() -> None:
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")} | {"laichau_portal"}
    assert apps == set(ALLOWED)


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_app_imports_only_the_layers_below_it(app: str) -> None:
    outside = {
        other: files for other, files in imported_apps(app).items() if other not in ALLOWED[app]
    }
    assert outside == {}, f"{app} imports {outside}"


def test_the_table_has_no_cycle() -> None:
    seen: dict[str, int] = {}

    def depth(app: str, path: tuple[str, ...] = ()) -> int:
        assert app not in path, f"cycle: {' -> '.join((*path, app))}"
        if app not in seen:
            seen[app] = 1 + max((depth(d, (*path, app)) for d in ALLOWED[app]), default=0)
        return seen[app]

    for app in ALLOWED:
        depth(app)
