"""What the pipeline has done so far, read from the topics' end offsets and the index."""

from __future__ import annotations

from dataclasses import dataclass

from elasticsearch import Elasticsearch, NotFoundError
from kafka import KafkaConsumer

from rasid.observability.consumer_lag import LagReader
from rasid.settings import Settings
from rasid.streams.topics import alert_stage_inputs, records_written


@dataclass
class TopicCounts:
    raw: int = 0
    enriched: int = 0
    alerts: int = 0
    dlq: int = 0


def alert_stage_backlog(lag: LagReader, settings: Settings) -> int:
    """Records the alert stage (`lag` reads its group) has yet to evaluate, over each of its inputs in turn."""
    return sum(row.lag for topic in alert_stage_inputs(settings) for row in lag.lag([topic]))


class PipelineProbe:
    """Cheap, read-only look at the topics and the article index."""

    def __init__(self, settings: Settings, es: Elasticsearch) -> None:
        self.settings = settings
        self.es = es
        self._consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap_servers, client_id="rasid-progress",
                                       enable_auto_commit=False)
        self._alerts_lag: LagReader | None = None

    def topic_counts(self) -> TopicCounts:
        s = self.settings
        names = {"raw": s.topic_raw, "enriched": s.topic_enriched, "alerts": s.topic_alerts, "dlq": s.topic_dlq}
        counts = TopicCounts()
        for attr, topic in names.items():
            setattr(counts, attr, records_written(self._consumer, topic))
        return counts

    def indexed_count(self, ids: list[str] | None = None) -> int:
        query = {"ids": {"values": ids}} if ids is not None else {"match_all": {}}
        try:
            return int(self.es.count(index=self.settings.index_articles, query=query)["count"])
        except NotFoundError:
            return 0

    def index_totals(self) -> dict[str, int]:
        """Documents, entities and threats in the whole article index (for a run that never ends)."""
        try:
            response = self.es.search(
                index=self.settings.index_articles, size=0, track_total_hits=True,
                aggs={"entities": {"sum": {"field": "entity_count"}}, "threats": {"sum": {"field": "threat_count"}}},
            )
        except NotFoundError:
            return {"indexed": 0, "entities": 0, "threats": 0}
        total = response["hits"]["total"]
        return {
            "indexed": int(total["value"] if isinstance(total, dict) else total),
            "entities": int(response["aggregations"]["entities"]["value"] or 0),
            "threats": int(response["aggregations"]["threats"]["value"] or 0),
        }

    def totals_for(self, ids: list[str]) -> dict[str, int]:
        """Entities and threats found in these indexed articles."""
        totals = {"entities": 0, "threats": 0}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            try:
                hits = self.es.search(
                    index=self.settings.index_articles, query={"ids": {"values": chunk}}, size=len(chunk),
                    source=["entity_count", "threat_count"],
                )["hits"]["hits"]
            except NotFoundError:
                return totals
            for hit in hits:
                totals["entities"] += int(hit["_source"].get("entity_count", 0))
                totals["threats"] += int(hit["_source"].get("threat_count", 0))
        return totals

    def alerts_pending(self) -> int:
        """Records the alert stage has yet to evaluate."""
        if self._alerts_lag is None:
            self._alerts_lag = LagReader(self.settings.bootstrap_servers, self.settings.alerts_group)
        return alert_stage_backlog(self._alerts_lag, self.settings)

    def close(self) -> None:
        self._consumer.close()
        if self._alerts_lag is not None:
            self._alerts_lag.close()
