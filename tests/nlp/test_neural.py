"""The convolutional tagger shipped next to the CRFs (`rasid.nlp.ner.neural`), on real news (ANT ids)."""

from __future__ import annotations

import numpy as np
import pytest

from rasid.nlp.ner.model_files import write_arrays
from rasid.nlp.ner.neural import ConvTagger
from rasid.nlp.ner.tagger import EntityTagger
from rasid.nlp.ner.wordkey import word_key
from rasid.nlp.tokenizer import split_sentences, tokenize


@pytest.fixture(scope="module")
def conv() -> ConvTagger:
    tagger = EntityTagger()
    if tagger.neural is None:
        pytest.skip("the shipped model has no conv tagger (trained without torch)")
    return tagger.neural


def _sentences(text: str) -> list[list[str]]:
    out = [[word_key(t.text) for t in tokenize(s.text)] for s in split_sentences(text)]
    return [s for s in out if s]


def test_each_sentence_is_scored_on_its_own_in_a_document(conv: ConvTagger, ant_article) -> None:
    # AL-internationalNews-1002-20180504: several sentences tagged as one batch.
    sentences = _sentences(ant_article("AL-internationalNews-1002-20180504")["text"])[:6]
    together = conv.log_probs(sentences)
    for sentence, scores in zip(sentences, together, strict=True):
        alone = conv.log_probs([sentence])[0]
        assert scores.shape == (len(sentence), len(conv.labels))
        np.testing.assert_allclose(scores, alone, atol=1e-5)
        np.testing.assert_allclose(np.exp(scores).sum(1), 1.0, atol=1e-5)


def test_city_name_is_a_location_for_the_conv_tagger(conv: ConvTagger, ant_article) -> None:
    # AL-internationalNews-1002-20180504 names Moscow (موسكو).
    sentences = [s for s in _sentences(ant_article("AL-internationalNews-1002-20180504")["text"]) if "موسكو" in s]
    assert sentences
    scores = conv.log_probs(sentences[:1])[0]
    assert conv.labels[int(scores[sentences[0].index("موسكو")].argmax())] == "B-LOC"


def test_unknown_word_is_represented_by_its_letters(conv: ConvTagger) -> None:
    unknown = "زخرفشتاينوف"
    assert unknown not in conv.vocab
    assert np.abs(conv.word_vector(unknown)).sum() > 0
    assert not np.allclose(conv.word_vector(unknown), conv.word_vector("بلومقراطيس"))


def test_model_arrays_are_written_byte_identically(tmp_path) -> None:
    arrays = {"a": np.arange(12, dtype=np.float32).reshape(3, 4), "meta": np.array('{"x": "نص"}')}
    write_arrays(tmp_path / "one.npz", arrays)
    write_arrays(tmp_path / "two.npz", dict(reversed(list(arrays.items()))))
    assert (tmp_path / "one.npz").read_bytes() == (tmp_path / "two.npz").read_bytes()
    with np.load(tmp_path / "one.npz") as data:
        np.testing.assert_array_equal(data["a"], arrays["a"])
        assert str(data["meta"]) == '{"x": "نص"}'
