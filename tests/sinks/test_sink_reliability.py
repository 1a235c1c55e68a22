"""The sink's guarantees under failure, against real servers: a kill -9 mid-stream, an Elasticsearch outage.

The outage lasts RASID_TEST_ES_OUTAGE_S seconds (default 30, as in issue 7; CI may shorten it).
"""

from __future__ import annotations

import os
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from rasid.embedded import NoidaServer
from rasid.embedded.noida import noida_binary
from rasid.embedded.supervisor import free_port
from rasid.settings import Settings
from rasid.sinks.batching import BatchLimits
from rasid.sinks.bulk_writer import Backoff
from rasid.streams.topics import ensure_topics
from tests.conftest import isolated_settings
from tests.sinks.ant import ant_articles, produce
from tests.sinks.harness import committed_lag, count, indexed_ids, sink_process, sink_running, wait_for_count, wait_until

OUTAGE_S = float(os.environ.get("RASID_TEST_ES_OUTAGE_S", "30"))


def test_kill_9_mid_stream_then_restart_indexes_every_article_exactly_once(settings: Settings) -> None:
    es = Elasticsearch(settings.elasticsearch_url)
    ensure_topics(settings)
    articles = ant_articles(5000)
    assert len({a.id for a in articles}) == 5000
    produce(settings, articles)

    sink = sink_process(settings)
    sink.start()
    try:
        wait_until(lambda: count(es, settings.index_articles) >= 1000, timeout_s=60, what="indexing under way")
        sink.kill()  # SIGKILL: no flush, no commit, no goodbye to the group
        at_kill = count(es, settings.index_articles)
        assert at_kill < 5000, "the kill should land mid-stream"
        lag_at_kill = committed_lag(settings, settings.topic_enriched)
        assert lag_at_kill > 0
        print(f"killed with {at_kill} indexed and {lag_at_kill} records uncommitted")

        sink.start()
        assert wait_for_count(es, settings.index_articles, 5000, timeout_s=90) == 5000
        wait_until(lambda: committed_lag(settings, settings.topic_enriched) == 0, timeout_s=60, what="all committed")
    finally:
        sink.stop()

    ids = indexed_ids(es, settings.index_articles)
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert set(ids) == {a.id for a in articles}
    assert count(es, settings.index_articles) == 5000


@pytest.fixture
def own_noida(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NoidaServer]:
    """A noida-db of this test's own: its Elasticsearch service is stopped and started again."""
    server = NoidaServer(tmp_path_factory.mktemp("noida-outage"), free_port(), free_port())
    server.start()
    yield server
    server.stop()


def noida_service(server: NoidaServer, command: str, service: str = "elasticsearch") -> None:
    data_dir = Path(server.command[server.command.index("--data-dir") + 1])
    subprocess.run([noida_binary(), command, service, "--data-dir", str(data_dir)], check=True,
                   capture_output=True, timeout=60)


def test_an_elasticsearch_outage_is_waited_out_and_nothing_is_lost(own_noida: NoidaServer, tmp_path: Path) -> None:
    settings = isolated_settings(own_noida.kafka_bootstrap, own_noida.elasticsearch_url, tmp_path)
    es = Elasticsearch(settings.elasticsearch_url)
    ensure_topics(settings)
    before, during = ant_articles(800, start=0), ant_articles(800, start=800)
    produce(settings, before)

    with sink_running(settings, limits=BatchLimits(max_docs=200, linger_s=0.1),
                      backoff=Backoff(initial_s=0.2, max_s=3.0)) as sink:
        wait_until(lambda: count(es, settings.index_articles) >= 200, timeout_s=60, what="indexing under way")
        noida_service(own_noida, "stop")
        outage_started = time.monotonic()
        produce(settings, during)  # Kafka is up: the stream goes on while Elasticsearch is away
        wait_until(lambda: sink.writer.retries > 0, timeout_s=30, what="the sink to back off")
        lag_during = committed_lag(settings, settings.topic_enriched)
        time.sleep(max(0.0, OUTAGE_S - (time.monotonic() - outage_started)))
        assert committed_lag(settings, settings.topic_enriched) == lag_during > 0  # nothing committed unwritten
        noida_service(own_noida, "start")
        restarted = time.monotonic()

        assert wait_for_count(es, settings.index_articles, 1600, timeout_s=60) == 1600
        wait_until(lambda: committed_lag(settings, settings.topic_enriched) == 0, timeout_s=30, what="all committed")
        print(f"outage {restarted - outage_started:.1f}s, caught up {time.monotonic() - restarted:.1f}s after the restart, "
              f"{sink.writer.retries} retries")
        # It waited in its consumer group (partitions paused), instead of being dropped from it.
        assert sink.consumer.assignment()

    ids = indexed_ids(es, settings.index_articles)
    assert len(ids) == 1600 and set(ids) == {a.id for a in before + during}
