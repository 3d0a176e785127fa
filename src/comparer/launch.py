"""The `comparer` program: start parsing big input files on a free core (warm.py), then run the command line."""
from __future__ import annotations

import sys

__all__ = ["main"]


def main() -> None:
    """Run the comparer command line."""
    from .warm import start

    start(sys.argv[1:])
    from .cli import main as run

    run()
