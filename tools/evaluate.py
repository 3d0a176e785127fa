"""Evaluate comparer against the hand-made labels (fixtures/labels, fixtures/cases/followup_*).

    python tools/evaluate.py            # every task
    python tools/evaluate.py identity   # one task: identity, roles, align, followup, targets

Each task prints accuracy per issuer and leave-one-issuer-out (rules or thresholds chosen
without that issuer's reports, then scored on them). Tests import the same functions and hold
floors; the README shows the tables.
"""
from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

TASKS = ("identity", "roles", "align", "followup", "targets")


def main(argv: list[str]) -> int:
    """Run the named tasks (all by default) and print their tables."""
    names = argv or list(TASKS)
    unknown = [n for n in names if n not in TASKS]
    if unknown:
        sys.stderr.write(f"evaluate: unknown task(s) {', '.join(unknown)}; choose from {', '.join(TASKS)}\n")
        return 2
    for name in names:
        module = import_module(f"evaluation.{name}")
        sys.stdout.write(module.report() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
