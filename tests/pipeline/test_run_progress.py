"""`rasid run`'s live table reads the index totals often while things move, and rarely once they stop:
every search costs the embedded server CPU in proportion to the index, so an idle run must not keep asking."""

from __future__ import annotations

from elasticsearch import Elasticsearch

from rasid.pipeline.runner import (
    INDEX_TOTALS_EVERY_S,
    INDEX_TOTALS_IDLE_S,
    RunSummary,
    _Tracker,
)
from rasid.settings import Settings
from rasid.sinks.index_templates import install_templates
from rasid.streams.topics import ensure_topics


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_index_totals_follow_the_index_while_it_moves_and_rest_when_it_is_idle(settings: Settings) -> None:
    ensure_topics(settings)
    es = Elasticsearch(settings.elasticsearch_url)
    install_templates(es, settings)

    def index(article_id: str) -> None:
        es.index(index=settings.index_articles, id=article_id, refresh=True,
                 document={"id": article_id, "entity_count": 3, "threat_count": 1})

    clock = ManualClock()
    tracker = _Tracker(settings, clock=clock)
    summary = RunSummary()
    try:
        index("a1")
        tracker.update(summary, None)
        assert (summary.indexed, summary.entities, summary.threats) == (1, 3, 1)

        index("a2")  # still moving: shown within INDEX_TOTALS_EVERY_S, not before
        clock.now += INDEX_TOTALS_EVERY_S / 2
        tracker.update(summary, None)
        assert summary.indexed == 1
        clock.now += INDEX_TOTALS_EVERY_S / 2
        tracker.update(summary, None)
        assert summary.indexed == 2

        clock.now += INDEX_TOTALS_EVERY_S  # a read that finds nothing new: the run is idle
        tracker.update(summary, None)
        index("a3")
        clock.now += INDEX_TOTALS_EVERY_S
        tracker.update(summary, None)
        assert summary.indexed == 2  # idle: the index is not searched every few seconds
        clock.now += INDEX_TOTALS_IDLE_S
        tracker.update(summary, None)
        assert (summary.indexed, summary.entities, summary.threats) == (3, 9, 3)
    finally:
        tracker.close()
