"""`rasid run`: producer in this process, processor and sink as children, live progress on stderr."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

from rich.console import Console
from rich.table import Table

from rasid.pipeline.live_view import live_view
from rasid.pipeline.progress import PipelineProbe, TopicCounts
from rasid.pipeline.servers import servers_available
from rasid.pipeline.stages import StageSupervisor, stages_running
from rasid.producers.feed_producer import FeedProducer, PollReport
from rasid.producers.feeds_config import FeedConfig
from rasid.settings import Settings
from rasid.sinks.elasticsearch_client import elasticsearch_client
from rasid.sinks.index_templates import install_templates
from rasid.streams.topics import ensure_topics

log = logging.getLogger("rasid.run")


@dataclass
class RunSummary:
    feeds: int = 0
    feed_errors: dict[str, str] = field(default_factory=dict)
    articles: int = 0  # distinct articles in the feeds polled
    produced: int = 0  # of which new, sent to news.raw
    enriched: int = 0  # records written to news.enriched during the run
    indexed: int = 0  # of the feeds' articles, how many are searchable
    entities: int = 0
    threats: int = 0
    alerts: int = 0
    alerts_pending: int = 0  # articles the alert stage had not evaluated when the run ended (a timeout)
    dlq: int = 0
    seconds: float = 0.0
    complete: bool = False

    def as_json_dict(self) -> dict[str, object]:
        return asdict(self)


def _table(summary: RunSummary, title: str) -> Table:
    table = Table(title=title, show_header=False, min_width=40)
    table.add_row("feeds polled", str(summary.feeds))
    table.add_row("feed errors", str(len(summary.feed_errors)))
    table.add_row("feed items seen", str(summary.articles))
    table.add_row("produced (new)", str(summary.produced))
    table.add_row("enriched", str(summary.enriched))
    table.add_row("indexed", str(summary.indexed))
    table.add_row("entities / threats", f"{summary.entities} / {summary.threats}")
    pending = f" ({summary.alerts_pending} articles not yet evaluated)" if summary.alerts_pending else ""
    table.add_row("alerts", f"{summary.alerts}{pending}")
    table.add_row("dead letters", str(summary.dlq))
    return table


def _prepare(settings: Settings) -> None:
    ensure_topics(settings)
    # Templates before the first document, so the sink never races an auto-created mapping.
    install_templates(elasticsearch_client(settings), settings)


# A search over the whole index costs the embedded server CPU in proportion to its size (about 7-10 ms
# per 1,000 articles on noida-db): a run that never ends reads the index totals at most every
# INDEX_TOTALS_EVERY_S while the topics or the index are still moving, and every INDEX_TOTALS_IDLE_S
# once they are not.
INDEX_TOTALS_EVERY_S = 2.0
INDEX_TOTALS_IDLE_S = 30.0


class _Tracker:
    """Counts since the run started, from topic end offsets and the index."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self.probe = PipelineProbe(settings, elasticsearch_client(settings))
        self.start: TopicCounts = self.probe.topic_counts()
        self.clock = clock
        self._topics_at_read: TopicCounts | None = None
        self._totals: dict[str, int] | None = None
        self._totals_read_at = float("-inf")
        self._settled = False  # the last read changed nothing, and no topic moved since

    def update(self, summary: RunSummary, ids: list[str] | None) -> None:
        """Topic counts since the start; `indexed` counts `ids`, or with None the whole index (plus its totals)."""
        now = self.probe.topic_counts()
        summary.enriched = now.enriched - self.start.enriched
        summary.alerts = now.alerts - self.start.alerts
        summary.dlq = now.dlq - self.start.dlq
        if ids is None:
            summary.__dict__.update(self._index_totals(now))
        else:
            summary.indexed = self.probe.indexed_count(ids) if ids else 0

    def _index_totals(self, topics: TopicCounts) -> dict[str, int]:
        if topics != self._topics_at_read:
            self._settled = False
        waited = self.clock() - self._totals_read_at
        if self._totals is None or waited >= (INDEX_TOTALS_IDLE_S if self._settled else INDEX_TOTALS_EVERY_S):
            totals = self.probe.index_totals()
            self._settled = totals == self._totals and topics == self._topics_at_read
            self._totals, self._topics_at_read, self._totals_read_at = totals, topics, self.clock()
        return self._totals

    def close(self) -> None:
        self.probe.close()


def _apply(summary: RunSummary, report: PollReport, ids: set[str] | None) -> None:
    summary.feeds += report.feeds
    summary.feed_errors.update(report.feed_errors)
    summary.produced += report.produced
    if ids is None:
        # A run that never ends keeps no id set (it would only grow): count what each poll saw.
        summary.articles += len(report.article_ids)
    else:
        ids.update(report.article_ids)
        summary.articles = len(ids)


@contextmanager
def _pipeline(settings: Settings, feeds: list[FeedConfig]) -> Iterator[tuple[_Tracker, FeedProducer, StageSupervisor]]:
    """Servers (when embedded), the stage processes, topics and templates, a tracker, the producer and a
    supervisor that restarts a stage that dies."""
    with servers_available(settings), stages_running(settings) as stages:
        _prepare(settings)
        tracker = _Tracker(settings)
        producer = FeedProducer(settings, feeds)
        try:
            yield tracker, producer, StageSupervisor(stages)
        finally:
            producer.close()
            tracker.close()


def run_once(settings: Settings, feeds: list[FeedConfig], timeout_s: float, console: Console) -> RunSummary:
    """Poll every feed once and wait until everything produced is indexed (or the timeout)."""
    started = time.monotonic()
    summary = RunSummary()
    ids: set[str] = set()
    with _pipeline(settings, feeds) as (tracker, producer, supervisor), \
            live_view(_table(summary, "rasid run --once"), console, refresh_per_second=4) as live:
        _apply(summary, producer.poll_once(), ids)
        id_list = sorted(ids)
        while True:
            supervisor.check()
            tracker.update(summary, id_list)
            summary.seconds = round(time.monotonic() - started, 2)
            live.update(_table(summary, "rasid run --once"))
            if summary.indexed >= len(id_list):
                summary.complete = True
                break
            if time.monotonic() - started > timeout_s:
                console.print(f"[yellow]timeout after {timeout_s:.0f}s: {summary.indexed} of {len(id_list)} indexed")
                break
            time.sleep(0.25)
        # Indexing and alerting run side by side: the alert count is final only once the alert stage
        # has evaluated everything that was enriched.
        _wait_for_alerts(tracker, supervisor, summary, deadline=started + timeout_s, console=console)
        summary.__dict__.update(tracker.probe.totals_for(id_list))
        live.update(_table(summary, "rasid run --once"))
    return summary


def _wait_for_alerts(tracker: _Tracker, supervisor: StageSupervisor, summary: RunSummary, deadline: float,
                     console: Console) -> None:
    while True:
        supervisor.check()
        summary.alerts_pending = tracker.probe.alerts_pending()
        if summary.alerts_pending == 0:
            break
        if time.monotonic() > deadline:
            console.print(f"[yellow]the alert stage has {summary.alerts_pending} articles still to evaluate: "
                          "the alert count is not final")
            break
        time.sleep(0.25)
    summary.alerts = tracker.probe.topic_counts().alerts - tracker.start.alerts


def _pause(producer: FeedProducer) -> None:
    time.sleep(min(1.0, max(0.2, producer.seconds_until_due())))


def run_producer(settings: Settings, feeds: list[FeedConfig], should_stop: Callable[[], bool]) -> None:
    """The producer alone (for deployments that run each stage in its own container)."""
    ensure_topics(settings)
    producer = FeedProducer(settings, feeds)
    try:
        while not should_stop():
            report = producer.poll_due()  # per-feed interval with jitter, backoff, Retry-After
            if report is not None:
                log.info("polled %d feeds: %d new articles, %d not modified, %d feed errors",
                         report.feeds, report.produced, report.not_modified, len(report.feed_errors))
            _pause(producer)
    finally:
        producer.close()


def run_forever(settings: Settings, feeds: list[FeedConfig], console: Console, should_stop: Callable[[], bool]) -> RunSummary:
    """Poll each feed on its own interval until stopped (Ctrl-C), with a live progress table."""
    summary = RunSummary()
    started = time.monotonic()
    with _pipeline(settings, feeds) as (tracker, producer, supervisor), \
            live_view(_table(summary, "rasid run (Ctrl-C stops)"), console, refresh_per_second=2) as live:
        while not should_stop():
            supervisor.check()
            report = producer.poll_due()
            if report is not None:
                _apply(summary, report, None)
            tracker.update(summary, None)
            summary.seconds = round(time.monotonic() - started, 2)
            live.update(_table(summary, "rasid run (Ctrl-C stops)"))
            _pause(producer)
    return summary
