"""/metrics of a real processor after real work, and structured logs that carry the article id."""

from __future__ import annotations

import io
import json
import logging
import sys
import time
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from rasid.embedded.supervisor import SupervisedProcess, free_port
from rasid.observability.consumer_lag import ConsumerLagCollector, consumer_lag
from rasid.observability.structured_logging import article_context, configure_structured_logging
from rasid.settings import Settings
from rasid.streams.publisher import RecordPublisher
from rasid.streams.topics import ensure_topics
from tests.conftest import read_topic
from tests.observability.ant_raw import raw_articles

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(port: int) -> Samples:
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def lag_total(samples: Samples, topic: str) -> float:
    return sum(v for (name, labels), v in samples.items() if name == "rasid_consumer_lag" and ("topic", topic) in labels)


def processor_process(settings: Settings, metrics_port: int, log_level: str = "DEBUG") -> SupervisedProcess:
    return SupervisedProcess(
        name="processor",
        command=[sys.executable, "-m", "rasid.cli.main", "processor", "--log-level", log_level],
        run_dir=settings.data_dir / "run",
        ports={"metrics": metrics_port},  # ready when /metrics answers
        env={**settings.as_env(), "RASID_METRICS_PORT_PROCESSOR": str(metrics_port), "RASID_LOG_FORMAT": "json"},
    )


@pytest.mark.servers
def test_processor_metrics_count_real_articles_dead_letters_lag_and_latency(settings: Settings) -> None:
    ensure_topics(settings)
    articles = raw_articles(6, start=40)
    publisher = RecordPublisher(settings, client_id="test")
    publisher.send_all(settings.topic_raw, [(a.id, a) for a in articles])
    publisher._producer.send(settings.topic_raw, key=b"broken-1", value=b'{"id": "broken-1", "title": ')
    publisher._producer.flush()
    publisher.close()

    port = free_port()
    process = processor_process(settings, port)
    process.start(timeout=60)
    try:
        read_topic(settings, settings.topic_enriched, at_least=6, timeout_s=90)
        deadline = time.monotonic() + 30
        samples = scrape(port)
        # Faust commits every second: wait until the lag the processor reports for news.raw is gone.
        while time.monotonic() < deadline and (
            value(samples, "rasid_stage_records_out_total", stage="enrich", kind="article") < 6
            or lag_total(samples, settings.topic_raw) > 0
        ):
            time.sleep(1)
            samples = scrape(port)
    finally:
        process.stop()

    assert value(samples, "rasid_stage_records_in_total", stage="enrich") == 7
    assert value(samples, "rasid_stage_records_out_total", stage="enrich", kind="article") == 6
    assert value(samples, "rasid_dead_letters_total", stage="enrich") == 1
    assert value(samples, "rasid_stage_errors_total", stage="enrich", kind="invalid_record") == 1
    assert value(samples, "rasid_article_hop_seconds_count", hop="fetched_to_enriched") == 6
    assert value(samples, "rasid_enrich_seconds_count") == 6
    partitions = {labels for (name, labels) in samples if name == "rasid_consumer_lag"}
    assert len(partitions) == settings.partitions  # one series per partition of news.raw
    assert lag_total(samples, settings.topic_raw) == 0
    ends = sum(v for (name, labels), v in samples.items() if name == "rasid_topic_end_offset")
    assert ends == 7

    lines = [json.loads(line) for line in process.log_file.read_text(encoding="utf-8").splitlines()
             if line.startswith("{")]
    enriched_lines = {line["article_id"] for line in lines if line["event"].startswith("enriched:")}
    assert enriched_lines == {a.id for a in articles}
    rejected = [line for line in lines if "rejected" in line["event"]]
    assert [(line["level"], line["article_id"], line["stage"]) for line in rejected] == [("error", "broken-1", "processor")]


@pytest.mark.servers
def test_lag_is_the_records_a_group_has_not_committed(settings: Settings) -> None:
    from kafka import KafkaConsumer

    ensure_topics(settings)
    publisher = RecordPublisher(settings, client_id="test")
    publisher.send_all(settings.topic_raw, [(a.id, a) for a in raw_articles(5)])
    publisher.close()

    before = consumer_lag(settings.bootstrap_servers, "lag-test", [settings.topic_raw])
    assert sum(row.lag for row in before) == 5 and all(row.committed is None for row in before)

    consumer = KafkaConsumer(settings.topic_raw, bootstrap_servers=settings.bootstrap_servers, group_id="lag-test",
                             auto_offset_reset="earliest", enable_auto_commit=False)
    seen = 0
    deadline = time.monotonic() + 30
    while seen < 3 and time.monotonic() < deadline:
        for records in consumer.poll(timeout_ms=500, max_records=3 - seen).values():
            seen += len(records)
    consumer.commit()
    consumer.close()

    after = consumer_lag(settings.bootstrap_servers, "lag-test", [settings.topic_raw])
    assert sum(row.lag for row in after) == 2
    family = {f.name: f for f in ConsumerLagCollector(settings.bootstrap_servers, "lag-test", [settings.topic_raw]).collect()}
    assert sum(s.value for s in family["rasid_consumer_lag"].samples) == 2


def test_json_logs_carry_the_article_id_on_stdlib_lines(tmp_path: Path) -> None:
    stream = io.StringIO()
    configure_structured_logging("INFO", fmt="json", stream=stream)
    try:
        # Real id and title from the ANT corpus (AL-culture-100-20180227).
        with article_context("AL-culture-100-20180227"):
            logging.getLogger("rasid.sink").warning("refused %s", "المغني إد شيران الأفضل مبيعاً عالمياً في 2017")
        logging.getLogger("rasid.sink").info("outside")
    finally:
        logging.getLogger().handlers.clear()
    inside, outside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert inside["article_id"] == "AL-culture-100-20180227"
    assert inside["event"] == "refused المغني إد شيران الأفضل مبيعاً عالمياً في 2017"  # readable UTF-8
    assert inside["level"] == "warning" and inside["logger"] == "rasid.sink" and inside["ts"].endswith("Z")
    assert "article_id" not in outside


def test_a_taken_metrics_port_is_reported_and_the_stage_runs_on(monkeypatch: pytest.MonkeyPatch,
                                                                caplog: pytest.LogCaptureFixture, tmp_path: Path) -> None:
    import socket

    from rasid.observability.metrics_server import serve_metrics

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        monkeypatch.setenv("RASID_METRICS_PORT_PRODUCER", str(taken.getsockname()[1]))
        settings = Settings(_env_file=None, embedded=False, data_dir=tmp_path)  # type: ignore[call-arg]
        with caplog.at_level(logging.WARNING, logger="rasid.observability.metrics"):
            assert serve_metrics("producer", settings) is None
    assert "RASID_METRICS_PORT_PRODUCER" in caplog.text

    port = free_port()
    monkeypatch.setenv("RASID_METRICS_PORT_PRODUCER", str(port))
    settings = Settings(_env_file=None, embedded=False, data_dir=tmp_path)  # type: ignore[call-arg]
    assert serve_metrics("producer", settings) == port
    import rasid.producers.producer_metrics  # noqa: F401 - the producer's own counters are on the same registry

    assert ("rasid_articles_produced_total", ()) in scrape(port)
