"""Per-pair result rows spooled to a file as they arrive: the main process keeps byte ranges and counts, not rows.

The spool is one append-only JSON-lines file in the run's temporary folder; each task result
(or each kind of rows in it) is a Part: where its lines are and how many. The tables, the summary
and report.html read the parts back in the order of the jobs, so the rows come out in the same
order whatever order the tasks finished in.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Iterator

from ..record import record

__all__ = ["Spool", "Part", "Rows", "PerPart"]


class Spool:
    """An append-only JSON-lines file of rows."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.size = 0
        self.path.touch()

    def add(self, rows: list) -> "Part":
        """Append rows (plain JSON dicts) and return the part that reads them back."""
        data = "".join(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n" for row in rows).encode("utf-8", "surrogatepass")
        with open(self.path, "ab") as spool:
            spool.write(data)
        part = Part(self, self.size, len(data), len(rows))
        self.size += len(data)
        return part

    def read(self, offset: int, size: int) -> list[dict]:
        """Return the rows stored in a byte range."""
        with open(self.path, "rb") as spool:
            spool.seek(offset)
            data = spool.read(size)
        return [json.loads(line) for line in data.decode("utf-8", "surrogatepass").splitlines()]


@record
class Part:
    """The rows of one task result (or of one kind in it) in the spool."""

    spool: Spool
    offset: int
    size: int
    length: int

    def rows(self) -> list[dict]:
        """Return the rows of this part."""
        return self.spool.read(self.offset, self.size) if self.length else []


class Rows(Sequence):
    """The rows of several parts, one after the other (a read-only sequence, read as it is iterated)."""

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
    """One tuple of rows per part (the follow-up rows of each link), read when used."""

    def __init__(self, parts: Sequence[Part] = ()):
        self.parts = tuple(parts)

    def __len__(self) -> int:
        return len(self.parts)

    def __iter__(self) -> Iterator[tuple]:
        for part in self.parts:
            yield tuple(part.rows())

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [tuple(part.rows()) for part in self.parts[index]]
        return tuple(self.parts[index].rows())
