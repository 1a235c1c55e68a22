"""Logs on stderr for the command line: JSON lines (RASID_LOG_FORMAT=json, or stderr not a terminal) or a readable console."""

from __future__ import annotations

from rasid.observability.structured_logging import configure_structured_logging


def configure_logging(level: str = "INFO") -> None:
    configure_structured_logging(level)
