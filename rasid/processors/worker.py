"""Run the processor: `rasid processor` or `python -m rasid.processors.worker`."""

from __future__ import annotations

import gc
import logging
from typing import Any

import faust
from faust.worker import Worker

from rasid.nlp.enrichment import warm_up
from rasid.observability.process import observe_process
from rasid.observability.structured_logging import configure_structured_logging
from rasid.processors.app import create_app
from rasid.processors.enrichment_agent import register_enrichment
from rasid.settings import Settings, get_settings


def build_app(settings: Settings) -> faust.App:
    app = create_app(settings)
    register_enrichment(app, settings)
    return app


def consumed_topics(app: faust.App, settings: Settings) -> list[str]:
    """Rasid's topics the app's agents read (not Faust's internal ones): where the processor's lag is."""
    ours = set(settings.topics)
    found: list[str] = []
    for agent in app.agents.values():
        for topic in getattr(agent.channel, "topics", ()):
            if topic in ours and topic not in found:
                found.append(topic)
    return found or [settings.topic_raw]


class ProcessorWorker(Worker):
    """Faust's worker, minus its own logging setup and its terminal spinner: the process keeps Rasid's
    structured (JSON) logging. The spinner wrote cursor escape codes into the stage's log file and set
    the root logger to DEBUG, so that every debug call in aiokafka made a log record."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spinner = None

    def _setup_logging(self) -> None:
        if not logging.getLogger().handlers:  # started as a module, not through the CLI
            configure_structured_logging(self.loglevel)


def run_worker(settings: Settings | None = None, loglevel: str = "WARNING") -> None:
    settings = settings or get_settings()
    if not logging.getLogger().handlers:  # started as a module, not through the CLI
        configure_structured_logging(loglevel)
    app = build_app(settings)
    observe_process("processor", settings, consumed_topics(app, settings))
    warm_up()
    # The models' objects live as long as the process: out of the collector's sight, a full collection
    # no longer walks them (it paused the stream for 50-90 ms every few thousand articles).
    gc.freeze()
    ProcessorWorker(app, loglevel=loglevel, quiet=True).execute_from_commandline()


if __name__ == "__main__":
    run_worker()
