"""Vectorised matching of short texts by distinctive terms (TF-IDF over char n-grams)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .features import features, idf_weights

__all__ = ["TermIndex", "build_index"]

_NAME_BOOST = 2.0  # quoted brand names and document titles are the strongest keys


@dataclass(frozen=True)
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

    def shared_terms(self, query: int, candidate: int, top: int = 8) -> list[str]:
        """Return the heaviest terms a query shares with a candidate."""
        q = self.queries.getrow(query)
        c = set(self.candidates.getrow(candidate).indices)
        pairs = sorted(((w, self.vocabulary[i]) for i, w in zip(q.indices, q.data) if i in c), reverse=True)
        return [term for _, term in pairs[:top]]


def build_index(queries: Sequence[str], candidates: Sequence[str]) -> TermIndex:
    """Vectorise queries and candidates with idf from the candidates and the background corpus."""
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize

    vectorizer = CountVectorizer(analyzer=features, lowercase=False)
    counts = vectorizer.fit_transform(list(queries) + list(candidates)).tocsr().astype(float)
    vocabulary = tuple(vectorizer.get_feature_names_out())
    q_counts, c_counts = counts[: len(queries)], counts[len(queries) :]
    local_df = (c_counts > 0).sum(axis=0).A1
    idf = idf_weights(list(vocabulary), local_df, len(candidates))
    boost = np.array([_NAME_BOOST if v.startswith("Q:") else 1.0 for v in vocabulary])
    weighted = _log_tf(q_counts).multiply(idf * boost).tocsr()
    binary = (c_counts > 0).astype(float)
    return TermIndex(
        queries=normalize(weighted, norm="l1"), query_unit=normalize(weighted),
        candidates=binary.tocsr(), candidate_unit=normalize(_log_tf(c_counts).multiply(idf * boost).tocsr()),
        vocabulary=vocabulary, idf=idf,
    )


def _log_tf(matrix):
    """Return sublinear term frequencies (1 + log tf) of a sparse count matrix."""
    out = matrix.copy()
    out.data = 1 + __import__("numpy").log(out.data)
    return out
