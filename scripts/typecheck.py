#!/usr/bin/env python3
"""The type check: mypy (configured in pyproject.toml) against ``mypy-baseline.txt``.

    scripts/typecheck.py            the whole tree (``make typecheck``, part of ``make test``):
                                    fails on an error that is not in the baseline, and on a
                                    baseline entry that mypy no longer reports
    scripts/typecheck.py --shrink   rewrites the baseline without the entries that are gone
                                    (``make typecheck-shrink``); refuses while there is an
                                    error that is not in it: the baseline only shrinks
    scripts/typecheck.py FILE...    only the errors in these files (the pre-commit hook):
                                    fails on one that is not in the baseline

The comparison is mypy-baseline's: an entry is a file, a message and an error code, without
the line number, so code moving inside a file keeps its entries. Run it with the virtualenv's
Python (``.venv/bin/python scripts/typecheck.py``): mypy and mypy-baseline come from there.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"


def run_mypy(paths: list[str]) -> str | None:
    """mypy's report, or None (after printing why) when mypy itself failed."""
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-pretty", "--no-color-output", *paths],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    # 0: no error, 1: errors found; anything else is mypy failing to run.
    if done.returncode > 1:
        sys.stdout.write(done.stdout)
        sys.stderr.write(done.stderr)
        print(f"mypy did not run to the end (exit {done.returncode})", file=sys.stderr)
        return None
    return done.stdout


def baseline(command: str, report: str, *options: str) -> tuple[int, str]:
    """mypy-baseline's exit status and what it printed."""
    if not sys.stdout.isatty():
        options = (*options, "--no-colors")
    done = subprocess.run(
        [sys.executable, "-m", "mypy_baseline", command, *options],
        cwd=ROOT,
        input=report,
        capture_output=True,
        text=True,
    )
    return done.returncode, done.stdout + done.stderr


def entries(path: Path = BASELINE) -> list[str]:
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf8").splitlines() if line]


def gone_entries(report: str) -> list[str]:
    """The baseline's entries that mypy no longer reports (mypy-baseline counts, not lists, them)."""
    with tempfile.TemporaryDirectory() as scratch:
        now = Path(scratch) / "now.txt"
        baseline("sync", report, "--baseline-path", str(now))
        return sorted((Counter(entries()) - Counter(entries(now))).elements())


def tree_report(then: str) -> str | int:
    """mypy's report on the whole tree, or the exit status when it has errors not in the
    baseline (``then`` says what to do about them) or did not run."""
    report = run_mypy([])
    if report is None:
        return 2
    new, said = baseline("filter", report, "--allow-unsynced", "--hide-stats")
    if new:
        print(said, end="")
        print(f"\nmypy: {new} error(s) above are not in {BASELINE.name}: fix them {then}.")
        return 1
    return report


def check_tree() -> int:
    report = tree_report("(the baseline takes no new entry)")
    if isinstance(report, int):
        return report
    gone = gone_entries(report)
    if gone:
        print("\n".join(gone))
        print(
            f"\nmypy: these {len(gone)} entries of {BASELINE.name} are gone. Well done: run "
            "`make typecheck-shrink` and commit the smaller baseline."
        )
        return 1
    print(f"mypy: nothing new ({len(entries())} entries in {BASELINE.name})")
    return 0


def shrink() -> int:
    report = tree_report("first (the baseline only shrinks)")
    if isinstance(report, int):
        return report
    before = len(entries())
    status, _ = baseline("sync", report)
    print(f"{BASELINE.name}: {before} -> {len(entries())} entries")
    return status


def check_files(paths: list[str]) -> int:
    wanted = {Path(p).as_posix() for p in paths if p.endswith((".py", ".pyi"))}
    if not wanted:
        return 0
    report = run_mypy(sorted(wanted))
    if report is None:
        return 2
    # mypy also reports the modules these import: keep the files asked about.
    kept = [line for line in report.splitlines(keepends=True) if line.split(":", 1)[0] in wanted]
    status, said = baseline("filter", "".join(kept), "--allow-unsynced", "--hide-stats")
    if status != 0:
        print(said, "\nmypy: the errors above are not in mypy-baseline.txt: fix them.", sep="")
    return status


def main(argv: list[str]) -> int:
    if not argv:
        return check_tree()
    if argv == ["--shrink"]:
        return shrink()
    if argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    return check_files(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
