"""Near-duplicate sentences across sources in near-linear time: MinHash LSH blocking, exact check inside blocks.

Each sentence becomes the set of its character 3-grams, minus boilerplate 3-grams (those found in
a large share of the documents, counted in `Blocking.capped`). A MinHash signature of
`bands * rows` values estimates the Jaccard similarity of two sets; two sentences whose values
agree on every row of one band land in one bucket (the candidate block). Inside a bucket each
sentence is checked exactly (rapidfuzz ratio) against the bucket's leaders (the first member of
each of its first few groups), so the work is linear in the sentences whatever the size of a block.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

from .options import DEFAULT

__all__ = ["Blocking", "similar_pairs", "signatures"]

_SEED = 20240607


@dataclass
class Blocking:
    """What the blocking did: sentences, buckets checked, exact comparisons, boilerplate shingles dropped."""

    sentences: int = 0
    buckets: int = 0
    compared: int = 0
    capped: int = 0  # distinct 3-grams dropped as boilerplate (found in more than boilerplate_share of documents)


def _trigrams(texts: Sequence[str]):
    """Return (hash of each 3-gram, index of its sentence) over all texts (numpy arrays)."""
    import numpy as np

    codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    owner = np.repeat(np.arange(len(texts)), lengths)
    if len(codes) < 3:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    grams = codes[:-2] * np.uint64(0x9E3779B97F4A7C15) ^ codes[1:-1] * np.uint64(0xC2B2AE3D27D4EB4F) ^ codes[2:]
    inside = owner[:-2] == owner[2:]
    return grams[inside], owner[:-2][inside]


def _boilerplate(grams, owner, sources, share: float):
    """Return a mask of the 3-grams found in more than share of the sources (at least 10 sources), and their count."""
    import numpy as np

    source_of = np.asarray(sources, dtype=np.int64)[owner]
    count = len(set(sources))
    if count < 10 or not len(grams) or share >= 1:
        return np.zeros(len(grams), bool), 0
    order = np.lexsort((source_of, grams))
    g, s = grams[order], source_of[order]
    first = np.r_[True, (g[1:] != g[:-1]) | (s[1:] != s[:-1])]
    values, spread = np.unique(g[first], return_counts=True)
    common = values[spread > share * count]
    return np.isin(grams, common), len(common)


def signatures(texts: Sequence[str], sources: Sequence[int], share: float, size: int):
    """Return the MinHash signatures (sentences x size, uint64) and the number of boilerplate 3-grams dropped."""
    import numpy as np

    grams, owner = _trigrams(texts)
    drop, capped = _boilerplate(grams, owner, sources, share)
    kept = np.bincount(owner[~drop], minlength=len(texts))
    drop &= kept[owner] > 0  # a sentence made only of boilerplate keeps its 3-grams
    grams, owner = grams[~drop], owner[~drop]
    order = np.argsort(owner, kind="stable")
    grams, owner = grams[order], owner[order]
    rng = np.random.default_rng(_SEED)
    a, b = rng.integers(1, 1 << 61, size, dtype=np.uint64), rng.integers(0, 1 << 61, size, dtype=np.uint64)
    out = np.full((len(texts), size), np.iinfo(np.uint64).max, dtype=np.uint64)
    present = np.unique(owner)
    starts = np.searchsorted(owner, present)
    for k in range(size):
        out[present, k] = np.minimum.reduceat(grams * a[k] + b[k], starts) if len(grams) else 0
    return out, capped


def _buckets(signature, bands: int, rows: int) -> Iterator:
    """Yield the member indices of every bucket of two or more sentences, band by band."""
    import numpy as np

    for band in range(bands):
        part = signature[:, band * rows:(band + 1) * rows]
        key = part[:, 0].copy()
        for column in range(1, rows):
            key = key * np.uint64(0x100000001B3) ^ part[:, column]
        order = np.argsort(key, kind="stable")
        edges = np.flatnonzero(np.diff(key[order])) + 1
        starts, ends = np.r_[0, edges], np.r_[edges, len(key)]
        shared = np.flatnonzero(ends - starts > 1)
        for start, end in zip(starts[shared].tolist(), ends[shared].tolist()):
            yield order[start:end].tolist()


def similar_pairs(texts: Sequence[str], groups: Sequence[int], sources: Sequence[int], joined, stats: Blocking) -> Iterator[tuple[int, int]]:
    """Yield pairs (i, j) of texts of different groups with character similarity >= template_similarity.

    joined(i, j) tells whether i and j are already in one cluster (then they are not compared again).
    sources: the document of each text (boilerplate share is over documents).
    """
    from rapidfuzz.fuzz import ratio

    options = DEFAULT.repeats
    stats.sentences = len(texts)
    if len(texts) < 2:
        return
    signature, stats.capped = signatures(texts, sources, options.boilerplate_share, options.lsh_bands * options.lsh_rows)
    floor = options.template_similarity * 100
    for members in _buckets(signature, options.lsh_bands, options.lsh_rows):
        if len({groups[m] for m in members}) < 2:
            continue
        stats.buckets += 1
        leaders: dict[int, int] = {}  # group -> its leader: one per group, so leaders of other groups are not crowded out
        for m in members:
            hit = _match(m, leaders, texts, groups, joined, (ratio, floor), stats)
            if hit is not None and hit >= 0:
                yield hit, m
            if groups[m] not in leaders and len(leaders) < options.block_leaders:
                leaders[groups[m]] = m


def _match(m: int, leaders: dict, texts, groups, joined, check: tuple, stats: Blocking):
    """Return the leader of another group m matches, -1 when m is already with one, None when it matches none.

    check: (similarity function, floor).
    """
    ratio, floor = check
    for group, leader in leaders.items():
        if group == groups[m]:
            continue
        if joined(leader, m):
            return -1
        stats.compared += 1
        if ratio(texts[leader], texts[m]) >= floor:
            return leader
    return None
