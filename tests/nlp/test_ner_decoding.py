"""The tagger's fast decoding reads the trained CRFs exactly as crfsuite does, on real ANERcorp text.

The tagger never calls crfsuite at run time: it sums cached per-word scores
for a whole document (`decoder.py`) and turns the second pass's memory
features into integer codes (`memory.py`). These tests pin both against the
string features that crfsuite was trained on.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pycrfsuite

from rasid.nlp.ner.memory import (
    code_features,
    code_parts,
    memory_codes,
    memory_features,
    tag_slot,
)
from rasid.nlp.ner.model_files import FIRST_PASS_FILE, MODEL_DIR
from rasid.nlp.ner.tagger import EntityTagger

TRAIN = Path("/work/shared/data/ner/train.conll")


def _stream(count: int, first: int = 0) -> list[list[str]]:
    """`count` consecutive sentences of ANERcorp train (blank-line separated, token first)."""
    blocks = TRAIN.read_text("utf-8").split("\n\n")[first : first + count]
    return [[line.split()[0] for line in block.splitlines() if line.strip()] for block in blocks if block.strip()]


def test_first_pass_gives_crfsuites_own_tags_for_every_sentence_of_a_document() -> None:
    # 300 sentences of one to ~100 tokens decoded as one document: batched Viterbi, bigrams,
    # sentence-boundary marks and both back-pointer paths (Python for short batches, numpy for long).
    sentences = _stream(300, first=2000)
    tagger = EntityTagger()
    tagger.neural_weights = (0.0, 0.0)  # the CRF alone, as crfsuite scores it
    crfsuite = pycrfsuite.Tagger()
    crfsuite.open(str(MODEL_DIR / FIRST_PASS_FILE))
    expected = [list(crfsuite.tag(tagger.features.sentence(tokens))) for tokens in sentences]
    assert tagger.first_pass(sentences) == expected
    # One sentence at a time (a title) decodes the same.
    assert [tagger.first_pass([tokens])[0] for tokens in sentences[:40]] == expected[:40]


def test_memory_codes_stand_for_the_features_the_second_pass_was_trained_on() -> None:
    sentences = _stream(120, first=500)
    tagger = EntityTagger()
    first = tagger.first_pass(sentences)
    forms = [tagger.features.lookup_forms(tokens) for tokens in sentences]
    trained_on = [f for sentence in memory_features(forms, first) for f in sentence]

    labels = list(tagger._first.labels)
    form_ids: dict[str, int] = {}
    key_form = [form_ids.setdefault(fs[0], len(form_ids)) for sentence in forms for fs in sentence]
    base_form = [form_ids.setdefault(fs[1], len(form_ids)) if len(fs) > 1 else -1 for sentence in forms for fs in sentence]
    sentence_of = np.repeat(np.arange(len(sentences)), [len(s) for s in sentences])
    tags = np.asarray([labels.index(t) for sentence in first for t in sentence])
    codes = memory_codes(np.asarray(key_form), np.asarray(base_form), sentence_of, len(sentences), tags,
                         np.asarray([tag_slot(label) for label in labels]))
    edge = ("BOS", "EOS")
    decoded = []
    for code in codes.tolist():
        tag, left, right, dm = code_parts(code, len(labels))
        decoded.append(code_features(labels[tag], labels[left] if left < len(labels) else edge[0],
                                     labels[right] if right < len(labels) else edge[1], dm))
    assert decoded == trained_on
    # The stream names people and places again and again: the memory has something to say.
    assert sum(any(f.startswith("dm=") for f in feats) for feats in trained_on) > 200
