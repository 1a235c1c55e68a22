"""The commands as a user types them: `rasid up/down`, `rasid run --once`, `rasid search`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from kafka import KafkaConsumer

from rasid.embedded.supervisor import free_port, pid_alive, port_open
from rasid.streams.topics import records_written


def rasid(args: list[str], env: dict[str, str], cwd: Path, timeout: float = 240,
          one_log: bool = False) -> subprocess.CompletedProcess[str]:
    """Run a command; `one_log`: stderr into stdout, as in `rasid run --once > run.log 2>&1`."""
    return subprocess.run(
        [sys.executable, "-m", "rasid.cli.main", *args],
        env={**os.environ, **env}, cwd=cwd, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if one_log else subprocess.PIPE, text=True, timeout=timeout,
    )


def embedded_env(tmp_path: Path) -> dict[str, str]:
    return {
        "RASID_EMBEDDED": "true",
        "RASID_EMBEDDED_KAFKA_PORT": str(free_port()),
        "RASID_EMBEDDED_ELASTICSEARCH_PORT": str(free_port()),
        "RASID_DATA_DIR": str(tmp_path / "var"),
    }


def alerts_written(env: dict[str, str], cwd: Path) -> int:
    """Records on news.alerts, read with the embedded servers started on their own."""
    assert rasid(["up"], env, cwd, timeout=60).returncode == 0
    consumer = KafkaConsumer(bootstrap_servers=f"127.0.0.1:{env['RASID_EMBEDDED_KAFKA_PORT']}")
    try:
        return records_written(consumer, "news.alerts")
    finally:
        consumer.close()
        rasid(["down"], env, cwd, timeout=60)


def test_run_once_indexes_every_bundled_sample_article(tmp_path: Path) -> None:
    env = embedded_env(tmp_path)
    # Two processors share the enrichment (one consumer group); every article is still indexed once.
    first = rasid(["run", "--once", "--processors", "2"], env, tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    assert (tmp_path / "var" / "run" / "processor-2.log").exists()
    summary = json.loads(first.stdout.strip().splitlines()[-1])
    assert {"feeds", "articles", "indexed", "entities", "threats", "alerts", "dlq"} <= summary.keys()
    assert summary["feeds"] == 5
    assert summary["articles"] == summary["indexed"] == summary["produced"] == 150
    assert summary["dlq"] == 0 and summary["feed_errors"] == {}
    # The sample rules fire on the sample feeds, and the count is final: the run waited for the alert stage.
    assert summary["alerts"] > 0 and summary["alerts_pending"] == 0

    # Nothing is left running: the servers and stages started by `run` were stopped.
    kafka_port = int(env["RASID_EMBEDDED_KAFKA_PORT"])
    assert not port_open("127.0.0.1", kafka_port)
    assert not list((tmp_path / "var" / "run").glob("*.pid"))

    # The count is the stage's whole output, not a snapshot taken while it was still evaluating.
    assert alerts_written(env, tmp_path) == summary["alerts"]

    # The Faust stages log like the others: JSON lines, no terminal escape codes; the log notifier's line
    # for each alert carries its article and rule.
    for stage in ("processor", "alerts"):
        log = (tmp_path / "var" / "run" / f"{stage}.log").read_text(encoding="utf-8")
        assert "\x1b" not in log
        assert all(line.startswith("{") for line in log.splitlines() if line.strip()), log[:500]
    logged = [json.loads(line) for line in (tmp_path / "var" / "run" / "alerts.log").read_text(encoding="utf-8").splitlines()
              if line.startswith('{"event": "ALERT ')]
    assert logged and all(line["stage"] == "alerts" and line["level"] == "warning" for line in logged)
    assert all(json.loads(line["event"].removeprefix("ALERT "))["article_id"] == line["article_id"] for line in logged)

    # A second run finds everything already indexed and sends nothing again. Its progress table and
    # JSON summary share one log here: the summary is still a line of its own.
    second = rasid(["run", "--once"], env, tmp_path, one_log=True)
    assert "indexed" in second.stdout and "│" in second.stdout
    again = json.loads(second.stdout.strip().splitlines()[-1])
    assert again["produced"] == 0 and again["indexed"] == 150
    assert again["alerts"] == 0  # nothing left over from the first run's alerting

    found = rasid(["search", "خاشقجي", "-n", "3"], env, tmp_path)
    assert found.returncode == 0, found.stderr
    assert "خاشقجي" in found.stdout and "«" in found.stdout


def test_run_once_restarts_a_stage_killed_mid_run_and_still_indexes_everything(tmp_path: Path) -> None:
    env = embedded_env(tmp_path)
    run = subprocess.Popen([sys.executable, "-m", "rasid.cli.main", "run", "--once"], env={**os.environ, **env},
                           cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sink_pid = tmp_path / "var" / "run" / "sink.pid"
    deadline = time.monotonic() + 60
    while not sink_pid.exists() and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.05)
    os.kill(int(sink_pid.read_text()), signal.SIGKILL)  # as the OOM killer would
    out, err = run.communicate(timeout=240)
    assert run.returncode == 0, err[-2000:]
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["indexed"] == summary["articles"] == 150
    assert "the sink stage exited with code -9; restarting it (1 of 5)" in err


def test_up_and_down_supervise_the_embedded_server(tmp_path: Path) -> None:
    env = embedded_env(tmp_path)
    up = rasid(["up"], env, tmp_path, timeout=60)
    assert up.returncode == 0, up.stderr
    pid_file = tmp_path / "var" / "run" / "noida-db.pid"
    pid = int(pid_file.read_text())
    try:
        assert pid_alive(pid)
        assert port_open("127.0.0.1", int(env["RASID_EMBEDDED_KAFKA_PORT"]))
        assert port_open("127.0.0.1", int(env["RASID_EMBEDDED_ELASTICSEARCH_PORT"]))
        assert "news.raw" in up.stderr  # the topics were created and reported
    finally:
        down = rasid(["down"], env, tmp_path, timeout=60)
    assert down.returncode == 0
    assert not pid_alive(pid)
    assert not pid_file.exists()


def test_an_invalid_feeds_file_is_refused_with_a_readable_error(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("feeds:\n  - url: ftp://example.org/rss\n    source: x\n", encoding="utf-8")
    result = rasid(["run", "--once", "--feeds", str(feeds)], embedded_env(tmp_path), tmp_path, timeout=60)
    assert result.returncode == 2
    assert "feeds.0.url" in result.stderr and "http(s):// or file://" in result.stderr


def test_producer_alone_polls_the_feeds_and_stops_cleanly_on_sigterm(noida, tmp_path: Path) -> None:
    import signal

    from tests.conftest import isolated_settings, read_topic

    settings = isolated_settings(noida.kafka_bootstrap, noida.elasticsearch_url, tmp_path / "var")
    process = subprocess.Popen(
        [sys.executable, "-m", "rasid.cli.main", "producer"],
        env={**os.environ, **settings.as_env()}, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        records = read_topic(settings, settings.topic_raw, at_least=150, timeout_s=60)
        assert len(records) == 150
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "150 new articles" in err


def test_run_keeps_going_until_ctrl_c_then_stops_everything_it_started(tmp_path: Path) -> None:
    import signal
    import time

    from elasticsearch import Elasticsearch

    env = embedded_env(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "rasid.cli.main", "run"],
        env={**os.environ, **env}, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    es = Elasticsearch(f"http://127.0.0.1:{env['RASID_EMBEDDED_ELASTICSEARCH_PORT']}")
    indexed = 0
    try:
        deadline = time.monotonic() + 120
        while indexed < 150 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(1)
            try:
                indexed = int(es.count(index="rasid-articles")["count"])
            except Exception:  # noqa: BLE001 - servers still starting
                pass
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    assert indexed == 150, err[-2000:]
    assert process.returncode == 0, err[-2000:]
    assert "stopped" in err
    assert not port_open("127.0.0.1", int(env["RASID_EMBEDDED_KAFKA_PORT"]))
    assert not list((tmp_path / "var" / "run").glob("*.pid"))
