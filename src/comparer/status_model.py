"""A tiny multinomial logistic model that turns match features into a follow-up status and its confidence.

The coefficients are data (src/comparer/data/followup_model.json), fitted on the hand-labelled
pairs by tools/fit_followup.py; tools/evaluation/followup.py refits them without each issuer
in turn (leave-one-issuer-out) to measure accuracy on reports the model never saw.
"""
from __future__ import annotations

import json
from functools import lru_cache
from typing import Optional, Sequence

from .bundled import bundled_text
from .record import record

__all__ = ["StatusModel", "STATUSES", "FEATURES", "load_model", "fit_model"]

STATUSES = ("reported", "repeated", "shortfall", "missing")
FEATURES = (
    "results_best", "results_section", "plan_best", "plan_section", "shortcomings_best", "plan_over_results",
    "names_results", "names_plan", "length", "results_anchor", "results_shared", "plan_anchor", "plan_shared",
    "shortcomings_anchor", "shortcomings_shared", "results_rare", "plan_rare", "shortcomings_rare",
    "plan_verbatim", "results_verbatim",
    "results_subject", "results_subject_max", "results_subject_section", "plan_subject", "plan_subject_max", "plan_subject_section",
)


@record
class StatusModel:
    """Standardisation and weights of a multinomial logistic model over FEATURES."""

    features: tuple
    classes: tuple
    mean: tuple
    scale: tuple
    weights: tuple  # one row per feature plus the bias row; one column per class
    fitted_on: tuple = ()  # labelled pairs (issuers) it was fitted on
    accuracy: Optional[dict] = None  # {"leave_one_issuer_out", "pooled", "labelled", "issuers"} from tools/fit_followup.py

    def probabilities(self, rows):
        """Return class probabilities (n x classes) for feature rows (n x features)."""
        import numpy as np

        x = (np.asarray(rows, dtype=float).reshape(-1, len(self.features)) - np.asarray(self.mean)) / np.asarray(self.scale)
        logits = np.hstack([x, np.ones((len(x), 1))]) @ np.asarray(self.weights)
        logits -= logits.max(axis=1, keepdims=True)
        odds = np.exp(logits)
        return odds / odds.sum(axis=1, keepdims=True)

    def to_dict(self) -> dict:
        """Return the JSON form stored in the package."""
        return {"features": list(self.features), "classes": list(self.classes), "mean": list(self.mean),
                "scale": list(self.scale), "weights": [list(r) for r in self.weights], "fitted_on": list(self.fitted_on),
                "accuracy": self.accuracy}


@lru_cache(maxsize=4)
def load_model(name: str = "followup_model.json") -> StatusModel:
    """Return the model shipped in the package."""
    data = json.loads(bundled_text(name))
    return StatusModel(tuple(data["features"]), tuple(data["classes"]), tuple(data["mean"]), tuple(data["scale"]),
                       tuple(tuple(r) for r in data["weights"]), tuple(data.get("fitted_on", ())), data.get("accuracy"))


def fit_model(rows: Sequence, labels: Sequence[str], l2: float = 1.0, steps: int = 2000,
              fitted_on: Sequence[str] = ()) -> StatusModel:
    """Fit the model by gradient descent on the L2-penalised multinomial log-likelihood."""
    import numpy as np

    x = np.asarray(rows, dtype=float)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    target = np.eye(len(STATUSES))[[STATUSES.index(label) for label in labels]]
    weights = np.zeros((z.shape[1], len(STATUSES)))
    penalty = np.ones((z.shape[1], 1))
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(steps):
        logits = z @ weights
        odds = np.exp(logits - logits.max(axis=1, keepdims=True))
        gradient = z.T @ (odds / odds.sum(axis=1, keepdims=True) - target) / len(z) + l2 * penalty * weights / len(z)
        weights -= 0.5 * gradient
    return StatusModel(FEATURES, STATUSES, tuple(float(v) for v in np.round(mean, 6)), tuple(float(v) for v in np.round(scale, 6)),
                       tuple(tuple(float(v) for v in np.round(r, 6)) for r in weights), tuple(fitted_on))
