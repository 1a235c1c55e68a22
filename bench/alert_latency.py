"""Alert latency on the embedded default: an article lands on `news.raw`, a webhook receives its alert.

Starts noida-db (Kafka + Elasticsearch APIs) on free ports, the enrichment
processor (`python -m rasid.processors.worker`) and the alert stage
(`python -m rasid.processors.alert_agent`) as child processes, and a local HTTP
receiver; then sends real ANT articles
(politics/world categories) to `news.raw` at a steady rate and measures, per
alert, the time from just before the send to the webhook call arriving.

    nice -n 10 .venv/bin/python bench/alert_latency.py [--rate 50] [--seconds 20]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from kafka import KafkaConsumer, KafkaProducer

from rasid.embedded import NoidaServer
from rasid.embedded.supervisor import free_port
from rasid.records import Article
from rasid.samples.ant_corpus import article_from_ant_row
from rasid.settings import Settings
from rasid.streams.topics import ensure_topics

ANT = Path("/work/shared/data/news/ant-articles.jsonl")
RULE = """name: World politics
type: keyword
query: 'إيران OR العراق OR سوريا OR روسيا OR ترامب OR الخليج OR إسرائيل OR اليمن'
realert: 0m
alert: [post]
http_post_url: ${RASID_BENCH_HOOK_URL}
http_post_timeout: 5
"""


class Receiver:
    """Webhook receiver: arrival time per article id."""

    def __init__(self) -> None:
        self.arrivals: dict[str, float] = {}
        self.created: dict[str, float] = {}  # when the rule engine made the alert
        self.calls = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                at = time.time()
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                receiver.calls += 1
                article_id = body.get("article_id") or ""
                receiver.arrivals.setdefault(article_id, at)
                receiver.created.setdefault(article_id, datetime.fromisoformat(body["created_at"]).timestamp())
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


def articles(limit: int) -> list[Article]:
    out = []
    run = uuid.uuid4().hex[:8]
    with ANT.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["category"] not in ("middleEast", "internationalNews"):
                continue
            url = f"{row['url']}#{run}"  # fresh ids each run
            out.append(article_from_ant_row(row, article_id=hashlib.sha256(url.encode()).hexdigest()[:32], url=url))
            if len(out) >= limit:
                break
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=50.0, help="articles per second")
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rasid-alert-latency-"))
    server = NoidaServer(work / "noida", free_port(), free_port())
    server.start()
    workers: list[subprocess.Popen] = []
    try:
        tag = uuid.uuid4().hex[:8]
        settings = Settings(_env_file=None, embedded=False, kafka_bootstrap=server.kafka_bootstrap,  # type: ignore[call-arg]
                            elasticsearch_url=server.elasticsearch_url, data_dir=work,
                            topic_raw=f"news.raw.{tag}", topic_enriched=f"news.enriched.{tag}",
                            topic_alerts=f"news.alerts.{tag}", topic_dlq=f"news.dlq.{tag}",
                            processor_group=f"rasid-enrich-{tag}")
        ensure_topics(settings)
        rules = work / "rules"
        rules.mkdir()
        (rules / "world.yaml").write_text(RULE, encoding="utf-8")
        receiver = Receiver()
        env = {**os.environ, **settings.as_env(), "RASID_RULES_DIR": str(rules), "RASID_BENCH_HOOK_URL": receiver.url}
        # The two stages as `rasid run` would start them: enrichment, and the alert agents apart.
        workers = [subprocess.Popen([sys.executable, "-m", module], env=env, cwd=work,
                                    stdout=(work / f"{module}.log").open("wb"), stderr=subprocess.STDOUT)
                   for module in ("rasid.processors.worker", "rasid.processors.alert_agent")]
        enriched_seen: dict[str, float] = {}

        def watch_enriched() -> None:  # when each article appears on news.enriched
            consumer = KafkaConsumer(settings.topic_enriched, bootstrap_servers=settings.bootstrap_servers,
                                     auto_offset_reset="earliest", enable_auto_commit=False, fetch_max_wait_ms=20)
            while True:
                for records in consumer.poll(timeout_ms=100).values():
                    for record in records:
                        enriched_seen.setdefault(record.key.decode(), record.timestamp / 1000)

        threading.Thread(target=watch_enriched, daemon=True).start()
        producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers, acks="all", linger_ms=0)
        batch = articles(int(args.rate * args.seconds) + 20)
        warmup, measured = batch[:20], batch[20:]

        def send(article: Article) -> float:
            at = time.time()
            producer.send(settings.topic_raw, key=article.id.encode(), value=article.model_dump_json().encode())
            return at

        for article in warmup:  # until the worker is up and has alerted once
            send(article)
        producer.flush()
        deadline = time.monotonic() + 120
        while not receiver.arrivals and time.monotonic() < deadline:
            time.sleep(0.2)
        if not receiver.arrivals:
            raise SystemExit(f"no alert within 120 s; see the logs in {work}")
        time.sleep(2)
        sent: dict[str, float] = {}
        interval = 1.0 / args.rate
        start = time.monotonic()
        for i, article in enumerate(measured):
            delay = start + i * interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            sent[article.id] = send(article)
        producer.flush()
        took = time.monotonic() - start
        time.sleep(5)
        latencies = [(receiver.arrivals[a] - sent[a]) * 1000 for a in sent if a in receiver.arrivals]
        if not latencies:
            raise SystemExit("no alert for the measured articles")
        print(f"{len(measured)} articles at {len(measured) / took:.1f}/s on news.raw; {len(latencies)} alerts "
              f"({receiver.calls} webhook calls in all)")
        to_enriched = [(enriched_seen[a] - sent[a]) * 1000 for a in sent if a in enriched_seen and a in receiver.created]
        to_rule = [(receiver.created[a] - enriched_seen[a]) * 1000 for a in sent
                   if a in receiver.created and a in enriched_seen]
        print(f"  news.raw → news.enriched (enrichment stage): p50 {statistics.median(to_enriched):.0f} ms, "
              f"p95 {percentile(to_enriched, 0.95):.0f} ms")
        to_hook = [(receiver.arrivals[a] - receiver.created[a]) * 1000 for a in sent if a in receiver.created]
        print(f"  news.enriched → alert made (forward, rules): p50 {statistics.median(to_rule):.0f} ms, "
              f"p95 {percentile(to_rule, 0.95):.0f} ms")
        print(f"  alert made → webhook (news.alerts, ledger, call): p50 {statistics.median(to_hook):.0f} ms, "
              f"p95 {percentile(to_hook, 0.95):.0f} ms")
        print(f"latency news.raw → webhook: p50 {statistics.median(latencies):.0f} ms, "
              f"p95 {percentile(latencies, 0.95):.0f} ms, max {max(latencies):.0f} ms")
        print(json.dumps({"p50_ms": round(statistics.median(latencies), 1),
                          "p95_ms": round(percentile(latencies, 0.95), 1), "alerts": len(latencies),
                          "rate": args.rate, "articles": len(measured)}))
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(20)
            except subprocess.TimeoutExpired:
                worker.kill()
        server.stop()


if __name__ == "__main__":
    main()
