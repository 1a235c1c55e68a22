"""2,000 feeds polled by one producer process on one CPU core, into a real Kafka (noida-db).

usage: python bench/poll.py [N_FEEDS] [--sink memory]

A feed server (a separate process, on another core where there is one) serves N feeds built
from the 26 real feeds in ../shared/data/feeds, each feed's links made its own (`?edition=…`)
so every feed carries 30 distinct articles; it honours ETag (304).

1. cold: every feed answers 200; every article is new and sent to Kafka.
2. mixed (the figure): the producer restarts, half of the feeds have changed (200, 30 new
   articles each), the other half answer 304 to the stored ETag.

Kafka is a real noida-db started on free ports in a temporary folder (`--sink memory` counts
records in-process instead). The last stdout line is one JSON object.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FEEDS_DIR = ROOT.parent / "shared" / "data" / "feeds"
_LINK = re.compile(r"<(link|guid)([^>]*)>(https?://[^<]+)</\1>")


# -- the feed server (runs in its own process) ---------------------------------------------------
def serve(port_file: str, n_feeds: int) -> None:
    """A minimal asyncio HTTP/1.1 server (keep-alive, ETag), fast enough not to be what is measured."""
    import asyncio

    originals = [p.read_text(encoding="utf-8") for p in sorted(FEEDS_DIR.glob("*.xml"))]
    editions = [0] * n_feeds
    cache: dict[tuple[int, int], tuple[bytes, str]] = {}

    def body(index: int) -> tuple[bytes, str]:
        key = (index, editions[index])
        if key not in cache:
            text = _LINK.sub(lambda m: f"<{m[1]}{m[2]}>{m[3]}?edition={index}-{editions[index]}</{m[1]}>",
                             originals[index % len(originals)])
            cache[key] = (text.encode("utf-8"), f'"{index}-{editions[index]}"')
        return cache[key]

    def response(status: int, data: bytes, headers: dict[str, str]) -> bytes:
        reason = {200: "OK", 304: "Not Modified", 404: "Not Found"}[status]
        head = "".join(f"{k}: {v}\r\n" for k, v in {**headers, "Content-Length": str(len(data))}.items())
        return f"HTTP/1.1 {status} {reason}\r\n{head}\r\n".encode() + data

    def answer(path: str, request_headers: dict[str, str]) -> bytes:
        if path.startswith("/_bump/"):  # /_bump/<from>/<to>: those feeds publish new items
            start, end = map(int, path.split("/")[2:4])
            for index in range(start, end):
                editions[index] += 1
            return response(200, b"ok", {})
        try:
            index = int(path.rsplit("/", 1)[1].split(".")[0])
            data, etag = body(index)
        except (ValueError, IndexError):
            return response(404, b"", {})
        if request_headers.get("if-none-match") == etag:
            return response(304, b"", {"ETag": etag})
        return response(200, data, {"ETag": etag, "Content-Type": "application/rss+xml; charset=utf-8"})

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
                writer.write(answer(path, headers))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(connection, "127.0.0.1", 0, backlog=2048)
        Path(port_file).write_text(str(server.sockets[0].getsockname()[1]))
        async with server:
            await server.serve_forever()

    asyncio.run(main())


# -- the benchmark ---------------------------------------------------------------------------------
class MemorySink:
    def __init__(self) -> None:
        self.count = 0

    def send_all(self, topic: str, keyed, timeout: float = 30.0) -> int:  # noqa: ANN001
        for _key, record in keyed:
            record.model_dump_json()  # the serialisation cost stays in the figure
            self.count += 1
        return self.count

    def close(self) -> None:
        return None


def pin(process_cores: set[int]) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, process_cores)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n_feeds = int(args[0]) if args else 2000
    memory = "--sink" in sys.argv and sys.argv[sys.argv.index("--sink") + 1] == "memory"
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else [0]
    producer_core, other_cores = cores[0], set(cores[1:]) or {cores[0]}

    workdir = Path(tempfile.mkdtemp(prefix="rasid-bench-poll-"))
    port_file = workdir / "port"
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port_file), str(n_feeds)],
                              preexec_fn=lambda: pin(other_cores))
    noida = None
    try:
        from rasid.embedded import NoidaServer
        from rasid.embedded.supervisor import free_port
        from rasid.producers.feed_producer import FeedProducer
        from rasid.producers.feeds_config import FeedConfig
        from rasid.producers.producer_options import ProducerOptions
        from rasid.settings import Settings
        from rasid.streams.topics import ensure_topics

        if memory:
            settings = Settings(_env_file=None, embedded=False, data_dir=workdir / "data")
        else:
            noida = NoidaServer(workdir / "noida", free_port(), free_port())
            noida.start()
            pid = noida.running_pid()
            if pid and hasattr(os, "sched_setaffinity"):
                os.sched_setaffinity(pid, other_cores)
            settings = Settings(_env_file=None, embedded=False, kafka_bootstrap=noida.kafka_bootstrap,
                                elasticsearch_url=noida.elasticsearch_url, data_dir=workdir / "data",
                                topic_raw="bench.raw", partitions=3)
            ensure_topics(settings)
        while not port_file.exists() or not port_file.read_text():
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port_file.read_text()}"
        feeds = [FeedConfig(url=f"{base}/feeds/{i}.xml", source=f"bench{i % 26}") for i in range(n_feeds)]
        options = ProducerOptions(_env_file=None, concurrency=16, per_host_concurrency=16)
        pin({producer_core})  # the producer: this process, one core

        def poll(label: str) -> dict[str, float]:
            sink = MemorySink() if memory else None
            producer = FeedProducer(settings, feeds, publisher=sink, options=options)
            started = time.perf_counter()
            report = producer.poll_once()
            seconds = time.perf_counter() - started
            producer.close()
            figures = {"seconds": round(seconds, 2), "articles": report.produced, "not_modified": report.not_modified,
                       "errors": len(report.feed_errors), "articles_per_s": round(report.produced / seconds, 1),
                       "feeds_per_s": round(n_feeds / seconds, 1)}
            print(f"{label}: {json.dumps(figures)}")
            if report.feed_errors:
                print(f"  first errors: {list(report.feed_errors.items())[:3]}")
            return figures

        cold = poll("cold  (all 200)")
        urllib.request.urlopen(f"{base}/_bump/0/{n_feeds // 2}").read()
        mixed = poll("mixed (half 200 with new items, half 304)")
        print(json.dumps({"feeds": n_feeds, "seconds": mixed["seconds"], "articles_per_s": mixed["articles_per_s"],
                          "articles": mixed["articles"], "not_modified": mixed["not_modified"],
                          "errors": mixed["errors"], "cold_seconds": cold["seconds"],
                          "cold_articles_per_s": cold["articles_per_s"], "sink": "memory" if memory else "noida-db",
                          "producer_cores": 1}))
    finally:
        server.terminate()
        server.wait(timeout=10)
        if noida is not None:
            noida.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]))
    else:
        main()
