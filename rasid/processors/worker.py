"""Run the processor: `rasid processor` or `python -m rasid.processors.worker`."""

from __future__ import annotations

import faust
from faust.worker import Worker

from rasid.processors.app import create_app
from rasid.processors.enrichment_agent import register_enrichment
from rasid.settings import Settings, get_settings


def build_app(settings: Settings) -> faust.App:
    app = create_app(settings)
    register_enrichment(app, settings)
    return app


def run_worker(settings: Settings | None = None, loglevel: str = "WARNING") -> None:
    settings = settings or get_settings()
    app = build_app(settings)
    Worker(app, loglevel=loglevel, quiet=True).execute_from_commandline()


if __name__ == "__main__":
    run_worker()
