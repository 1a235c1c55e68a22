"""`rasid reindex` against the real noida-db (Kafka + Elasticsearch): replay, atomic alias swap, no downtime."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
import typer
from elasticsearch import Elasticsearch, helpers
from typer.testing import CliRunner

from rasid.cli.elasticsearch import es_app, reindex_command
from rasid.records import Alert, alert_id_for
from rasid.settings import Settings, get_settings
from rasid.sinks.article_document import article_document
from rasid.sinks.elasticsearch_client import elasticsearch_client
from rasid.sinks.index_aliases import alias_state
from rasid.sinks.index_setup import setup_indices
from rasid.sinks.reindex import ReindexError, reindex
from rasid.streams.publisher import RecordPublisher
from rasid.streams.topics import ensure_topics
from tests.deploy.ant_enriched import ENRICHED_AT, ant_articles, with_threats

pytestmark = pytest.mark.servers


@pytest.fixture
def es(settings: Settings) -> Elasticsearch:
    return elasticsearch_client(settings)


def publish(settings: Settings, topic: str, keyed: list) -> None:  # noqa: ANN001
    publisher = RecordPublisher(settings, client_id="test-reindex")
    try:
        publisher.send_all(topic, keyed)
    finally:
        publisher.close()


def live_index(es: Elasticsearch, settings: Settings, articles) -> None:  # noqa: ANN001
    """What the sink wrote before the reindex: the same articles, through the alias."""
    helpers.bulk(es, ({"_index": settings.index_articles, "_id": a.id, "_source": article_document(a)}
                      for a in articles), refresh=True)


def test_reindex_builds_v2_from_the_topic_swaps_the_alias_and_keeps_v1(es: Elasticsearch, settings: Settings) -> None:
    ensure_topics(settings)
    setup_indices(es, settings)
    threatened = with_threats(2)
    articles = [a for a in ant_articles(42) if a.id not in {t.id for t in threatened}][:40]
    live_index(es, settings, articles + threatened)
    # A later enrichment of the first article (new title) and of a threatened one that lost its threats.
    newer = articles[0].model_copy(update={"title": "عنوان منقح", "enriched_at": ENRICHED_AT + timedelta(hours=1)})
    calmer = threatened[0].model_copy(update={"threats": [], "enriched_at": ENRICHED_AT + timedelta(hours=1)})
    publish(settings, settings.topic_enriched, [(a.id, a) for a in articles + threatened + [newer, calmer]])
    alert = Alert(alert_id=alert_id_for("rule-x", articles[1].id), rule_id="rule-x", article_id=articles[1].id,
                  created_at=ENRICHED_AT, title=articles[1].title, url=articles[1].url)
    publish(settings, settings.topic_alerts, [(alert.alert_id, alert)])

    # Searches through the alias keep answering with every article during the whole reindex.
    seen: list[int] = []
    errors: list[Exception] = []
    done = threading.Event()

    def search_all_the_time() -> None:
        while not done.is_set():
            try:
                seen.append(es.count(index=settings.index_articles)["count"])
            except Exception as exc:  # noqa: BLE001 - any failure is downtime
                errors.append(exc)

    searcher = threading.Thread(target=search_all_the_time)
    searcher.start()
    try:
        report = reindex(es, settings)
    finally:
        done.set()
        searcher.join()

    assert report.swapped
    assert not errors
    assert len(seen) > 1 and min(seen) == 42
    for alias in (settings.index_articles, settings.index_threats, settings.index_alerts):
        assert alias_state(es, alias).indices == [f"{alias}-v2"]
        assert es.indices.exists(index=f"{alias}-v1")  # kept until the operator deletes it
    es.indices.refresh(index=f"{settings.index_articles},{settings.index_threats},{settings.index_alerts}")
    assert es.count(index=settings.index_articles)["count"] == 42
    assert es.get(index=settings.index_articles, id=articles[0].id)["_source"]["title"] == "عنوان منقح"
    threats_of = {a.id: es.count(index=settings.index_threats, query={"term": {"article_id": a.id}})["count"]
                  for a in threatened}
    assert threats_of == {calmer.id: 0, threatened[1].id: len(threatened[1].threats)}
    assert es.get(index=settings.index_alerts, id=alert.alert_id)["_source"]["rule_id"] == "rule-x"
    assert report.new_articles == report.live_articles == 42


def test_reindex_refuses_to_swap_when_the_topic_lost_articles(es: Elasticsearch, settings: Settings) -> None:
    ensure_topics(settings)
    setup_indices(es, settings)
    articles = ant_articles(12, start=50)
    live_index(es, settings, articles)
    publish(settings, settings.topic_enriched, [(a.id, a) for a in articles[:9]])  # 3 aged out of the topic

    with pytest.raises(ReindexError, match="9 articles but .* holds 12"):
        reindex(es, settings)
    assert alias_state(es, settings.index_articles).indices == [f"{settings.index_articles}-v1"]
    assert not es.indices.exists(index=f"{settings.index_articles}-v2")
    assert es.count(index=settings.index_articles)["count"] == 12

    forced = reindex(es, settings, force=True, delete_old=True)
    assert forced.swapped and forced.new_articles == 9
    assert not es.indices.exists(index=f"{settings.index_articles}-v1")


def test_reindex_moves_a_concrete_index_from_before_aliases_behind_an_alias(es: Elasticsearch, settings: Settings) -> None:
    ensure_topics(settings)
    es.indices.create(index=settings.index_articles)  # as the walking skeleton's sink left it
    articles = ant_articles(5, start=80)
    live_index(es, settings, articles)
    publish(settings, settings.topic_enriched, [(a.id, a) for a in articles])

    report = reindex(es, settings, include_alerts=False)
    state = alias_state(es, settings.index_articles)
    assert not state.legacy_index and state.indices == [f"{settings.index_articles}-v1"]
    assert report.previous[settings.index_articles] == [settings.index_articles]
    assert es.count(index=settings.index_articles)["count"] == 5


def test_rasid_reindex_command_prints_a_json_summary(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    ensure_topics(settings)
    articles = ant_articles(6, start=100)
    publish(settings, settings.topic_enriched, [(a.id, a) for a in articles])
    app = typer.Typer()
    app.add_typer(es_app, name="es")
    app.command("reindex")(reindex_command)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        setup = runner.invoke(app, ["es", "setup"], env=settings.as_env())
        assert setup.exit_code == 0, setup.output
        result = runner.invoke(app, ["reindex"], env=settings.as_env())
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["swapped"] is True and summary["articles"] == 6
    assert summary["aliases"][settings.index_articles] == f"{settings.index_articles}-v2"
