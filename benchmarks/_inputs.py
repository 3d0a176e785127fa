"""Generate large report-like inputs for the benchmarks (seed text repeated with varied numbers)."""
from __future__ import annotations

import re
from pathlib import Path

__all__ = ["ROOT", "SEED", "NATIONAL", "big_text", "planted_copy", "write_inputs", "national_text", "figure_changes", "national_pair"]

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures" / "seeds" / "changning_2024_fazhi_report_pdftext.txt"
_NUMBER = re.compile(r"\d+")


def big_text(size: int, seed: Path = SEED) -> str:
    """Return about `size` bytes of UTF-8 report text: the seed repeated, its numbers varied per copy."""
    text = seed.read_text(encoding="utf-8")
    copies, total, i = [], 0, 0
    while total < size:
        copy = _NUMBER.sub(lambda m, i=i: str(int(m.group(0)) + i), text)
        copies.append(f"第{i + 1}部分 汇编\n{copy}")
        total += len(copies[-1].encode("utf-8")) + 1
        i += 1
    return "\n".join(copies)


def planted_copy(text: str, edits: int = 10) -> str:
    """Return the text with `edits` small word changes spread evenly through it."""
    step = max(len(text) // (edits + 1), 1)
    parts, last = [], 0
    for k in range(1, edits + 1):
        at = text.find("推进", k * step)
        if at < 0:
            break
        parts += [text[last:at], "深化"]
        last = at + 2
    return "".join(parts) + text[last:]


def write_inputs(folder: Path, megabytes: int) -> tuple[Path, Path]:
    """Write a big input and its planted-edit copy; return both paths."""
    text = big_text(megabytes * 1024 * 1024)
    old, new = folder / f"big_{megabytes}mb.txt", folder / f"big_{megabytes}mb_edited.txt"
    old.write_text(text, encoding="utf-8")
    new.write_text(planted_copy(text), encoding="utf-8")
    return old, new


NATIONAL = sorted([*ROOT.glob("fixtures/corpus/guowuyuan_*.txt"), *ROOT.glob("fixtures/corpus-extra/guowuyuan_*.txt")])
_BODY_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff,，、])\d+(?:\.\d+)?(?=[\u4e00-\u9fff%])")


def national_text() -> str:
    """Return every national government work report of the fixtures, oldest first, in one text."""
    return "\n".join(path.read_text(encoding="utf-8") for path in NATIONAL)


def figure_changes(text: str, count: int = 50, seed: int = 11, spacing: int = 400) -> list[tuple[int, str, str]]:
    """Pick `count` figures inside sentences at seeded random places; return (offset, old, new) in text order.

    Each figure gets its last digit changed (same length, so no new token boundary), and
    chosen figures stand at least `spacing` characters apart so each is its own drift.
    """
    import random

    candidates = [m for m in _BODY_NUMBER.finditer(text)]
    chosen: list[re.Match] = []
    for match in random.Random(seed).sample(candidates, len(candidates)):
        if all(abs(match.start() - other.start()) >= spacing for other in chosen):
            chosen.append(match)
        if len(chosen) == count:
            break
    changes = []
    for match in sorted(chosen, key=lambda m: m.start()):
        old = match.group(0)
        new = old[:-1] + str((int(old[-1]) + 1) % 10)
        changes.append((match.start(), old, new))
    return changes


def national_pair(count: int = 50, seed: int = 11) -> tuple[str, str, list[tuple[int, str, str]]]:
    """Return (old, new, changes): all national reports and a copy with `count` figures changed."""
    old = national_text()
    changes = figure_changes(old, count, seed)
    parts, last = [], 0
    for offset, before, after in changes:
        parts += [old[last:offset], after]
        last = offset + len(before)
    return old, "".join(parts) + old[last:], changes
