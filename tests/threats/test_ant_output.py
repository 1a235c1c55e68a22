"""The reading tool never shows a held-out sentence (tests/threats/ant_output.py)."""

from __future__ import annotations

from tests.threats.ant_output import _near_held_out, held_out_shingles
from tests.threats.evaluate import load


def test_held_out_sentences_are_recognised_however_they_are_cut() -> None:
    held = held_out_shingles()
    for split in ("heldout3", "heldout4"):
        for row in load(split):
            words = row["text"].split()
            assert _near_held_out(" ".join(words), held)
            assert _near_held_out("وقال المتحدث: " + " ".join(words[: max(6, len(words) // 2)]), held)  # cut shorter


def test_training_sentences_are_not_taken_for_held_out_ones() -> None:
    held = held_out_shingles()
    rows = load("train17") + load("train16")
    shown = [row for row in rows if not _near_held_out(row["text"], held)]
    assert len(shown) >= 0.95 * len(rows)
