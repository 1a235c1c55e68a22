"""The sink against the session's real noida-db: batching, versions, stale threats, alerts, rejections, shutdown."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from elasticsearch import Elasticsearch
from kafka import TopicPartition
from prometheus_client import REGISTRY

from rasid.nlp.enrichment import enrich
from rasid.records import Alert, alert_id_for
from rasid.samples.ant_corpus import article_from_ant_row
from rasid.settings import Settings
from rasid.sinks.batching import Batch, BatchLimits
from rasid.sinks.bulk_writer import Backoff
from rasid.sinks.elasticsearch_sink import ElasticsearchSink
from rasid.streams.topics import ensure_topics
from tests.conftest import read_topic
from tests.sinks.ant import ENRICHED_AT, ant_articles, ant_row, enriched, produce
from tests.sinks.faulty_proxy import Faults, faulty_proxy
from tests.sinks.harness import committed_lag, count, indexed_ids, sink_running, wait_for_count, wait_until

# ANT articles whose content reports several threat statements (see tests/sinks/ant.py).
THREAT_ARTICLES = ("AL-internationalNews-1095-20180510", "AL-internationalNews-1376-20180530")


@pytest.fixture
def es(settings: Settings) -> Elasticsearch:
    ensure_topics(settings)
    return Elasticsearch(settings.elasticsearch_url)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_batch_is_due_at_whichever_limit_comes_first() -> None:
    clock = Clock()
    tp = TopicPartition("news.enriched", 0)
    by_count: Batch[str] = Batch(BatchLimits(max_docs=3, max_bytes=10_000, linger_s=5), clock)
    for offset in range(2):
        by_count.add(tp, offset, "doc", 10)
    assert not by_count.due and by_count.seconds_until_due() == 5
    by_count.add(tp, 2, "doc", 10)
    assert by_count.due

    by_bytes: Batch[str] = Batch(BatchLimits(max_docs=100, max_bytes=1000, linger_s=5), clock)
    by_bytes.add(tp, 0, "big", 999)
    assert not by_bytes.due
    by_bytes.add(tp, 1, "small", 1)
    assert by_bytes.due

    by_time: Batch[str] = Batch(BatchLimits(max_docs=100, max_bytes=1000, linger_s=0.5), clock)
    assert by_time.seconds_until_due() is None
    by_time.add(tp, 7, None, 0)  # a record that went to the DLQ still has to be committed
    clock.now = 0.49
    assert not by_time.due
    clock.now = 0.5
    assert by_time.due
    assert by_time.commit_offsets({tp})[tp].offset == 8


def test_revoked_partitions_leave_the_batch_and_are_not_committed() -> None:
    a, b = TopicPartition("t", 0), TopicPartition("t", 1)
    batch: Batch[str] = Batch(BatchLimits(max_docs=10))
    batch.add(a, 4, "a4", 100)
    batch.add(b, 9, "b9", 50)
    batch.add(a, 5, "a5", 100)
    assert batch.drop({a}) == {a: 4}  # where to read again from
    assert batch.items == ["b9"] and batch.size_bytes == 50
    assert {tp: o.offset for tp, o in batch.commit_offsets({a, b}).items()} == {b: 10}
    assert batch.commit_offsets({a}) == {}


def test_articles_are_indexed_once_and_offsets_committed_after_the_flush(settings: Settings, es: Elasticsearch) -> None:
    articles = ant_articles(600)
    produce(settings, articles)
    produce(settings, articles[:100])  # the producer re-sent some: still one document each

    with sink_running(settings, limits=BatchLimits(max_docs=250, linger_s=0.2)) as sink:
        assert wait_for_count(es, settings.index_articles, 600) == 600
        wait_until(lambda: committed_lag(settings, settings.topic_enriched) == 0, what="offsets committed")
        # 700 records in batches of at most 250 documents
        assert sink.stats.batches >= 3

    ids = indexed_ids(es, settings.index_articles)
    assert sorted(ids) == sorted(a.id for a in articles)
    doc = es.get(index=settings.index_articles, id=articles[0].id)["_source"]
    assert doc["title"] == articles[0].title == ant_row(articles[0].id)["title"]


def test_a_lingering_batch_is_flushed_and_committed_on_shutdown(settings: Settings, es: Elasticsearch) -> None:
    articles = ant_articles(40, start=1000)
    produce(settings, articles)
    with sink_running(settings, limits=BatchLimits(max_docs=1000, linger_s=3600)) as sink:
        wait_until(lambda: len(sink.batch.entries) == 40, what="all 40 records polled")
        assert count(es, settings.index_articles) == 0  # still lingering
    assert count(es, settings.index_articles) == 40
    assert committed_lag(settings, settings.topic_enriched) == 0


def test_an_older_enrichment_never_replaces_a_newer_one_and_stale_threats_go(settings: Settings, es: Elasticsearch) -> None:
    rows = [ant_row(article_id) for article_id in THREAT_ARTICLES]
    first = [enriched(row, ENRICHED_AT, with_threats=True) for row in rows]
    assert all(len(a.threats) >= 3 for a in first)
    # A better model later finds only the first threat statement of each article.
    newer = [a.model_copy(update={"threats": a.threats[:1], "enriched_at": ENRICHED_AT + timedelta(hours=1),
                                  "nlp_version": "newer"}) for a in first]

    with sink_running(settings, limits=BatchLimits(linger_s=0.1)):
        produce(settings, first)
        all_threats = sum(len(a.threats) for a in first)
        assert wait_for_count(es, settings.index_threats, all_threats) == all_threats
        produce(settings, newer)
        wait_until(lambda: count(es, settings.index_threats) == 2, what="stale threat documents removed")
        # The old enrichment replayed (e.g. a reprocessed topic): it must change nothing.
        produce(settings, first)
        wait_until(lambda: committed_lag(settings, settings.topic_enriched) == 0, what="replay consumed")

    assert count(es, settings.index_threats) == 2
    for article in newer:
        doc = es.get(index=settings.index_articles, id=article.id)["_source"]
        assert doc["nlp_version"] == "newer" and doc["threat_count"] == 1
        threat = es.get(index=settings.index_threats, id=f"{article.id}-0")["_source"]
        assert threat["trigger"] == article.threats[0].trigger.text
        assert threat["enriched_at"] == article.enriched_at.isoformat()


def test_a_newer_enrichment_in_the_same_batch_wins(settings: Settings, es: Elasticsearch) -> None:
    article = ant_articles(1, start=2000)[0]
    newer = article.model_copy(update={"enriched_at": ENRICHED_AT + timedelta(minutes=5), "nlp_version": "newer"})
    produce(settings, [newer, article])  # the older one arrives last
    with sink_running(settings, limits=BatchLimits(linger_s=0.1)):
        assert wait_for_count(es, settings.index_articles, 1) == 1
        wait_until(lambda: committed_lag(settings, settings.topic_enriched) == 0, what="offsets committed")
    assert es.get(index=settings.index_articles, id=article.id)["_source"]["nlp_version"] == "newer"


def test_threats_by_actor_count_one_party_once_however_the_articles_write_it(settings: Settings,
                                                                              es: Elasticsearch) -> None:
    # Two real articles in which Trump threatens as "ترامب" (in a title too) and as "الرئيس الأمريكي دونالد ترامب".
    articles = [enrich(article_from_ant_row(ant_row(article_id)))
                for article_id in ("CN-middleEast-600-20180413", "FR-internationalNews-482-20180317")]
    by_trump = [t for a in articles for t in a.threats if t.actor and "ترامب" in t.actor.text]
    assert len({t.actor.text for t in by_trump if t.actor}) >= 2 and any(t.field == "title" for t in by_trump)
    with sink_running(settings, limits=BatchLimits(linger_s=0.1)):
        produce(settings, articles)
        total = sum(len(a.threats) for a in articles)
        assert wait_for_count(es, settings.index_threats, total) == total
    es.indices.refresh(index=settings.index_threats)
    found = es.search(index=settings.index_threats, size=0, aggs={"actors": {"terms": {"field": "actor_names"}}})
    buckets = {b["key"]: b["doc_count"] for b in found["aggregations"]["actors"]["buckets"]}
    assert buckets["دونالد ترامب"] == len(by_trump)



def test_threats_enriched_before_roles_had_names_get_them_when_indexed(settings: Settings, es: Elasticsearch) -> None:
    # A record from an older version (no actor_names) replayed by `rasid reindex`: named from its own entities.
    article = enrich(article_from_ant_row(ant_row("FR-internationalNews-482-20180317")))
    older = article.model_copy(update={"threats": [t.model_copy(update={"actor_names": [], "target_names": []})
                                                   for t in article.threats]})
    with sink_running(settings, limits=BatchLimits(linger_s=0.1)):
        produce(settings, [older])
        assert wait_for_count(es, settings.index_threats, len(article.threats)) == len(article.threats)
    for number, threat in enumerate(article.threats):
        doc = es.get(index=settings.index_threats, id=f"{article.id}-{number}")["_source"]
        assert doc["actor_names"] == threat.actor_names and doc["target_names"] == threat.target_names


def test_alerts_are_indexed_once_by_alert_id(settings: Settings, es: Elasticsearch) -> None:
    articles = ant_articles(5, start=3000)
    alerts = [Alert(alert_id=alert_id_for("threats-any", a.id), rule_id="threats-any", article_id=a.id,
                    created_at=ENRICHED_AT, title=a.title, url=a.url, severity=4) for a in articles]
    produce(settings, alerts, topic=settings.topic_alerts, key="alert_id")
    produce(settings, alerts[:2], topic=settings.topic_alerts, key="alert_id")  # fired again after a replay
    with sink_running(settings, limits=BatchLimits(linger_s=0.1)):
        assert wait_for_count(es, settings.index_alerts, 5) == 5
        wait_until(lambda: committed_lag(settings, settings.topic_alerts) == 0, what="alerts committed")
    assert sorted(indexed_ids(es, settings.index_alerts)) == sorted(a.alert_id for a in alerts)
    assert es.get(index=settings.index_alerts, id=alerts[0].alert_id)["_source"]["title"] == articles[0].title


def test_a_refused_document_goes_to_the_dlq_with_the_reason_and_the_rest_is_indexed(
    settings: Settings, es: Elasticsearch
) -> None:
    # Mapping drift: an operator's template, taking precedence over Rasid's, maps `tags` as a number.
    es.indices.put_index_template(name=f"drift-{settings.index_articles}", index_patterns=[f"{settings.index_articles}*"],
                                  priority=1000, template={"mappings": {"properties": {"tags": {"type": "long"}}}})
    articles = [a.model_copy(update={"tags": []}) for a in ant_articles(201, start=4000)]
    tagged = articles[117] = articles[117].model_copy(update={"tags": ["سياسة"]})
    produce(settings, articles[:200])
    produce(settings, articles[200:])  # after the refused one, on whichever partition

    with sink_running(settings, limits=BatchLimits(max_docs=500, linger_s=0.2)) as sink:
        assert wait_for_count(es, settings.index_articles, 200) == 200
        wait_until(lambda: committed_lag(settings, settings.topic_enriched) == 0, what="partition moved on")
        assert sink.stats.rejected == 1
    es.indices.delete_index_template(name=f"drift-{settings.index_articles}")

    ids = set(indexed_ids(es, settings.index_articles))
    assert tagged.id not in ids and len(ids) == 200
    [letter] = [json.loads(r.value) for r in read_topic(settings, settings.topic_dlq, at_least=1, timeout_s=10)]
    assert letter["stage"] == "index"
    assert letter["key"] == tagged.id and letter["topic"] == settings.topic_enriched
    assert "tags" in letter["reason"] and "HTTP 400" in letter["reason"]
    assert json.loads(letter["payload"])["id"] == tagged.id


def test_an_invalid_record_goes_to_the_dlq_and_the_stream_continues(settings: Settings, es: Elasticsearch) -> None:
    from rasid.streams.publisher import RecordPublisher

    publisher = RecordPublisher(settings, client_id="test")
    publisher._producer.send(settings.topic_enriched, key=b"truncated", value=b'{"id": "x", "title": "\xd8\xa8')
    publisher._producer.flush()
    publisher.close()
    produce(settings, ant_articles(20, start=5000))
    with sink_running(settings, limits=BatchLimits(linger_s=0.1)):
        assert wait_for_count(es, settings.index_articles, 20) == 20
        wait_until(lambda: committed_lag(settings, settings.topic_enriched) == 0, what="offsets committed")
    [letter] = [json.loads(r.value) for r in read_topic(settings, settings.topic_dlq, at_least=1, timeout_s=10)]
    assert letter["key"] == "truncated" and "not a valid enriched article" in letter["reason"]


def test_two_sinks_in_one_group_share_the_work_without_duplicates(settings: Settings, es: Elasticsearch) -> None:
    articles = ant_articles(1500, start=100)
    produce(settings, articles[:750])
    settings = settings.model_copy(update={"sink_rebalance_stall_s": 10.0})  # a stall, should one come, ends in time
    with sink_running(settings, limits=BatchLimits(max_docs=200, linger_s=0.1)) as first:
        assert wait_for_count(es, settings.index_articles, 750) == 750
        wait_until(lambda: committed_lag(settings, settings.topic_enriched) == 0, timeout_s=60, what="first half committed")
        # A second sink joins: the first one's partitions are revoked and shared out. (It joins once the first has
        # committed: a join that crossed an offset commit in flight made noida-db's group stall in 2 of about 8 loaded
        # full-suite runs, the commit answered IllegalGeneration and then neither sink owned a partition until one
        # left the group. Apache Kafka answers such a commit REBALANCE_IN_PROGRESS instead. The sinks now leave and
        # rejoin a stalled rebalance after `sink_rebalance_stall_s`: the next test.)
        with sink_running(settings, limits=BatchLimits(max_docs=200, linger_s=0.1)) as second:
            wait_until(lambda: _owns_enriched(first, settings) and _owns_enriched(second, settings), timeout_s=60,
                       what="both sinks owning partitions of the enriched topic")
            produce(settings, articles[750:])
            indexed = wait_for_count(es, settings.index_articles, 1500)
            assert indexed == 1500, "; ".join(
                f"{name}: {sink.stats}, owns {sorted((tp.topic, tp.partition) for tp in sink.consumer.assignment())}"
                for name, sink in (("first", first), ("second", second)))
            wait_until(lambda: committed_lag(settings, settings.topic_enriched) == 0, timeout_s=60,
                       what="offsets committed by both")
            assert second.stats.articles > 0 and first.stats.articles > 750  # the second half was shared
    assert sorted(indexed_ids(es, settings.index_articles)) == sorted(a.id for a in articles)


def test_a_rebalance_that_never_assigns_the_sink_is_left_and_rejoined(
    settings: Settings, es: Elasticsearch, caplog: pytest.LogCaptureFixture,
) -> None:
    # The stall seen on noida-db (a join crossing an offset commit): the group takes this sink's partitions away and
    # never hands any back. Here the revocation is the call kafka-python makes when a rebalance begins (made from this
    # thread while nothing new arrives, as the consumer fetches nothing once a rebalance has begun), with no
    # assignment after it; the sink must leave the group, join it again and index every article once. (That leaving
    # ends a real noida-db stall was shown by load runs, not by this test.)
    articles = ant_articles(400, start=5600)
    produce(settings, articles[:200])
    stalled_before = REGISTRY.get_sample_value("rasid_stage_errors_total", {"stage": "index", "kind": "rebalance_stalled"}) or 0
    quick = settings.model_copy(update={"sink_rebalance_stall_s": 3.0})
    with sink_running(quick, limits=BatchLimits(max_docs=50, linger_s=0.05)) as sink:
        assert wait_for_count(es, settings.index_articles, 200) == 200
        first_consumer = sink.consumer
        with caplog.at_level("WARNING", logger="rasid.sink"):
            sink._on_revoked(set(first_consumer.assignment()))
            wait_until(lambda: sink.consumer is not first_consumer and _owns_enriched(sink, settings), timeout_s=30,
                       what="the sink back in its group with partitions")
        assert any("joining it again" in r.getMessage() for r in caplog.records)
        stalled = REGISTRY.get_sample_value("rasid_stage_errors_total", {"stage": "index", "kind": "rebalance_stalled"})
        assert stalled is not None and stalled > stalled_before
        produce(settings, articles[200:])
        assert wait_for_count(es, settings.index_articles, 400) == 400
        wait_until(lambda: committed_lag(settings, settings.topic_enriched) == 0, timeout_s=60, what="offsets committed")
    assert sorted(indexed_ids(es, settings.index_articles)) == sorted(a.id for a in articles)


def _owns_enriched(sink: ElasticsearchSink, settings: Settings) -> bool:
    return any(tp.topic == settings.topic_enriched for tp in sink.consumer.assignment())


def test_busy_and_failing_answers_are_retried_with_backoff(settings: Settings) -> None:
    articles = ant_articles(300, start=5100)
    produce(settings, articles)
    faults = Faults(refuse_first_bulks=[429, 503, 429])
    with faulty_proxy(settings.elasticsearch_url, faults) as url:
        through_proxy = settings.model_copy(update={"elasticsearch_url": url})
        es = Elasticsearch(settings.elasticsearch_url)
        with sink_running(through_proxy, limits=BatchLimits(max_docs=1000, linger_s=0.2),
                          backoff=Backoff(initial_s=0.1, max_s=1.0)) as sink:
            assert wait_for_count(es, settings.index_articles, 300) == 300
            wait_until(lambda: committed_lag(settings, settings.topic_enriched) == 0, what="offsets committed")
            assert sink.writer.retries == 3
    assert faults.bulk_requests >= 4
    assert sorted(indexed_ids(es, settings.index_articles)) == sorted(a.id for a in articles)


def test_a_request_too_large_for_the_server_is_split_and_an_oversized_document_goes_to_the_dlq(
    settings: Settings,
) -> None:
    articles = ant_articles(120, start=5400)
    # One article far larger than the proxy's body limit (as nginx's client_max_body_size would refuse).
    huge = articles[60] = articles[60].model_copy(update={"content": " ".join(a.content for a in articles) * 3})
    limit = 200_000
    assert len(huge.model_dump_json().encode()) > limit
    produce(settings, articles)
    faults = Faults(max_bulk_bytes=limit)
    with faulty_proxy(settings.elasticsearch_url, faults) as url:
        through_proxy = settings.model_copy(update={"elasticsearch_url": url})
        es = Elasticsearch(settings.elasticsearch_url)
        with sink_running(through_proxy, limits=BatchLimits(max_docs=1000, linger_s=0.3)):
            assert wait_for_count(es, settings.index_articles, 119) == 119
            wait_until(lambda: committed_lag(settings, settings.topic_enriched) == 0, what="offsets committed")
    assert max(faults.bulk_bodies) <= limit
    assert huge.id not in indexed_ids(es, settings.index_articles)
    [letter] = [json.loads(r.value) for r in read_topic(settings, settings.topic_dlq, at_least=1, timeout_s=10)]
    assert letter["key"] == huge.id and "HTTP 413" in letter["reason"] and "too large" in letter["reason"]
