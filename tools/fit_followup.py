"""Fit the follow-up status model on every labelled pair and write it into the package.

    python tools/fit_followup.py        # writes src/comparer/data/followup_model.json

The model is a multinomial logistic regression over comparer.status_model.FEATURES, fitted on
the features of the labelled plan texts (tools/evaluation/followup.py: training_rows). Its
accuracy on issuers it was not fitted on is measured by `python tools/evaluate.py followup`.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluation.common import ROOT  # noqa: E402
from evaluation.followup import training_rows  # noqa: E402

MODEL = ROOT / "src" / "comparer" / "data" / "followup_model.json"


def main() -> int:
    """Fit on all labelled pairs and write the model file."""
    from comparer.output import write_atomic
    from comparer.status_model import fit_model, load_model

    from dataclasses import replace

    from evaluation.followup import scores

    rows, statuses, issuers = training_rows()
    model = fit_model(rows, statuses, fitted_on=sorted(set(issuers)))
    write_atomic(MODEL, json.dumps(model.to_dict(), ensure_ascii=False, indent=1) + "\n", [])
    load_model.cache_clear()
    columns = scores()  # evaluated with the model just written (shipped) and refitted per held-out issuer
    pooled, loio = columns["shipped model"][-1], columns["leave-one-issuer-out"][-1]
    accuracy = {"leave_one_issuer_out": round(loio.accuracy, 3), "pooled": round(pooled.accuracy, 3),
                "labelled": loio.total, "issuers": len(columns["shipped model"]) - 1}
    write_atomic(MODEL, json.dumps(replace(model, accuracy=accuracy).to_dict(), ensure_ascii=False, indent=1) + "\n", [])
    sys.stdout.write(f"fitted on {len(rows)} labelled items of {len(set(issuers))} issuers -> {MODEL.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
