"""Exceptions that the CLI turns into a one-line message and exit code 2."""
from __future__ import annotations

__all__ = ["ComparerError", "InputError", "OutputError"]


class ComparerError(Exception):
    """Base of every error comparer reports without a traceback."""

    def __init__(self, path: object, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __reduce__(self):
        """Pickle with both arguments (a parsing child sends its error to the parent, see parallel.py)."""
        return type(self), (self.path, self.problem)


class InputError(ComparerError):
    """An input file is missing, unreadable or not a usable document."""


class OutputError(ComparerError):
    """An output could not be written where asked."""
