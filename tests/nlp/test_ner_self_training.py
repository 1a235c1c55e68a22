"""Self-training (`rasid.nlp.ner.self_training`): what tagging raw news teaches the shipped model.

ANERcorp (2006-7) never labels names that 2018 news (the ANT articles) is full
of; the first-pass CRF tags them from their contexts across ANT, and the
counts, shipped in the model resources, become features.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from rasid.nlp.ner import extract_entities
from rasid.nlp.ner.conll import read_conll_file
from rasid.nlp.ner.model_files import FIRST_PASS_FILE, MODEL_DIR
from rasid.nlp.ner.self_training import TAG_ORDER, count_tags
from rasid.nlp.ner.tagger import default_tagger
from rasid.nlp.ner.wordkey import word_key

TRAIN = Path("/work/shared/data/ner/train.conll")
TYPES = ("PER", "LOC", "ORG", "MISC")


def _majority_type(counts: list[int]) -> str:
    by_type = {label: counts[1 + 2 * t] + counts[2 + 2 * t] for t, label in enumerate(TYPES)}
    return max(by_type, key=lambda label: by_type[label])


# Names that train.conll never contains, with the type ANT news gives them.
UNSEEN = [("داعش", "ORG"), ("فيسبوك", "ORG"), ("بومبيو", "PER"), ("روحاني", "PER"), ("درعا", "LOC")]


def test_counts_from_raw_news_know_names_the_labelled_data_never_shows() -> None:
    train_keys = {word_key(t) for s in read_conll_file(TRAIN) for t in s.tokens}
    tagged = default_tagger().features.tagged
    assert tagged is not None
    for name, label in UNSEEN:
        key = word_key(name)
        assert key not in train_keys
        assert _majority_type(tagged[key]) == label, (name, tagged[key])


@pytest.mark.parametrize(
    ("article_id", "name", "label"),
    [
        ("AL-culture-384-20180519", "داعش", "ORG"),  # "… يحاربن تنظيم داعش."
        ("AL-internationalNews-1389-20180530", "داعش", "ORG"),  # 'تبنى تنظيم "داعش"، الأربعاء …'
        ("AL-culture-16-20180214", "فيسبوك", "ORG"),  # 'على موقع التواصل الاجتماعي "فيسبوك"'
    ],
)
def test_a_name_never_labelled_in_train_is_found_in_real_news(ant_article, article_id: str, name: str, label: str) -> None:
    entities = extract_entities(ant_article(article_id)["text"])
    assert any(e.text == name and e.label == label for e in entities), [(e.text, e.label) for e in entities]


def test_count_tags_counts_every_token_of_words_seen_twice(ant_sample: list[dict]) -> None:
    paragraphs = [[word_key(t) for t in p.split()] for doc in ant_sample[:20] for p in doc["text"].split("\n") if p.strip()]
    counts = count_tags(MODEL_DIR / FIRST_PASS_FILE, default_tagger().features, paragraphs)
    seen = Counter(k for p in paragraphs for k in p[:200])
    assert counts and all(sum(row) == seen[key] >= 2 for key, row in counts.items())
    assert {key for key, n in seen.items() if n >= 2} == set(counts)
    # Function words are never names.
    assert all(counts[word_key(w)][TAG_ORDER.index("O")] == seen[word_key(w)] for w in ("في", "من") if word_key(w) in counts)
