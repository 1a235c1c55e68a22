"""Faust agent: `news.raw` → NLP → `news.enriched`; anything unreadable goes to `news.dlq`."""

from __future__ import annotations

import logging
import time
from typing import Any

import faust
from pydantic import ValidationError

from rasid.nlp.enrichment import enrich
from rasid.observability.stage_metrics import dead_letter_kind, record_consumed, record_dead_letter, record_enriched
from rasid.observability.structured_logging import article_context
from rasid.records import Article, DeadLetter
from rasid.settings import Settings
from rasid.streams.publisher import record_bytes

log = logging.getLogger("rasid.processor")

STAGE = "enrich"


def register_enrichment(app: faust.App, settings: Settings) -> Any:
    raw = app.topic(settings.topic_raw, key_serializer="raw", value_serializer="raw")
    enriched = app.topic(settings.topic_enriched, key_serializer="raw", value_serializer="raw")
    dlq = app.topic(settings.topic_dlq, key_serializer="raw", value_serializer="raw")

    async def reject(event: faust.EventT, reason: str) -> None:
        message = event.message
        key = message.key.decode("utf-8", "replace") if isinstance(message.key, bytes) else message.key
        letter = DeadLetter.of(
            STAGE, reason, message.value,
            topic=message.topic, partition=message.partition, offset=message.offset, key=key,
        )
        with article_context(key or ""):
            log.error("enrich rejected %s[%d]@%d key=%s: %s", message.topic, message.partition, message.offset, key, reason)
        await dlq.send(key=message.key, value=record_bytes(letter))
        record_dead_letter(STAGE, dead_letter_kind(reason))

    @app.agent(raw, name="enrich-articles")
    async def enrich_articles(stream: faust.StreamT) -> None:
        async for event in stream.events():
            record_consumed(STAGE)
            try:
                article = Article.model_validate_json(event.value)
            except ValidationError as exc:
                await reject(event, f"not a valid article record: {_first_error(exc)}")
                continue
            with article_context(article.id):
                started = time.perf_counter()
                try:
                    result = enrich(article)
                except Exception as exc:  # noqa: BLE001 - one bad article must not stop the stream
                    log.exception("enrichment failed for article %s", article.id)
                    await reject(event, f"enrichment failed: {exc.__class__.__name__}: {exc}")
                    continue
                nlp_seconds = time.perf_counter() - started
                await enriched.send(key=article.id.encode(), value=record_bytes(result))
                record_enriched(result, nlp_seconds)
                log.debug("enriched: %d entities, %d threats in %.1f ms",
                          len(result.entities), len(result.threats), nlp_seconds * 1000)

    return enrich_articles


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(part) for part in err["loc"]) or "document"
    return f"{where}: {err['msg']} ({exc.error_count()} error(s))"
