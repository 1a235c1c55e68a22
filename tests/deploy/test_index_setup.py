"""`rasid es setup` against the real noida-db: templates, aliases over versioned indices, Arabic analysis."""

from __future__ import annotations

import logging

import pytest
from elasticsearch import Elasticsearch, helpers

from rasid.settings import Settings
from rasid.sinks.article_document import article_document
from rasid.sinks.elasticsearch_client import elasticsearch_client
from rasid.sinks.index_aliases import alias_state
from rasid.sinks.index_setup import setup_indices
from rasid.sinks.index_templates import (
    TEMPLATE_VERSION,
    IndexOptions,
    arabic_analysis,
    article_mappings,
    install_index_templates,
    install_templates,
    template_body,
    threat_mappings,
)
from tests.deploy.ant_enriched import ant_articles

pytestmark = pytest.mark.servers


@pytest.fixture
def es(settings: Settings) -> Elasticsearch:
    return elasticsearch_client(settings)


def index_articles(es: Elasticsearch, settings: Settings, articles) -> None:  # noqa: ANN001
    helpers.bulk(es, ({"_index": settings.index_articles, "_id": a.id, "_source": article_document(a)} for a in articles),
                 refresh=True)


def test_setup_puts_each_alias_over_a_v1_index_and_a_second_run_changes_nothing(es: Elasticsearch, settings: Settings) -> None:
    first = setup_indices(es, settings)
    assert first.templates.templates == dict.fromkeys(
        [settings.index_articles, settings.index_threats, settings.index_alerts], "created")
    for state in first.aliases:
        assert state.indices == [f"{state.alias}-v1"]
        assert state.write_index == f"{state.alias}-v1"

    second = setup_indices(es, settings)
    assert set(second.templates.templates.values()) == {"unchanged"}
    assert set(second.mappings.values()) == {"current"}
    assert [s.indices for s in second.aliases] == [s.indices for s in first.aliases]
    assert sorted(es.indices.get(index=f"{settings.index_articles}*")) == [f"{settings.index_articles}-v1"]


def test_arabic_text_is_stemmed_and_normalised_while_exact_keeps_the_word(es: Elasticsearch, settings: Settings) -> None:
    setup_indices(es, settings)
    # ANT AL-culture-100-20180227: "المغني إد شيران الأفضل مبيعاً عالمياً في 2017"
    article = ant_articles(1)[0]
    assert article.id == "AL-culture-100-20180227"
    index_articles(es, settings, [article])

    def hits(field: str, text: str) -> int:
        return es.count(index=settings.index_articles, query={"match_phrase": {field: text}})["count"]

    assert hits("title", "مغني") == 1          # stemmed: the article prefix ال is gone
    assert hits("title", "الافضل") == 1        # normalised: أ and ا are one letter
    assert hits("title.exact", "مغني") == 0    # the exact subfield keeps the word as written
    assert hits("title.exact", "المغني") == 1
    assert hits("title.exact", "٢٠١٧") == 1    # Arabic-Indic digits meet the Latin ones


def test_entities_are_keywords_kibana_can_aggregate(es: Elasticsearch, settings: Settings) -> None:
    setup_indices(es, settings)
    articles = ant_articles(8, entities=True)
    index_articles(es, settings, articles)
    people = {name for a in articles for name in article_document(a)["entities"]["per"]}
    assert people, "the NER found no person in the first 8 ANT articles"
    found = es.search(index=settings.index_articles, size=0,
                      aggs={"per": {"terms": {"field": "entities.per", "size": 500}}})
    assert {b["key"] for b in found["aggregations"]["per"]["buckets"]} == people


def test_a_server_without_an_arabic_filter_gets_the_fallback_and_a_warning_naming_it(
        es: Elasticsearch, settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="rasid.sink"):
        report = install_index_templates(es, settings)
    if report.analysis.full:
        assert not caplog.records
        return
    warning = " ".join(r.getMessage() for r in caplog.records)
    for missing in report.analysis.missing:
        assert missing in warning
    assert settings.elasticsearch_url in warning
    template = es.indices.get_index_template(name=settings.index_articles)["index_templates"][0]["index_template"]
    assert template["template"]["mappings"]["properties"]["title"]["analyzer"] == report.analysis.analyzer
    assert template["_meta"]["analysis"] == "fallback"


def test_the_sink_start_keeps_setup_choices_and_writes_through_the_alias(es: Elasticsearch, settings: Settings) -> None:
    setup_indices(es, settings, shards=2)
    install_templates(es, settings)  # what the sink runs when it starts
    template = es.indices.get_index_template(name=settings.index_articles)["index_templates"][0]["index_template"]
    assert str(template["template"]["settings"]["index"]["number_of_shards"]) == "2"

    index_articles(es, settings, ant_articles(2))
    assert sorted(es.indices.get(index=f"{settings.index_articles}*")) == [f"{settings.index_articles}-v1"]
    assert es.count(index=f"{settings.index_articles}-v1")["count"] == 2


def test_the_sink_start_alone_creates_the_alias_so_no_concrete_index_takes_its_name(
        es: Elasticsearch, settings: Settings) -> None:
    install_templates(es, settings)
    index_articles(es, settings, ant_articles(1))
    state = alias_state(es, settings.index_articles)
    assert not state.legacy_index
    assert state.indices == [f"{settings.index_articles}-v1"]


def test_setup_adds_new_fields_to_a_live_index_in_place(es: Elasticsearch, settings: Settings) -> None:
    analysis = arabic_analysis(es)
    older = article_mappings(analysis.analyzer, analysis.exact)
    del older["properties"]["search_terms"], older["properties"]["max_severity"]
    es.indices.create(index=f"{settings.index_articles}-v1", mappings=older,
                      settings={"analysis": analysis.analysis} if analysis.analysis else None,
                      aliases={settings.index_articles: {"is_write_index": True}})
    report = setup_indices(es, settings)
    assert report.mappings[settings.index_articles] == "extended with max_severity, search_terms"


def test_a_sink_started_after_an_upgrade_adds_the_new_template_fields_to_the_live_index(
        es: Elasticsearch, settings: Settings) -> None:
    # A deployment from before threat roles had names: an older template version and an index made from it.
    analysis = arabic_analysis(es)
    older = threat_mappings(analysis.analyzer, analysis.exact)
    del older["properties"]["actor_names"], older["properties"]["target_names"]
    body = template_body(settings.index_threats, older, analysis, IndexOptions())
    es.indices.put_index_template(name=settings.index_threats, **{**body, "version": TEMPLATE_VERSION - 1})
    es.indices.create(index=f"{settings.index_threats}-v1", aliases={settings.index_threats: {"is_write_index": True}})
    assert "actor_names" not in es.indices.get_mapping(index=settings.index_threats)[f"{settings.index_threats}-v1"][
        "mappings"]["properties"]

    install_templates(es, settings)  # what the sink runs at start

    live = es.indices.get_mapping(index=settings.index_threats)[f"{settings.index_threats}-v1"]["mappings"]["properties"]
    assert live["actor_names"]["type"] == live["target_names"]["type"] == "keyword"


def test_a_concrete_index_from_before_aliases_is_left_working_with_a_note(es: Elasticsearch, settings: Settings) -> None:
    es.indices.create(index=settings.index_alerts)
    report = setup_indices(es, settings)
    state = next(s for s in report.aliases if s.alias == settings.index_alerts)
    assert state.legacy_index and state.indices == [settings.index_alerts]
    assert any("rasid reindex" in note and settings.index_alerts in note for note in report.notes)
    assert not es.indices.exists(index=f"{settings.index_alerts}-v1")
