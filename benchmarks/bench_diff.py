"""Benchmark `comparer diff`: C++ diff-match-patch against the pure-Python build on a large pair.

Run from the repository root:

    python benchmarks/bench_diff.py [--copies 30] [--edits 50] [--repeat 3] [--pure-repeat 3]

OLD is the body of the 2024 Changning web text repeated --copies times (each copy's first
heading carries its copy number); NEW is OLD with --edits planted edits (figure changes,
sentence deletions, insertions, word swaps) spread evenly over the document. Both engines run
in the same process on the same parsed reports (so the same token streams). Prints the time of
the whole diff (diff_reports) and of the engine step alone (diff_tokens) for each engine, the
ratios, and whether every planted edit was found at its original line. Exits 1 when an edit is
missed or the engines disagree.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from comparer.diff import diff_reports  # noqa: E402
from comparer.engine import _fast, _pure, diff_tokens, encode_tokens  # noqa: E402
from comparer.ingest import read_document  # noqa: E402
from comparer.models import Drift, Report  # noqa: E402
from comparer.normalize import fold  # noqa: E402
from comparer.sections import parse_report  # noqa: E402
from comparer.stream import build_stream  # noqa: E402
from comparer.tokens import tokenize  # noqa: E402

WEB_TEXT = ROOT / "fixtures" / "seeds" / "changning_2024_fazhi_report_webtext.txt"
FAST, PURE = "fast-diff-match-patch", "diff-match-patch"
KINDS = ("figure", "delete", "insert", "swap")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.．、])")


@dataclass(frozen=True)
class Edit:
    """One planted edit: where it is in OLD and NEW (1-based lines) and what changed."""

    kind: str  # figure | delete | insert | swap
    old_line: int
    new_line: int
    old_text: str  # the old fragment (number, sentence or word); "" for an insert
    new_text: str  # the new fragment; "" for a delete


def build_old(copies: int) -> tuple[object, list[str]]:
    """Return the raw web document and the lines of OLD: the web body repeated `copies` times."""
    raw = read_document(WEB_TEXT)
    lines = raw.text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() and "\xa0" not in line)
    body = [line for line in lines[start:] if line.strip() != ""]
    first_heading = next(i for i, line in enumerate(body) if re.match(r"^[一二三四五六七八九十]+、", line))
    out = lines[:start]  # the blanked web header keeps its line count
    for copy in range(1, copies + 1):
        for i, line in enumerate(body):
            out += [f"{line}(第{copy}份)" if i == first_heading else line, ""]
    return raw, out


def _candidates(lines: list[str]) -> list[tuple[int, int, str]]:
    """Return (line index, start, sentence) of every editable body sentence in OLD."""
    found = []
    for i, line in enumerate(lines):
        heading = _HEADING.match(line)
        for m in re.finditer(r"[^。]+。", line):
            if heading and m.start() == 0:
                continue  # keep heading titles intact
            if len(m.group(0)) > 10:
                found.append((i, m.start(), m.group(0)))
    return found


def plant_edits(lines: list[str], count: int) -> tuple[list[str], list[Edit]]:
    """Return NEW's lines and the planted edits, one per paragraph, evenly spread over OLD."""
    candidates = _candidates(lines)
    by_line: dict[int, list[tuple[int, str]]] = {}
    for i, start, sentence in candidates:
        by_line.setdefault(i, []).append((start, sentence))
    edit_lines = sorted(by_line)
    with_number = [i for i in edit_lines if any(re.search(r"\d", t) for _, t in by_line[i])]
    step = len(edit_lines) / count
    new = list(lines)
    edits = []
    taken: set[int] = set()
    for k in range(count):
        kind = KINDS[k % len(KINDS)]
        target = edit_lines[int(k * step + step / 2)]
        pool = with_number if kind == "figure" else edit_lines
        i = min((j for j in pool if j not in taken), key=lambda j: (abs(j - target), j))
        taken.add(i)
        sentences = by_line[i]
        if kind == "figure":
            sentences = [(s, t) for s, t in sentences if re.search(r"\d", t)]
        start, sentence = sentences[len(sentences) // 2]
        text = lines[i]
        end = start + len(sentence)
        if kind == "figure":
            number = re.search(r"\d+", sentence)
            value = str(int(number.group(0)) + 3 + k)
            a0, a1 = start + number.start(), start + number.end()
            new[i] = text[:a0] + value + text[a1:]
            edits.append(Edit(kind, i + 1, i + 1, number.group(0), value))
        elif kind == "delete":
            new[i] = text[:start] + text[end:]
            edits.append(Edit(kind, i + 1, i + 1, sentence, ""))
        elif kind == "insert":
            inserted = f"本轮新增核查要求第{k + 1}项须落实到位。"
            new[i] = text[:end] + inserted + text[end:]
            edits.append(Edit(kind, i + 1, i + 1, "", inserted))
        else:
            word = re.search(r"[\u4e00-\u9fff]{2}", sentence[2:])
            a0 = start + 2 + word.start()
            swapped = "甲乙"
            new[i] = text[:a0] + swapped + text[a0 + 2 :]
            edits.append(Edit(kind, i + 1, i + 1, word.group(0), swapped))
    return new, edits


def _canon(text: str) -> str:
    """Return text as the diff reports it (folded, no spaces)."""
    return re.sub(r"\s+", "", fold(text))


def _matches(edit: Edit, drift: Drift) -> bool:
    """Return True when a drift reports this planted edit at its original line with its text.

    A deleted or inserted sentence may be reported rotated by a token or two (the diff is
    free to slide a gap along text that repeats on both sides), hence the doubled fragment.
    """
    if drift.old_line != edit.old_line or drift.new_line != edit.new_line:
        return False
    if edit.kind == "figure":
        return drift.kind == "figure" and edit.old_text in (drift.old_value or "") and edit.new_text in (drift.new_value or "")
    if edit.kind == "delete":
        old = _canon(edit.old_text)
        return drift.kind == "removed" and len(drift.old_text) == len(old) and drift.old_text in old + old
    if edit.kind == "insert":
        new = _canon(edit.new_text)
        return drift.kind == "added" and len(drift.new_text) == len(new) and drift.new_text in new + new
    return drift.kind == "changed" and edit.old_text in drift.old_text and edit.new_text in drift.new_text


def best_of(repeat: int, fn) -> tuple[float, object]:
    """Return the best wall time of `repeat` runs of fn() and the last result."""
    best, result = float("inf"), None
    for _ in range(max(repeat, 1)):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=30)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the fast engine (best is kept)")
    parser.add_argument("--pure-repeat", type=int, default=3, help="runs of the pure-Python engine")
    args = parser.parse_args(argv)

    raw, old_lines = build_old(args.copies)
    new_lines, edits = plant_edits(old_lines, args.edits)
    old_text, new_text = "\n".join(old_lines), "\n".join(new_lines)
    old: Report = parse_report(replace(raw, text=old_text))
    new: Report = parse_report(replace(raw, text=new_text))
    old_words = [t for t, _ in tokenize(build_stream(old).text)]
    new_words = [t for t, _ in tokenize(build_stream(new).text)]
    print(f"input: OLD {len(old_text):,} chars / {len(old_text.encode()):,} bytes, "
          f"NEW {len(new_text):,} chars; {args.copies} copies, {len(edits)} planted edits "
          f"({', '.join(f'{k} {sum(e.kind == k for e in edits)}' for k in KINDS)})")
    print(f"tokens: OLD {len(old_words):,}, NEW {len(new_words):,}")

    t_fast_engine, fast_ops = best_of(args.repeat, lambda: diff_tokens(old_words, new_words, FAST))
    t_pure_engine, pure_ops = best_of(args.pure_repeat, lambda: diff_tokens(old_words, new_words, PURE))
    print(f"engine step (diff_tokens): fast {t_fast_engine:.3f} s, pure {t_pure_engine:.3f} s, "
          f"ratio {t_pure_engine / t_fast_engine:.1f}x; same ops: {fast_ops == pure_ops}")

    a, b = encode_tokens(old_words, new_words)
    t_fast_core, _ = best_of(args.repeat, lambda: _fast(a, b))
    t_pure_core, _ = best_of(args.pure_repeat, lambda: _pure(a, b))
    core_ratio = t_pure_core / t_fast_core
    print(f"dmp call alone (tokens already encoded): fast {t_fast_core * 1000:.1f} ms, "
          f"pure {t_pure_core * 1000:.1f} ms, ratio {core_ratio:.1f}x "
          f"(target >= 20x){'' if core_ratio >= 20 else '  BELOW TARGET'}")

    t_fast, fast = best_of(args.repeat, lambda: diff_reports(old, new, FAST))
    t_pure, pure = best_of(args.pure_repeat, lambda: diff_reports(old, new, PURE))
    ratio = t_pure / t_fast
    print(f"whole diff (diff_reports): fast {t_fast:.3f} s, pure {t_pure:.3f} s, "
          f"ratio {ratio:.1f}x (shared work: tokenising, sections, alignment dominate both)")

    same = fast.drifts == pure.drifts
    print(f"drifts: fast {len(fast.drifts)}, pure {len(pure.drifts)}; engines agree: {same}")
    missed = [e for e in edits if not any(_matches(e, d) for d in fast.drifts)]
    found = len(edits) - len(missed)
    extra = [d for d in fast.drifts if not any(_matches(e, d) for e in edits)]
    print(f"planted edits found: {found}/{len(edits)}; drifts not matching an edit: {len(extra)}")
    for e in missed:
        print(f"  MISSED {e.kind} at line {e.old_line}: {e.old_text!r} -> {e.new_text!r}")
        near = [d for d in fast.drifts if abs((d.old_line or 0) - e.old_line) <= 2]
        for d in near:
            print(f"    nearby drift {d.kind} old {d.old_line} new {d.new_line}: {d.old_text!r} -> {d.new_text!r}")
    for d in extra[:10]:
        print(f"  EXTRA {d.kind} old {d.old_line} new {d.new_line}: {d.old_text!r} -> {d.new_text!r}")
    return 0 if not missed and same else 1


if __name__ == "__main__":
    sys.exit(main())
