"""Serve /metrics from a stage's process: the port comes from RASID_METRICS_PORT_<STAGE> (0 turns it off).

Defaults: producer 9311, processor 9312, sink 9313, alerts 9315 (`rasid web` serves /metrics on its own
port instead). A second process of the same stage on one machine finds the port taken: it logs a warning and
runs on without /metrics (give each its own port to scrape both).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from prometheus_client import REGISTRY, start_http_server

from rasid.observability.consumer_lag import ConsumerLagCollector
from rasid.settings import Settings
from rasid.streams.topics import alert_stage_inputs

log = logging.getLogger("rasid.observability.metrics")

DEFAULT_PORTS = {"producer": 9311, "processor": 9312, "sink": 9313, "alerts": 9315}

_served: dict[str, int] = {}
_lag_groups: set[str] = set()


@dataclass(frozen=True)
class MetricsAddress:
    host: str
    port: int  # 0: off


def metrics_address(stage: str, settings: Settings) -> MetricsAddress:
    """Where `stage` serves /metrics: the `metrics_port_<stage>` setting (RASID_METRICS_PORT_<STAGE>); 0 is off."""
    port = getattr(settings, f"metrics_port_{stage}", None)
    return MetricsAddress(settings.metrics_host, DEFAULT_PORTS.get(stage, 0) if port is None else int(port))


def stage_lag_topics(stage: str, settings: Settings) -> tuple[str, list[str]] | None:
    """The consumer group a stage runs in and the topics it consumes, or None (the producer consumes nothing)."""
    if stage == "processor":
        return settings.processor_group, [settings.topic_raw]
    if stage == "sink":
        return settings.sink_group, [settings.topic_enriched, settings.topic_alerts]
    if stage == "alerts":
        return settings.alerts_group, alert_stage_inputs(settings)
    return None


def serve_metrics(stage: str, settings: Settings, lag_topics: list[str] | None = None) -> int | None:
    """Start /metrics for this process (once) with the stage's consumer lag; the port, or None when off or busy."""
    if stage in _served:
        return _served[stage]
    address = metrics_address(stage, settings)
    _register_lag(stage, settings, lag_topics)
    if address.port == 0:
        return None
    try:
        start_http_server(address.port, addr=address.host)
    except OSError as exc:
        log.warning("metrics for %s not served: %s:%d is taken (%s); set RASID_METRICS_PORT_%s to another port",
                    stage, address.host, address.port, exc.strerror or exc, stage.upper())
        return None
    _served[stage] = address.port
    log.info("metrics for %s on http://%s:%d/metrics", stage, address.host, address.port)
    return address.port


def _register_lag(stage: str, settings: Settings, lag_topics: list[str] | None) -> None:
    found = stage_lag_topics(stage, settings)
    if found is None or found[0] in _lag_groups:
        return
    group, topics = found
    REGISTRY.register(ConsumerLagCollector(settings.bootstrap_servers, group, lag_topics or topics))
    _lag_groups.add(group)
