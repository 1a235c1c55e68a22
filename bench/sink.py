"""Sink throughput against a plain `_bulk` loop, same documents, same server, one run.

Starts its own noida-db (Kafka + Elasticsearch APIs) on free ports, turns real ANT articles
(/work/shared/data/news/ant-articles.jsonl) into `news.enriched` records, then, in alternating rounds:
- raw:  the articles, already in memory, shaped by `article_document` (the same function the sink uses,
  which runs the Arabic analyzer for `search_terms`) and sent with `_bulk` in chunks of the sink's batch size;
- sink: the records on Kafka consumed, parsed, batched and indexed by `ElasticsearchSink`'s own loop
  (consumer group join included; template setup excluded, as for raw), until every one is indexed.
Each round writes fresh indices. Prints the best round of each; last line:
{"ratio": sink/raw, "sink_docs_per_s": …, "raw_docs_per_s": …}

    .venv/bin/python bench/sink.py [--docs 5000] [--rounds 2] [--batch 1000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from elasticsearch import Elasticsearch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rasid.embedded import NoidaServer  # noqa: E402
from rasid.embedded.supervisor import free_port  # noqa: E402
from rasid.records import EnrichedArticle  # noqa: E402
from rasid.settings import Settings  # noqa: E402
from rasid.sinks.article_document import article_document  # noqa: E402
from rasid.sinks.batching import BatchLimits  # noqa: E402
from rasid.sinks.elasticsearch_sink import ElasticsearchSink  # noqa: E402
from rasid.sinks.index_templates import install_templates  # noqa: E402
from rasid.streams.topics import ensure_topics  # noqa: E402
from tests.sinks.ant import ant_articles, produce  # noqa: E402


def round_settings(server: NoidaServer, data_dir: Path) -> Settings:
    tag = uuid.uuid4().hex[:8]
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        embedded=False, kafka_bootstrap=server.kafka_bootstrap, elasticsearch_url=server.elasticsearch_url,
        data_dir=data_dir, topic_enriched=f"bench.enriched.{tag}", topic_alerts=f"bench.alerts.{tag}",
        topic_dlq=f"bench.dlq.{tag}", topic_raw=f"bench.raw.{tag}", index_articles=f"bench-articles-{tag}",
        index_threats=f"bench-threats-{tag}", index_alerts=f"bench-alerts-{tag}", sink_group=f"bench-sink-{tag}",
    )


def raw_round(es: Elasticsearch, settings: Settings, articles: list[EnrichedArticle], batch: int) -> float:
    install_templates(es, settings)
    started = time.perf_counter()
    for start in range(0, len(articles), batch):
        operations: list[dict[str, Any]] = []
        for article in articles[start:start + batch]:
            operations += [{"index": {"_index": settings.index_articles, "_id": article.id}}, article_document(article)]
        response = es.bulk(operations=operations)
        if response["errors"]:
            raise RuntimeError("raw bulk had errors")
    return time.perf_counter() - started


def sink_round(es: Elasticsearch, settings: Settings, articles: list[EnrichedArticle], batch: int) -> float:
    ensure_topics(settings)
    produce(settings, articles)
    sink = ElasticsearchSink(settings, es=es, limits=BatchLimits(max_docs=batch, linger_s=0.5))
    try:
        sink.setup()
        started = time.perf_counter()
        polled = 0
        while polled < len(articles):  # the loop of ElasticsearchSink.run(), ending when all is read
            polled += sink.poll_once()
        sink.flush()  # what run() does on stop: wait for the batch in flight, write the rest, commit
        elapsed = time.perf_counter() - started
        assert sink.stats.articles == len(articles), sink.stats
        return elapsed
    finally:
        sink.close()


def count(es: Elasticsearch, index: str) -> int:
    es.indices.refresh(index=index)
    return int(es.count(index=index)["count"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()

    articles = ant_articles(args.docs)
    with tempfile.TemporaryDirectory(prefix="rasid-bench-sink-") as tmp:
        server = NoidaServer(Path(tmp), free_port(), free_port())
        server.start()
        try:
            es = Elasticsearch(server.elasticsearch_url, request_timeout=60)
            raw_times, sink_times = [], []
            for number in range(1, args.rounds + 1):
                raw = round_settings(server, Path(tmp))
                raw_times.append(raw_round(es, raw, articles, args.batch))
                through_sink = round_settings(server, Path(tmp))
                sink_times.append(sink_round(es, through_sink, articles, args.batch))
                assert count(es, raw.index_articles) == count(es, through_sink.index_articles) == len(articles)
                print(f"round {number}: raw {len(articles) / raw_times[-1]:8.0f} docs/s   "
                      f"sink {len(articles) / sink_times[-1]:8.0f} docs/s", flush=True)
        finally:
            server.stop()

    raw_rate, sink_rate = len(articles) / min(raw_times), len(articles) / min(sink_times)
    print(f"{len(articles)} ANT articles, batches of {args.batch}, best of {args.rounds} rounds")
    print(f"plain _bulk loop : {raw_rate:8.0f} docs/s")
    print(f"rasid sink       : {sink_rate:8.0f} docs/s  (Kafka consume + parse + batch + bulk + commit)")
    print(json.dumps({"ratio": round(sink_rate / raw_rate, 3), "sink_docs_per_s": round(sink_rate, 1),
                      "raw_docs_per_s": round(raw_rate, 1)}))


if __name__ == "__main__":
    main()
