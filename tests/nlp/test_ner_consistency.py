"""Name consistency after tagging (`rasid.nlp.ner.consistency`), on a real ANERcorp story.

The story about Celtic Glasgow in `train.conll` (lines ~120900-120970) names
سلتيك several times, once as لسلتيك ("for Celtic").
"""

from __future__ import annotations

from pathlib import Path

from rasid.nlp.ner.conll import TaggedSentence, read_conll_file
from rasid.nlp.ner.consistency import propagate_names
from rasid.nlp.ner.wordkey import word_key

TRAIN = Path("/work/shared/data/ner/train.conll")


def _celtic_story() -> list[TaggedSentence]:
    """Three consecutive sentences: "… مرمى سلتيك …", "… استعاد سلتيك …", "… لسلتيك …"."""
    sentences = read_conll_file(TRAIN)
    last = next(i for i, s in enumerate(sentences) if "لسلتيك" in s.tokens)
    return sentences[last - 2 : last + 1]


def _keys(story: list[TaggedSentence]) -> list[list[str]]:
    return [[word_key(t) for t in s.tokens] for s in story]


def test_a_name_tagged_once_is_tagged_where_it_recurs_with_or_without_a_clitic() -> None:
    story = _celtic_story()
    mentions = [(s, i) for s, sent in enumerate(story) for i, t in enumerate(sent.tokens) if t in ("سلتيك", "لسلتيك")]
    assert len(mentions) >= 3
    tags = [["O"] * len(s.tokens) for s in story]
    s0, i0 = mentions[0]
    tags[s0][i0] = "B-ORG"  # the tagger found only the first mention
    out = propagate_names(_keys(story), tags)
    for s, i in mentions:
        if story[s].tokens[i + 1 : i + 2] != ["بارك"]:  # سلتيك بارك, the stadium, is another name
            assert out[s][i] == "B-ORG", story[s].tokens[i]
    # Nothing else is touched: only the mentions changed.
    changed = {(s, i) for s in range(len(story)) for i in range(len(tags[s])) if out[s][i] != tags[s][i]}
    assert changed <= set(mentions)


def test_tagged_tokens_keep_their_tags_and_the_window_bounds_the_spread() -> None:
    story = _celtic_story()
    mentions = [(s, i) for s, sent in enumerate(story) for i, t in enumerate(sent.tokens) if t in ("سلتيك", "لسلتيك")]
    tags = [["O"] * len(s.tokens) for s in story]
    (s0, i0), (s1, i1) = mentions[0], mentions[-1]
    tags[s0][i0] = "B-ORG"
    tags[s1][i1] = "B-MISC"  # a different reading elsewhere is kept, not overwritten
    out = propagate_names(_keys(story), tags)
    assert out[s1][i1] == "B-MISC"
    # With a window of 0 sentences a name spreads only within its own sentence.
    alone = propagate_names(_keys(story), tags, window=0)
    others = [(s, i) for s, i in mentions if s not in (s0, s1)]
    assert others and all(alone[s][i] == "O" for s, i in others)
