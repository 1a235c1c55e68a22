"""The learned decision layer: a logistic regression over candidate features decides which trigger is a threat.

The weights ship as `model/threat_decision.json` (trained by `python -m rasid.nlp.threats.training` on the
hand-annotated dev set, see `model/SOURCES.md`). Scoring is a sum of the weights of the features present, so
it needs no numpy at run time.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).parent / "model" / "threat_decision.json"


@dataclass(frozen=True, slots=True)
class DecisionModel:
    weights: dict[str, float]
    bias: float
    threshold: float  # probability at or above which a candidate is a threat

    def probability(self, features: list[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in set(features))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self, **meta: object) -> str:
        body = {"format": "rasid-threat-decision/1", "bias": round(self.bias, 6), "threshold": round(self.threshold, 4),
                **meta, "weights": {k: round(v, 5) for k, v in sorted(self.weights.items()) if abs(v) >= 1e-5}}
        return json.dumps(body, ensure_ascii=False, indent=0)


def load_model(path: Path) -> DecisionModel:
    body = json.loads(path.read_text(encoding="utf-8"))
    if body.get("format") != "rasid-threat-decision/1":
        raise ValueError(f"{path}: not a threat decision model")
    return DecisionModel({k: float(v) for k, v in body["weights"].items()}, float(body["bias"]), float(body["threshold"]))


@lru_cache(maxsize=1)
def default_model() -> DecisionModel | None:
    """The shipped model, or None when the package has none (the hand rules then decide alone)."""
    return load_model(MODEL_PATH) if MODEL_PATH.exists() else None
