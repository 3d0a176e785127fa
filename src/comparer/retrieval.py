"""Vectorised matching of short texts by distinctive terms (TF-IDF over char n-grams)."""
from __future__ import annotations

from typing import Sequence

from .features import features, idf_weights
from .record import record

__all__ = ["TermIndex", "build_index"]

_NAME_BOOST = 2.0  # quoted brand names and document titles are the strongest keys


@record
class TermIndex:
    """Weighted query vectors and binary candidate vectors over one vocabulary."""

    queries: object  # sparse (n_queries x n_features), rows sum to 1 (idf mass)
    query_unit: object  # sparse, rows L2-normalised
    candidates: object  # sparse binary (n_candidates x n_features)
    candidate_unit: object  # sparse, rows L2-normalised
    vocabulary: tuple
    idf: object

    def coverage(self):
        """Return the share of each query's term weight found in each candidate (dense matrix)."""
        return (self.queries @ self.candidates.T).toarray()

    def cosine(self):
        """Return cosine similarity of queries and candidates (dense matrix)."""
        return (self.query_unit @ self.candidate_unit.T).toarray()

def build_index(queries: Sequence[str], candidates: Sequence[str]) -> TermIndex:
    """Vectorise queries and candidates with idf from the candidates and the background corpus."""
    import numpy as np

    counts, vocabulary = _count_matrix(list(queries) + list(candidates))
    q_counts, c_counts = counts[: len(queries)], counts[len(queries) :]
    local_df = np.bincount(c_counts.indices, minlength=len(vocabulary))
    idf = idf_weights(vocabulary, local_df, len(candidates))
    boost = np.ones(len(vocabulary))
    boost[[i for i, feature in enumerate(vocabulary) if feature.startswith("Q:")]] = _NAME_BOOST
    weighted = _log_tf(q_counts).multiply(idf * boost).tocsr()
    binary = c_counts.copy()
    binary.data[:] = 1.0
    return TermIndex(
        queries=_row_normalized(weighted, "l1"), query_unit=_row_normalized(weighted),
        candidates=binary, candidate_unit=_row_normalized(_log_tf(c_counts).multiply(idf * boost).tocsr()),
        vocabulary=tuple(vocabulary), idf=idf,
    )


def _count_matrix(texts: list[str]):
    """Return a CSR matrix of feature counts per text and its vocabulary (no Python loop per feature)."""
    from itertools import chain, count

    import numpy as np
    from scipy.sparse import csr_matrix

    per_text = [features(text) for text in texts]
    flat = list(chain.from_iterable(per_text))
    ids: dict[str, int] = {}
    # setdefault with a running counter gives each feature the position of its first
    # occurrence, at C speed; insertion order of ids is then the vocabulary order.
    raw = np.fromiter(map(ids.setdefault, flat, count()), dtype=np.int64, count=len(flat))
    dense = np.empty(len(flat) or 1, dtype=np.int64)
    dense[np.fromiter(ids.values(), dtype=np.int64, count=len(ids))] = np.arange(len(ids))
    rows = np.repeat(np.arange(len(texts)), [len(f) for f in per_text])
    matrix = csr_matrix((np.ones(len(flat)), (rows, dense[raw])), shape=(len(texts), len(ids)))
    matrix.sum_duplicates()
    return matrix, list(ids)


def _row_normalized(matrix, norm: str = "l2"):
    """Return a CSR matrix with each row scaled to unit L1 or L2 norm (empty rows stay empty)."""
    import numpy as np
    from scipy.sparse import diags

    values = abs(matrix) if norm == "l1" else matrix.multiply(matrix)
    sums = np.asarray(values.sum(axis=1)).ravel()
    sums = sums if norm == "l1" else np.sqrt(sums)
    scale = np.divide(1.0, sums, out=np.zeros_like(sums, dtype=float), where=sums > 0)
    return (diags(scale) @ matrix).tocsr()


def _log_tf(matrix):
    """Return sublinear term frequencies (1 + log tf) of a sparse count matrix."""
    out = matrix.copy()
    out.data = 1 + __import__("numpy").log(out.data)
    return out
