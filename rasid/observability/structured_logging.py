"""Structured logs (structlog) for every process: JSON lines for machines, a readable console for people.

Standard-library loggers (`logging.getLogger("rasid.sink")`, Kafka, Faust) go through the same
renderer, so one process writes one format. Context bound with `article_context(article_id)` (or any
structlog contextvar) appears on every line logged inside it, including stdlib lines.

Format: `RASID_LOG_FORMAT=json|console`; unset, JSON when stderr is not a terminal (a service,
a container, a child process whose log goes to a file) and the console renderer when it is.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

import structlog
from structlog.types import EventDict, Processor, WrappedLogger

LOG_FORMATS = ("json", "console")
# Libraries that are chatty at INFO: warnings and worse only.
NOISY_LOGGERS = ("kafka", "aiokafka", "elastic_transport", "httpx", "faust", "mode", "uvicorn.access")

_process_fields: dict[str, str] = {}


def log_format(stream: IO[str] | None = None) -> str:
    chosen = os.environ.get("RASID_LOG_FORMAT", "").strip().lower()
    if chosen in LOG_FORMATS:
        return chosen
    stream = stream or sys.stderr
    try:
        return "console" if stream.isatty() else "json"
    except (AttributeError, ValueError):
        return "json"


def bind_process(**fields: str) -> None:
    """Fields on every line this process logs from now on (e.g. stage="sink")."""
    _process_fields.update(fields)


def _add_process_fields(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    for key, value in _process_fields.items():
        event_dict.setdefault(key, value)
    return event_dict


def _shared_processors() -> list[Processor]:
    return [
        structlog.contextvars.merge_contextvars,
        _add_process_fields,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True, key="ts"),
    ]


def configure_structured_logging(level: str = "INFO", fmt: str | None = None, stream: IO[str] | None = None) -> str:
    """Route stdlib and structlog logging through one handler on `stream` (stderr); returns the format used."""
    stream = stream or sys.stderr
    fmt = fmt or log_format(stream)
    if fmt not in LOG_FORMATS:
        raise ValueError(f"log format must be one of {LOG_FORMATS}, got {fmt!r}")
    renderer: Processor
    if fmt == "json":
        renderer = structlog.processors.JSONRenderer(ensure_ascii=False, default=str)
    else:
        renderer = structlog.dev.ConsoleRenderer(colors=_isatty(stream))
    final: list[Processor] = [structlog.stdlib.ProcessorFormatter.remove_processors_meta]
    if fmt == "json":
        final += [structlog.processors.format_exc_info]
    final.append(renderer)
    formatter = structlog.stdlib.ProcessorFormatter(foreign_pre_chain=_shared_processors(), processors=final)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)

    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))

    structlog.configure(
        processors=[*_shared_processors(), structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return fmt


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def article_context(article_id: str, **more: Any) -> Iterator[None]:
    """Every log line inside carries `article_id` (asyncio-task and thread local, via contextvars)."""
    with structlog.contextvars.bound_contextvars(article_id=article_id, **more):
        yield
