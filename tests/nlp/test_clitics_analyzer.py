"""Clitic-aware forms and the Python mirror of Elasticsearch's `arabic` analyzer."""

from __future__ import annotations

from rasid.nlp.analyzer import STOPWORDS, analyze, analyze_terms
from rasid.nlp.clitics import (
    bare_forms,
    clitic_variants,
    strip_enclitics,
    strip_proclitics,
)
from rasid.nlp.tokenizer import tokenize


def test_proclitics_are_stripped_only_when_unambiguous_or_known() -> None:
    assert strip_proclitics("والعراق", keep_article=True) == "العراق"
    assert strip_proclitics("للقوات", keep_article=True) == "القوات"
    assert strip_proclitics("لـالهيئة") == "الهيئة"
    # A leading و/ب may be part of the name: only a lexicon can tell.
    assert strip_proclitics("واشنطن") == "واشنطن"
    assert strip_proclitics("بيروت") == "بيروت"
    assert strip_proclitics("وبغداد") == "وبغداد"
    assert strip_proclitics("وبغداد", known={"بغداد"}) == "بغداد"
    assert strip_proclitics("وواشنطن", known={"واشنطن"}) == "واشنطن"
    assert strip_enclitics("قواتها") == "قوات"


def test_keyword_variants_find_the_forms_used_in_real_text(ant_article) -> None:
    # Seed-like text: AL-culture-100-20180227 writes "وأغنيتيه" and "و(بيرفكت)".
    variants = clitic_variants("العراق")
    assert {"والعراق", "بالعراق", "للعراق", "وللعراق"} <= variants
    assert {"وبغداد", "ببغداد", "لبغداد", "لـبغداد"} <= clitic_variants("بغداد")
    words = {t.text for t in tokenize(ant_article("AL-culture-100-20180227")["text"])}
    assert "أغنيتي" in bare_forms("وأغنيتيه")
    assert "وأغنيتيه" in words
    assert all("بغداد" in bare_forms(v) for v in clitic_variants("بغداد"))
    assert all("العراق" in bare_forms(v) for v in clitic_variants("العراق"))


def test_analyzer_mirrors_elasticsearch_arabic_chain(ant_article) -> None:
    text = "قال الرئيس الأمريكي في واشنطن إن القوات الأميركية ستنسحب عام ٢٠٢١ من العراق"
    terms = analyze(text)
    assert all(text[t.start : t.end] == t.text for t in terms)
    by_text = {t.text: t for t in terms}
    assert "في" not in by_text and "إن" not in by_text and "من" not in by_text  # Lucene stop words
    assert by_text["٢٠٢١"].stem == "2021"  # decimal_digit
    assert by_text["العراق"].stem == "عراق"
    assert by_text["الأمريكي"].normalized == "الامريكي"
    # Stop words keep their position, as Lucene's position increments do.
    assert by_text["واشنطن"].position == by_text["الأمريكي"].position + 2
    assert analyze_terms("والحسن") == ["حسن"]
    assert len(STOPWORDS) == 119


def test_analyzer_offsets_on_real_article(ant_sample: list[dict]) -> None:
    for doc in ant_sample[:40]:
        text = doc["text"]
        for term in analyze(text):
            assert text[term.start : term.end] == term.text
            assert term.stem and term.text not in STOPWORDS


def test_search_terms_are_the_analyzers_terms_on_real_articles(ant_sample: list[dict]) -> None:
    # The sink indexes `analyze_terms` (a faster path) as `search_terms`; queries and highlights use
    # `analyze`: a difference would make a word findable in one and not the other.
    texts = [doc["text"] for doc in ant_sample] + ["ـــ ٣٫٥ 1,200 .5 x_y «مصر» ـ َ"]
    for text in texts:
        assert analyze_terms(text) == [term.stem for term in analyze(text)]
    assert analyze_terms("٣٫٥ 1,200 .5 x_y «مصر»") == ["3٫5", "1,200", "5", "x", "y", "مصر"]
