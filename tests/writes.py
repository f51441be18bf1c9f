"""The write services of an app, for the tests that check each one is in a matrix of who may
write what (tests/security/test_petition_actions.py, test_owning_agency_writes.py)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from types import ModuleType


def write_services(*modules: ModuleType) -> set[str]:
    """The public functions taking ``by`` defined in ``modules``; for a package, in each of
    its modules (what the package only re-exports is counted where it is defined)."""
    found: list[ModuleType] = []
    for module in modules:
        found.append(module)
        if hasattr(module, "__path__"):
            prefix = f"{module.__name__}."
            found += [
                importlib.import_module(m.name)
                for m in pkgutil.iter_modules(module.__path__, prefix)
            ]
    return {
        name
        for module in found
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if fn.__module__ == module.__name__
        and not name.startswith("_")
        and "by" in inspect.signature(fn).parameters
    }
