"""Per-pair results kept in the store, read back part by part: the main process holds keys and counts, not rows.

A Part names one stored task result: where it is (a cache.Cache), its key, which element of it
(a link task returns (follow-up rows, target rows)), the fields to add to each row (a copy's
group), the row kind to keep (repeats: every region's recurring indicators come before the
carried-over commitments), and how many rows that gives.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Iterator, Optional

__all__ = ["Part", "Rows", "PerPart"]


@dataclass(frozen=True)
class Part:
    """One stored task result, or the rows of one kind in it."""

    source: Any  # cache.Cache
    key: str
    length: int
    pick: Optional[int] = None
    head: tuple = ()  # (field, value) pairs put first in each row
    kind: Optional[str] = None

    def rows(self) -> list[dict]:
        """Return the rows of this part, loaded from the store."""
        from ..errors import ComparerError

        value = self.source.load(self.key, tuple if self.pick is not None else list)
        if value is None:
            raise ComparerError(str(self.source.folder), f"the per-pair entry {self.key[:12]} is missing or damaged (changed during the run?)")
        rows = value[self.pick] if self.pick is not None else value
        if self.kind is not None:
            rows = [row for row in rows if row.get("kind") == self.kind]
        return [{**dict(self.head), **row} for row in rows] if self.head else list(rows)


class Rows(Sequence):
    """The rows of several parts, one after the other (a read-only sequence, loaded as it is iterated)."""

    def __init__(self, parts: Sequence[Part] = ()):
        self.parts = tuple(part for part in parts if part.length)

    def __len__(self) -> int:
        return sum(part.length for part in self.parts)

    def __iter__(self) -> Iterator[dict]:
        for part in self.parts:
            yield from part.rows()

    def __getitem__(self, index):
        return list(self)[index]


class PerPart(Sequence):
    """One tuple of rows per part (the follow-up rows of each link), loaded when read."""

    def __init__(self, parts: Sequence[Part] = ()):
        self.parts = tuple(parts)

    def __len__(self) -> int:
        return len(self.parts)

    def __iter__(self) -> Iterator[tuple]:
        for part in self.parts:
            yield tuple(part.rows()) if part.length else ()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [tuple(part.rows()) for part in self.parts[index]]
        return tuple(self.parts[index].rows()) if self.parts[index].length else ()
