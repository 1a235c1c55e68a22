"""`rasid status` against real servers: throughput, lag per partition, the last dead letter, index counts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from elasticsearch import Elasticsearch
from rich.console import Console

from rasid.cli.status import render
from rasid.observability.pipeline_status import PipelineStatus, StatusReader
from rasid.pipeline.stages import stages_running
from rasid.settings import Settings
from rasid.sinks.index_templates import install_templates
from rasid.streams.publisher import RecordPublisher
from rasid.streams.topics import ensure_topics
from tests.conftest import read_topic
from tests.observability.ant_raw import raw_articles

pytestmark = pytest.mark.servers

STATUS_CLI = "import typer; from rasid.cli.status import status; app = typer.Typer(); app.command()(status); app()"


def send_raw(settings: Settings, count: int, start: int) -> list[str]:
    articles = raw_articles(count, start)
    publisher = RecordPublisher(settings, client_id="test")
    publisher.send_all(settings.topic_raw, [(a.id, a) for a in articles])
    publisher.close()
    return [a.id for a in articles]


def _caught_up(status: PipelineStatus, settings: Settings) -> bool:
    rows = [r for r in status.lag if r.topic == settings.topic_raw and r.group == settings.processor_group]
    return len(rows) == settings.partitions and not sum(r.lag for r in rows)


def test_status_shows_throughput_lag_last_error_and_counts(settings: Settings) -> None:
    ensure_topics(settings)
    es = Elasticsearch(settings.elasticsearch_url)
    install_templates(es, settings)
    send_raw(settings, 4, start=200)
    publisher = RecordPublisher(settings, client_id="test")
    publisher._producer.send(settings.topic_raw, key=b"broken-7", value=b"<rss>not json</rss>")
    publisher._producer.flush()
    publisher.close()

    with stages_running(settings, names=("processor",)):
        read_topic(settings, settings.topic_enriched, at_least=4, timeout_s=90)
        read_topic(settings, settings.topic_dlq, at_least=1, timeout_s=30)
        reader = StatusReader(settings, es)
        try:
            deadline = time.monotonic() + 20
            current, _ = reader.status(0.2)
            # Faust commits every second: until then the group has no offsets (no lag rows) or some lag.
            while time.monotonic() < deadline and not _caught_up(current, settings):
                current, _ = reader.status(0.5)
            # Throughput: six articles arrive while status measures.
            before = reader.snapshot()
            send_raw(settings, 6, start=300)
            read_topic(settings, settings.topic_enriched, at_least=10, timeout_s=60)
            measured, _ = reader.status(previous=before)
        finally:
            reader.close()

    assert current.totals == {"raw": 5, "enriched": 4, "alerts": 0, "dlq": 1, "sink_committed": 0}
    raw_lag = [row for row in current.lag if row.group == settings.processor_group]
    assert sorted(row.partition for row in raw_lag) == list(range(settings.partitions))
    assert sum(row.end_offset for row in raw_lag) == 5 and sum(row.lag for row in raw_lag) == 0
    assert all(row.group != settings.sink_group for row in current.lag)  # no sink ran: no sink rows
    assert current.last_error is not None
    assert current.last_error.stage == "enrich" and current.last_error.key == "broken-7"
    assert "not a valid article record" in current.last_error.reason
    assert current.index_counts == {settings.index_articles: 0, settings.index_threats: 0, settings.index_alerts: 0}
    assert round(measured.throughput_per_s["producer"] * measured.interval_s) == 6
    assert round(measured.throughput_per_s["processor"] * measured.interval_s) == 6

    console = Console(record=True, width=140)
    console.print(render(current))
    screen = console.export_text()
    assert settings.topic_raw in screen and "not a valid article record" in screen and settings.index_articles in screen


def test_status_command_prints_json(settings: Settings) -> None:
    ensure_topics(settings)
    send_raw(settings, 2, start=400)
    env = {**os.environ, **settings.as_env(), "RASID_METRICS_PORT_PRODUCER": "0", "RASID_METRICS_PORT_PROCESSOR": "0",
           "RASID_METRICS_PORT_SINK": "0"}
    result = subprocess.run([sys.executable, "-c", STATUS_CLI, "--json", "--interval", "0.3"], env=env,
                            capture_output=True, text=True, timeout=60, cwd=settings.data_dir)
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["totals"]["raw"] == 2
    assert data["last_error"] is None
    assert data["index_counts"] == {settings.index_articles: None, settings.index_threats: None,
                                    settings.index_alerts: None}
