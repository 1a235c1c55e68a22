"""One call at the start of a stage's process: name it in the logs and serve its /metrics."""

from __future__ import annotations

from rasid.observability.metrics_server import serve_metrics
from rasid.observability.structured_logging import bind_process
from rasid.settings import Settings


def observe_process(stage: str, settings: Settings, lag_topics: list[str] | None = None) -> int | None:
    """`stage` is producer, processor, sink or web; returns the /metrics port, or None when off or taken."""
    bind_process(stage=stage)
    return serve_metrics(stage, settings, lag_topics)
