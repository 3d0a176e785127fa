"""Write N synthetic district work reports built from the real ones in fixtures/corpus*.

    python benchmarks/gen_synthetic.py OUT_DIR --n 1000 [--seed 7] [--swap 0.15] [--mix 0.5]

Each synthetic region is a real county-level division of src/comparer/data/divisions.tsv.gz
(never one of the source districts) that takes over one real district's series of yearly work
reports (深圳 罗湖, 龙岗, 龙华, 盐田, 光明): the district and its city are renamed, every year is
shifted by the region's offset (0 to -4, so plan -> next year's report chains stay intact),
`--swap` of the body sentences are replaced by a sentence of another real report, `--mix` of the
body sentences have half their clauses replaced by clauses of other reports (so a sentence is
no longer template text of its source), and figures that are not years are perturbed (last digit
changed). No two outputs are copies of one report (different regions, different text), but
unchanged sentences are shared across regions as template text is in real corpora. Regions are
emitted one after another (a whole series each) until N files are written; deterministic in --seed.
"""
from __future__ import annotations

import argparse
import gzip
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (ROOT / "fixtures" / "corpus", ROOT / "fixtures" / "corpus-extra")
DIVISIONS = ROOT / "src" / "comparer" / "data" / "divisions.tsv.gz"
_SERIES = re.compile(r"shenzhen-(\w+?)_(\d{4})_gongzuobaogao(-\w+)?\.txt$")
_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]")
_CLAUSE = re.compile(r"[^，。！？；]+[，。！？；]?")
_YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-3]\d)(?=年|—|-|～|至|\))")
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d])")


def sources() -> tuple[dict, list[str]]:
    """Return the real district series {bare name: [(year, suffix, text)]} and every source sentence."""
    series: dict[str, list] = {}
    sentences: list[str] = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            sentences += [m.group(0) for m in _SENTENCE.finditer(text) if len(m.group(0)) >= 20]
            match = _SERIES.search(path.name)
            if match:
                series.setdefault(match.group(1), []).append((int(match.group(2)), match.group(3) or "", text))
    return {k: sorted(v, key=lambda t: (t[0], t[1])) for k, v in sorted(series.items())}, sentences


def divisions(exclude: set[str]) -> list[tuple[str, str, str, str]]:
    """Return real county-level divisions (name, bare name, city, pinyin) not among the source districts."""
    rows = []
    with gzip.open(DIVISIONS, "rt", encoding="utf-8") as table:
        next(table)
        for line in table:
            name, bare, level, city, _, pinyin, status = line.rstrip("\n").split("\t")[:7]
            if level == "county" and status == "current" and name.endswith("区") and bare and city and bare not in exclude:
                rows.append((name, bare, city, pinyin.split("|")[0]))
    return rows


_SOURCE_NAMES = {"luohu": ("罗湖区", "罗湖"), "longgang": ("龙岗区", "龙岗"), "longhua": ("龙华区", "龙华"),
                 "yantian": ("盐田区", "盐田"), "guangming": ("光明区", "光明")}


def rename(text: str, source: str, target: tuple) -> str:
    """Rename the source district and its city (深圳) to the target region."""
    full, bare = _SOURCE_NAMES[source]
    name, new_bare, city, _ = target
    text = text.replace(full, name).replace(bare, new_bare)
    return text.replace("深圳市", city).replace("深圳", city.removesuffix("市"))


def shift_years(text: str, offset: int) -> str:
    """Shift every year of the text by offset."""
    return _YEAR.sub(lambda m: str(int(m.group(1)) + offset), text) if offset else text


def perturb(sentence: str, rng: random.Random) -> str:
    """Change the last digit of most figures that are not years."""
    def change(match: re.Match) -> str:
        raw = match.group(0)
        if _YEAR.fullmatch(raw) or rng.random() < 0.3:
            return raw
        return raw[:-1] + str((int(raw[-1]) + rng.randint(1, 9)) % 10)

    return _NUMBER.sub(change, sentence)


def mix(sentence: str, pool: list[str], rng: random.Random) -> str:
    """Replace every other clause of a sentence by a clause of a random source sentence."""
    clauses = _CLAUSE.findall(sentence)
    for i in range(1 if len(clauses) > 1 else 0, len(clauses), 2):
        other = _CLAUSE.findall(rng.choice(pool))
        if other:
            clauses[i] = other[rng.randrange(len(other))].rstrip("，。！？；") + clauses[i][-1:]
    return "".join(clauses)


def rewrite(text: str, pool: list[str], rng: random.Random, swap: float, share: float) -> str:
    """Swap, mix and perturb the body sentences of a report (headings and the first lines stay)."""
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if n < 3 or len(line) < 40:
            continue
        lines[n] = _SENTENCE.sub(lambda m: _edit(m.group(0), pool, rng, swap, share), line)
    return "\n".join(lines)


def _edit(sentence: str, pool: list[str], rng: random.Random, swap: float, share: float) -> str:
    """Return one body sentence swapped, mixed or kept, with its figures perturbed."""
    draw = rng.random()
    if draw < swap:
        sentence = rng.choice(pool)
    elif draw < swap + share:
        sentence = mix(sentence, pool, rng)
    return perturb(sentence, rng)


def generate(out: Path, n: int, seed: int = 7, swap: float = 0.15, share: float = 0.5) -> list[Path]:
    """Write n synthetic reports into out (region after region); return their paths."""
    rng = random.Random(seed)
    series, pool = sources()
    names = sorted(series)
    targets = divisions({bare for _, bare in _SOURCE_NAMES.values()})
    rng.shuffle(targets)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for r, target in enumerate(targets):
        source, offset = names[r % len(names)], -(r % 5)
        for year, suffix, text in series[source]:
            if len(written) == n:
                return written
            body = rewrite(shift_years(rename(text, source, target), offset), pool, rng, swap, share)
            path = out / f"{target[3]}-{r:05d}_{year + offset}_gongzuobaogao{suffix}.txt"
            path.write_text(body, encoding="utf-8")
            written.append(path)
    raise SystemExit(f"only {len(written)} reports can be made (not enough divisions)")


def main() -> int:
    """Parse the arguments and write the reports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--swap", type=float, default=0.15, help="share of body sentences replaced by another report's")
    parser.add_argument("--mix", type=float, default=0.5, help="share of body sentences with half their clauses replaced")
    args = parser.parse_args()
    paths = generate(args.out, args.n, args.seed, args.swap, args.mix)
    print(f"wrote {len(paths)} reports ({sum(p.stat().st_size for p in paths) / 1e6:.1f} MB) into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
