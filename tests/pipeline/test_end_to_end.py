"""A file:// feed of real articles → Kafka → Faust → Elasticsearch, searchable, with no duplicates."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import feedparser
import psutil
import pytest
from elasticsearch import Elasticsearch

from rasid.embedded.supervisor import SupervisedProcess
from rasid.pipeline.stages import stages_running
from rasid.producers.feed_producer import FeedProducer
from rasid.producers.feeds_config import FeedConfig
from rasid.search.article_search import search_articles
from rasid.settings import Settings
from rasid.sinks.index_templates import install_templates
from rasid.streams.publisher import RecordPublisher
from rasid.streams.topics import ensure_topics
from tests.conftest import SHARED_FEEDS, read_topic


def wait_for_count(es: Elasticsearch, index: str, expected: int, timeout_s: float = 60.0) -> int:
    deadline = time.monotonic() + timeout_s
    count = 0
    while time.monotonic() < deadline:
        if es.indices.exists(index=index):
            es.indices.refresh(index=index)
            count = int(es.count(index=index)["count"])
            if count >= expected:
                return count
        time.sleep(0.3)
    return count


def alerts_niceness(stages: list[SupervisedProcess], timeout_s: float = 30.0) -> int:
    """The alert stage's nice value once it has started (it sets its own, on start-up)."""
    process = psutil.Process(next(stage for stage in stages if stage.name == "alerts").running_pid())
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and process.nice() == os.nice(0):
        time.sleep(0.1)
    return process.nice()


@pytest.fixture
def es(settings: Settings) -> Elasticsearch:
    return Elasticsearch(settings.elasticsearch_url)


def test_feed_articles_become_searchable_once(settings: Settings, es: Elasticsearch, tmp_path: Path) -> None:
    feed_file = tmp_path / "bbc-middleEast.xml"
    shutil.copy(SHARED_FEEDS / "bbc-middleEast.xml", feed_file)
    items = feedparser.parse(feed_file.read_bytes()).entries
    feeds = [FeedConfig(url=feed_file.as_uri(), source="bbc")]
    ensure_topics(settings)
    install_templates(es, settings)

    with stages_running(settings) as stages:
        # The alert stage yields the CPU to enrichment and indexing, which make articles searchable.
        assert alerts_niceness(stages) == os.nice(0) + settings.alerts_nice
        assert {psutil.Process(stage.running_pid()).nice() for stage in stages if stage.name != "alerts"} == {os.nice(0)}

        producer = FeedProducer(settings, feeds)
        assert producer.poll_once().produced == len(items) == 30
        producer.close()
        assert wait_for_count(es, settings.index_articles, 30) == 30

        # The same feed again, even with the producer's memory wiped: still 30 documents.
        shutil.rmtree(settings.data_dir / "producer")
        producer = FeedProducer(settings, feeds)
        assert producer.poll_once().produced == 30
        producer.close()
        assert len(read_topic(settings, settings.topic_enriched, at_least=60)) == 60
        es.indices.refresh(index=settings.index_articles)
        assert es.count(index=settings.index_articles)["count"] == 30

    docs = {hit["_source"]["url"]: hit["_source"] for hit in
            es.search(index=settings.index_articles, size=100)["hits"]["hits"]}
    for item in items:
        doc = docs[item.link]
        assert doc["title"] == item.title
        assert doc["summary"] == item.summary.strip()
        assert doc["source"] == "bbc"
        assert doc["published_at"].startswith(time.strftime("%Y-%m-%dT%H:%M:%S", item.published_parsed))
        assert doc["entities"] == {"per": [], "org": [], "loc": [], "misc": []} or doc["entity_count"] > 0

    # The stages keep their Faust state under the data directory, not in the directory they ran from.
    for group in (settings.processor_group, settings.alerts_group):
        assert (settings.data_dir / "faust" / group).is_dir()
        assert not (Path.cwd() / f"{group}-data").exists()

    total, hits = search_articles(es, settings, "خاشقجي")
    assert total >= 1
    assert any("خاشقجي" in hit.title for hit in hits)
    assert any("«خاشقجي»" in snippet for hit in hits for snippet in hit.snippets)

    # Arabic-aware, as Elasticsearch's arabic analyzer: "التعذيب" finds an article that only says
    # "والتعذيب" and "للتعذيب" (BBC Arabic, middleeast-45826118).
    total, hits = search_articles(es, settings, "التعذيب", size=50)
    clitic_only = [hit for hit in hits if hit.url.endswith("middleeast-45826118")]
    assert clitic_only, [hit.url for hit in hits]
    assert any("«والتعذيب»" in s or "«للتعذيب»" in s for s in clitic_only[0].snippets)


def test_a_feed_that_is_not_xml_is_reported_and_the_others_continue(settings: Settings, tmp_path: Path) -> None:
    ensure_topics(settings)
    html_page = tmp_path / "not-a-feed.xml"
    html_page.write_text("<html><body><p>خطأ 404 — الصفحة غير موجودة</p></body></html>", encoding="utf-8")
    good = tmp_path / "skynews-middleEast.xml"
    shutil.copy(SHARED_FEEDS / "skynews-middleEast.xml", good)
    feeds = [FeedConfig(url=html_page.as_uri(), source="broken"), FeedConfig(url=good.as_uri(), source="skynews")]

    producer = FeedProducer(settings, feeds)
    report = producer.poll_once()
    producer.close()

    assert list(report.feed_errors) == [html_page.as_uri()]
    assert "not" in report.feed_errors[html_page.as_uri()]
    assert report.produced == 30


def test_invalid_json_on_raw_goes_to_the_dlq_and_the_stream_continues(settings: Settings, tmp_path: Path) -> None:
    ensure_topics(settings)
    good = tmp_path / "france24-middleEast.xml"
    shutil.copy(SHARED_FEEDS / "france24-middleEast.xml", good)
    publisher = RecordPublisher(settings, client_id="test")
    publisher._producer.send(settings.topic_raw, key=b"broken-1", value=b'{"id": "x", "title": "\xd8\xa8\xd8')
    publisher._producer.flush()
    publisher.close()

    with stages_running(settings, names=("processor",)):
        producer = FeedProducer(settings, [FeedConfig(url=good.as_uri(), source="france24")])
        produced = producer.poll_once().produced
        producer.close()
        enriched = read_topic(settings, settings.topic_enriched, at_least=produced, timeout_s=60)
        dead = read_topic(settings, settings.topic_dlq, at_least=1, timeout_s=30)

    assert len(enriched) == produced == 30
    assert len(dead) == 1
    letter = json.loads(dead[0].value)
    assert letter["stage"] == "enrich"
    assert letter["key"] == "broken-1"
    assert letter["topic"] == settings.topic_raw
    assert "not a valid article record" in letter["reason"]
    assert letter["payload"].startswith('{"id": "x"')


def test_an_unknown_schema_major_version_is_dead_lettered_with_a_clear_reason(settings: Settings, tmp_path: Path) -> None:
    ensure_topics(settings)
    good = tmp_path / "cnn-middleEast.xml"
    shutil.copy(SHARED_FEEDS / "cnn-middleEast.xml", good)
    producer = FeedProducer(settings, [FeedConfig(url=good.as_uri(), source="cnn")])
    producer.poll_once()
    producer.close()
    first = json.loads(read_topic(settings, settings.topic_raw, at_least=30)[0].value)
    future = {**first, "schema_version": "2.0", "id": "from-the-future"}
    publisher = RecordPublisher(settings, client_id="test")
    publisher._producer.send(settings.topic_raw, key=b"from-the-future", value=json.dumps(future).encode())
    publisher._producer.flush()
    publisher.close()

    with stages_running(settings, names=("processor",)):
        enriched = read_topic(settings, settings.topic_enriched, at_least=30, timeout_s=60)
        dead = read_topic(settings, settings.topic_dlq, at_least=1, timeout_s=30)

    assert len(enriched) == 30
    assert [json.loads(d.value)["key"] for d in dead] == ["from-the-future"]
    assert "schema_version '2.0' is not readable" in json.loads(dead[0].value)["reason"]
