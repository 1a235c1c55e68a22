"""The annotated sentences the learned layers train on: where they live, which splits train, how folds group them."""

from __future__ import annotations

import hashlib
from pathlib import Path

DEVSET = Path(__file__).resolve().parents[3] / "tests" / "threats" / "data" / "threat_devset.jsonl"
# heldout3 and heldout4 are never read by training: they are the honest held-out figures.
TRAIN_SPLITS = ("dev", "heldout", "heldout2", "train2", "train3", "train4", "train5", "train6", "train7", "train8", "train9", "train10", "train11", "train12", "train13", "train14", "train15", "train16", "train17", "train18", "train19", "train20")
FOLDS = 5


def group_of(row_id: str) -> str:
    """The article (or ANERcorp sentence) a row comes from: folds never split an article."""
    return ":".join(row_id.split(":")[:2])


def fold_of(group: str) -> int:
    return int(hashlib.sha1(group.encode("utf-8")).hexdigest(), 16) % FOLDS
