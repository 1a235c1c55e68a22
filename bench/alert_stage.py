"""CPU per article of the alert stage, and of the broker serving it, with the sample rules against none.

Starts noida-db on free ports, writes N enriched real articles (ANT corpus, /work/shared/data/news/
ant-articles.jsonl, enriched once by this script and cached under the temp dir) to `news.enriched`, runs
the alert stage (`python -m rasid.cli.main alerts`, as `rasid run` does) until its consumer group has no
lag on `news.enriched` and its rules input, and reads the CPU time the stage and noida-db spent. Twice,
each time with a fresh consumer group: with an empty rules directory (the baseline: reading, forwarding
and parsing every article) and with the bundled sample rules (evaluation and rule state: every state
write is a changelog record). A draining stage reads in bigger batches than one fed 100 articles a
second, so its figures are lower than `bench/e2e.py`'s; this bench isolates the stage.

    nice -n 10 .venv/bin/python bench/alert_stage.py [--articles 2000]

Last stdout line: {"articles", "baseline_ms_per_article", "rules_ms_per_article", "ratio",
                   "noida_baseline_ms_per_article", "noida_rules_ms_per_article", "alerts"}
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psutil
from kafka import KafkaConsumer, KafkaProducer

import rasid.samples
from rasid.embedded import NoidaServer
from rasid.embedded.supervisor import SupervisedProcess, free_port
from rasid.observability.consumer_lag import LagReader
from rasid.pipeline.progress import alert_stage_backlog
from rasid.pipeline.stages import processes_running
from rasid.records import EnrichedArticle
from rasid.settings import Settings
from rasid.streams.topics import ensure_topics, records_written

ANT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news" / "ant-articles.jsonl"
WARM_UP = 20


def enriched_articles(limit: int, cache: Path) -> list[bytes]:
    """Up to `limit` distinct ANT articles, enriched (cached: enriching is not what this bench measures)."""
    if not cache.exists():
        from rasid.nlp.enrichment import enrich
        from rasid.samples.ant_corpus import article_from_ant_row

        with ANT.open(encoding="utf-8") as rows, cache.open("w", encoding="utf-8") as out:
            for line in itertools.islice(rows, limit):
                out.write(enrich(article_from_ant_row(json.loads(line))).model_dump_json() + "\n")
    return [line.encode() for line in cache.read_text(encoding="utf-8").splitlines()]


def cpu_seconds(process: psutil.Process) -> float:
    return sum(sum(p.cpu_times()[:4]) for p in [process, *process.children(recursive=True)])


def noida_process(data_dir: Path) -> psutil.Process:
    for process in psutil.process_iter(["cmdline"]):
        command = " ".join(process.info["cmdline"] or [])
        if "noida-db" in command and str(data_dir) in command:
            return process
    raise RuntimeError("noida-db process not found")


def send(producer: KafkaProducer, topic: str, records: list[bytes]) -> None:
    for record in records:
        article_id = uuid.uuid4().hex  # a fresh article each time: no replay shortcuts
        value = EnrichedArticle.model_validate_json(record).model_copy(update={"id": article_id})
        producer.send(topic, key=article_id.encode(), value=value.model_dump_json().encode())
    producer.flush()


def drain(settings: Settings, producer: KafkaProducer, records: list[bytes],
          noida: psutil.Process) -> tuple[float, float, int]:
    """(stage CPU ms, noida CPU ms) per article for evaluating `records`, and the alerts written."""
    stage = SupervisedProcess(name="alerts", command=[sys.executable, "-m", "rasid.cli.main", "alerts"],
                              run_dir=settings.data_dir / "run", ports={}, env=settings.as_env())
    lag = LagReader(settings.bootstrap_servers, settings.alerts_group)
    offsets = KafkaConsumer(bootstrap_servers=settings.bootstrap_servers, enable_auto_commit=False)
    def wait_until_evaluated() -> None:
        while alert_stage_backlog(lag, settings):
            time.sleep(0.1)

    try:
        with processes_running([stage]) as started:
            send(producer, settings.topic_enriched, records[:WARM_UP])
            wait_until_evaluated()
            time.sleep(1.5)  # the stage's first commit and timer tick are behind it
            worker = psutil.Process(started[0].running_pid())
            alerts_before = records_written(offsets, settings.topic_alerts)
            stage_cpu, noida_cpu = cpu_seconds(worker), cpu_seconds(noida)
            send(producer, settings.topic_enriched, records)
            wait_until_evaluated()
            stage_ms = (cpu_seconds(worker) - stage_cpu) * 1000 / len(records)
            noida_ms = (cpu_seconds(noida) - noida_cpu) * 1000 / len(records)
            alerts = records_written(offsets, settings.topic_alerts) - alerts_before
    finally:
        lag.close()
        offsets.close()
    return stage_ms, noida_ms, alerts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="enriched articles each run evaluates")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rasid-alert-stage-"))
    records = enriched_articles(args.articles, Path(tempfile.gettempdir()) / f"rasid-enriched-{args.articles}.jsonl")
    noida = NoidaServer(work / "noida", free_port(), free_port())
    noida.start(timeout=60)
    os.environ["RASID_METRICS_PORT_ALERTS"] = "0"  # a developer's pipeline may hold the default port
    try:
        noida_proc = noida_process(work / "noida")
        producer = KafkaProducer(bootstrap_servers=noida.kafka_bootstrap, linger_ms=20, max_request_size=8 << 20)
        empty = work / "no-rules"
        empty.mkdir()
        sample_rules = Path(rasid.samples.__file__).parent / "rules"
        figures = {}
        for name, rules_dir in (("baseline", empty), ("rules", sample_rules)):
            settings = Settings(_env_file=None, embedded=False, kafka_bootstrap=noida.kafka_bootstrap,  # type: ignore[call-arg]
                                elasticsearch_url=noida.elasticsearch_url, data_dir=work / name,
                                processor_group=f"bench-{name}-{uuid.uuid4().hex[:6]}", rules_dir=rules_dir)
            ensure_topics(settings)
            figures[name] = drain(settings, producer, records, noida_proc)
            print(f"{name}: alert stage {figures[name][0]:.2f} ms/article, noida-db {figures[name][1]:.2f} ms/article, "
                  f"{figures[name][2]} alerts", flush=True)
        producer.close()
    finally:
        noida.stop()
    baseline, rules = figures["baseline"], figures["rules"]
    print(json.dumps({
        "articles": len(records),
        "baseline_ms_per_article": round(baseline[0], 3),
        "rules_ms_per_article": round(rules[0], 3),
        "ratio": round(rules[0] / baseline[0], 2) if baseline[0] else None,
        "noida_baseline_ms_per_article": round(baseline[1], 3),
        "noida_rules_ms_per_article": round(rules[1], 3),
        "alerts": rules[2],
    }))


if __name__ == "__main__":
    main()
