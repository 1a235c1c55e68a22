"""Threat roles carry the names analysts aggregate on: one party, one key, however the sentence writes it."""

from __future__ import annotations

import pytest

from rasid.nlp.ner import extract_entities
from rasid.nlp.threats import extract_threats
from rasid.nlp.threats.role_names import role_names
from tests.threats.test_threats import _articles, dev, with_entities


@pytest.mark.parametrize(("cid", "role", "span", "names"), [
    # A title before the name is not the party: the person named is.
    (0, "actor", "وزير الخارجية الأمريكي مايك بومبيو", ["مايك بومبيو"]),
    (82, "target", "للرئيس السوري بشار الأسد", ["بشار الأسد"]),
    # A preposition attached to a place is not part of its name; the key is spelled as news spells it.
    (83, "target", "لالمانيا", ["ألمانيا"]),
    # A span that names no entity is keyed by its own words, without the clitic (لل -> ال) or a hashtag's marks.
    (4, "target", "للأوروبيين", ["الأوروبيين"]),
    (981, "actor", "#وسائل_الإعلام", ["وسائل الإعلام"]),
])
def test_a_role_is_named_by_the_entity_it_contains(cid: int, role: str, span: str, names: list[str]) -> None:
    threat = with_entities(dev(cid))
    assert getattr(threat, role).text == span
    assert getattr(threat, f"{role}_names") == names


def test_a_short_and_a_full_mention_of_one_actor_in_an_article_share_one_name() -> None:
    text = _articles()["FR-internationalNews-482-20180317"]["text"]
    threats = extract_threats(text, "text", extract_entities(text, "text"))
    by_span = {t.actor.text: t.actor_names for t in threats if t.actor}
    assert by_span["ترامب"] == by_span["الرئيس الأمريكي دونالد ترامب"] == ["دونالد ترامب"]


def test_no_span_no_name() -> None:
    assert role_names(None, []) == []
