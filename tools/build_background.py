"""Build src/comparer/data/background_df.tsv.gz: sentence document frequencies of features.

Run from the repository root: python tools/build_background.py [CORPUS_DIR ...]
Defaults to ../shared/corpus and fixtures/seeds. Features seen in fewer than 3 sentences are dropped.
"""
from __future__ import annotations

import gzip
import sys
from collections import Counter
from pathlib import Path

from comparer.patterns import split_sentences
from comparer.features import features
from comparer.ingest import read_document
from comparer.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]


def main(folders: list[str]) -> None:
    """Count in how many sentences each feature occurs, over every text file of the folders."""
    counts: Counter = Counter()
    sentences = 0
    for folder in folders:
        for path in sorted(Path(folder).glob("*.txt")):
            text = normalize(read_document(path).text).text
            for start, end in split_sentences(text):
                counts.update(set(features(text[start:end])))
                sentences += 1
    rows = [f"#sentences\t{sentences}"] + [f"{g}\t{n}" for g, n in sorted(counts.items()) if n >= 3]
    target = ROOT / "src" / "comparer" / "data" / "background_df.tsv.gz"
    target.write_bytes(gzip.compress("\n".join(rows).encode("utf-8"), mtime=0))
    print(f"{sentences} sentences, {len(rows) - 1} features -> {target}")


if __name__ == "__main__":
    main(sys.argv[1:] or [str(ROOT.parent / "shared" / "corpus"), str(ROOT / "fixtures" / "seeds")])
