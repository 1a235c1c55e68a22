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


def _enriched(article_id: str):  # noqa: ANN202
    from rasid.nlp.enrichment import enrich
    from rasid.samples.ant_corpus import article_from_ant_row

    return enrich(article_from_ant_row(_articles()[article_id]))


@pytest.mark.parametrize(("article_id", "span", "name"), [
    # a title the article names a person with elsewhere ("الرئيس الأميركي دونالد ترامب")
    ("SK-economy-324-20180410", "الرئيس الأميركي", "دونالد ترامب"),
    # a family name the tagger missed in that sentence, where the article names the person in full
    ("AL-internationalNews-1979-20180718", "ماي", "تيريزا ماي"),
    # someone else's title is not the person it is said of: "رئيسة الحكومة البريطانية تيريزا ماي" is no reason to
    # call the government May, nor "مستشار الأمن القومي للرئيس الأمريكي دونالد ترامب" to call Bolton Trump
    ("FR-internationalNews-327-20180308", "الحكومة البريطانية", "الحكومة البريطانية"),
    ("BB-internationalNews-1124-20180926", "مستشار الأمن القومي للرئيس الأمريكي",
     "مستشار الأمن القومي للرئيس الأميركي"),
])
def test_a_role_named_by_title_or_family_name_is_the_person_the_article_names(article_id: str, span: str,
                                                                             name: str) -> None:
    threats = [t for t in _enriched(article_id).threats if t.actor and t.actor.text == span]
    assert threats and all(t.actor_names == [name] for t in threats), [(t.actor_names) for t in threats]


def test_a_word_many_names_share_is_no_family_name() -> None:
    from rasid.nlp.threats.role_names import _person_named
    from rasid.records import Entity

    persons = [Entity(text=name, label="PER", start=0, end=len(name), field="content", normalized=name)
               for name in ("حسن نصر الله", "عبد الله الثاني", "تيريزا ماي")]
    assert _person_named("الله", persons) is None and _person_named("الثاني", persons) is None
    assert _person_named("ماي", persons) == "تيريزا ماي"
    assert _person_named("تيريزا", persons) is None  # a first name alone may be anyone's
