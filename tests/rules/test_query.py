"""Keyword queries on real articles (ANT corpus ids cited), matched like Elasticsearch's arabic analyzer."""

from __future__ import annotations

import random

import pytest

from ant import ant_rows, article
from rasid.nlp.analyzer import analyze
from rasid.rules.analysed import AnalysedArticle
from rasid.rules.query import QuerySyntaxError, parse_query
from rasid.rules.query.compiled import compile_query


def matches(query: str, ant_id: str, fields: tuple[str, ...] = ("title", "summary", "content")) -> bool:
    doc = AnalysedArticle.of(article(ant_id))
    return compile_query(query, fields).hits(doc) is not None


def test_bare_proclitic_forms_are_found_by_the_base_word() -> None:
    # CN-middleEast-941-20180516 title: '… "وجود قاسم سليماني ببغداد"' — Lucene's stemmer keeps ببغداد whole.
    assert matches("بغداد", "CN-middleEast-941-20180516", ("title",))
    # CN-economy-233-20180902: 'أن طهران وبغداد، قررتا إلغاء التعامل بالدولار'
    assert matches("بغداد", "CN-economy-233-20180902")
    assert matches('"طهران وبغداد"', "CN-economy-233-20180902")


def test_evidence_points_at_the_original_text() -> None:
    doc = AnalysedArticle.of(article("CN-middleEast-941-20180516"))
    query = compile_query("title:بغداد")
    hits = query.hits(doc)
    assert hits is not None
    [evidence] = query.evidence(doc, hits)
    title = article("CN-middleEast-941-20180516").title
    assert title[evidence["start"]:evidence["end"]] == evidence["text"] == "ببغداد"


def test_a_name_is_not_found_inside_a_longer_word() -> None:
    # AL-economy-691-20180530 mentions لبنان nowhere? Use an article that does, and query بن.
    rows = ant_rows()
    ant_id = next(i for i, r in rows.items() if " لبنان" in r["text"] and " بن " not in r["text"]
                  and " بن " not in r["title"] and " بن " not in (r["summary"] or ""))
    assert matches("لبنان", ant_id)
    assert not matches("بن", ant_id)


def test_boolean_operators_prefix_phrase_and_near() -> None:
    # BB-middleEast-700-20180705 title: 'معلومات مهمة عن مضيق هرمز الذي هددت إيران بإغلاقه'
    ant_id = "BB-middleEast-700-20180705"
    assert matches('"مضيق هرمز" AND إيران', ant_id, ("title",))
    assert not matches('"هرمز مضيق"', ant_id, ("title",))
    assert matches("هرمز NEAR/3 إيران", ant_id, ("title",))
    assert not matches("مضيق NEAR/1 إيران", ant_id, ("title",))
    assert matches("إغلاق* OR روسيا", ant_id, ("title",)) == matches("إغلاق*", ant_id, ("title",))
    assert matches("هرمز NOT روسيا", ant_id, ("title",))
    assert not matches("هرمز AND NOT إيران", ant_id, ("title",))
    assert not matches("-هرمز", ant_id, ("title",))


def test_a_field_restriction_is_respected() -> None:
    # AL-internationalNews-1090-20180509: أردوغان is in the title.
    assert matches("title:أردوغان", "AL-internationalNews-1090-20180509")
    # AL-economy-1019-20180714 names أردوغان in its body only.
    assert matches("content:أردوغان", "AL-economy-1019-20180714")
    assert not matches("title:أردوغان", "AL-economy-1019-20180714")
    assert not matches("أردوغان", "AL-economy-1019-20180714", ("title", "summary"))


def test_every_indexed_term_of_an_article_matches_it() -> None:
    """What Kibana would find by a word of the article, the rule finds too (sampled real words)."""
    rng = random.Random(6)
    rows = list(ant_rows().values())
    for row in rng.sample(rows, 20):
        doc = AnalysedArticle.of_texts({"content": row["text"]})
        tokens = analyze(row["text"])
        for token in rng.sample(tokens, min(10, len(tokens))):
            assert compile_query(token.text, ("content",)).hits(doc) is not None, (row["id"], token.text)


def test_spelling_variants_match_as_in_the_arabic_analyzer() -> None:
    # Hamza, teh marbuta and diacritics do not matter: إيران = ايران, مهمة = مهمه.
    ant_id = "BB-middleEast-700-20180705"
    assert matches("ايران", ant_id, ("title",))
    assert matches('"معلومات مهمه"', ant_id, ("title",))
    assert matches("إِيرَان", ant_id, ("title",))


@pytest.mark.parametrize(
    ("query", "column", "fragment"),
    [
        ("بغداد AND (انفجار OR هجوم", 25, "missing ')'"),
        ('"سيارة مفخخة', 0, "unclosed quote"),
        ("بغداد AND", 9, "ends too early"),
        ("بغداد NEAR انفجار", 6, "NEAR needs a distance"),
        ("بغ*داد", 0, "wildcard inside"),
        ("place:بغداد", 0, "unknown field"),
    ],
)
def test_syntax_errors_point_at_the_column(query: str, column: int, fragment: str) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(query)
    assert info.value.column == column
    assert fragment in str(info.value)


def test_stop_words_alone_are_refused_because_they_never_match() -> None:
    with pytest.raises(QuerySyntaxError, match="stop words"):
        compile_query("في")


def test_precedence_not_near_and_or() -> None:
    assert str(parse_query("a b OR c")) == "((a AND b) OR c)"
    assert str(parse_query("a OR b c", "OR")) == "(a OR b OR c)"
    assert str(parse_query("a NOT b")) == "(a AND NOT b)"
    assert str(parse_query("a NEAR/2 b c")) == "((a NEAR/2 b) AND c)"
