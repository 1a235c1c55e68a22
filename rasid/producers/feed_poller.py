"""Fetch and parse one feed: conditional GET over HTTP, bounded reads of file:// feeds; no Kafka here."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

from rasid.producers.feed_errors import FeedError, FeedErrorKind
from rasid.producers.feed_reader import FeedItem, parse_feed_document
from rasid.producers.feeds_config import FeedConfig
from rasid.producers.http_fetch import FEED_ACCEPT, HttpFetcher, Validators
from rasid.producers.producer_options import ProducerOptions


@dataclass
class FeedOutcome:
    """What one poll of one feed gave."""

    feed: FeedConfig
    status: str  # "ok", "not_modified" or "error"
    http_status: int | None = None
    items: list[FeedItem] = field(default_factory=list)
    error: FeedError | None = None
    warnings: list[str] = field(default_factory=list)
    encoding: str | None = None
    validators: Validators | None = None  # to store once the items are delivered
    elapsed_s: float = 0.0
    bytes_read: int = 0


def _read_file(path: Path, max_bytes: int) -> bytes:
    try:
        with path.open("rb") as handle:
            body = handle.read(max_bytes + 1)
    except OSError as exc:
        raise FeedError(FeedErrorKind.FILE, f"cannot read {path}: {exc.strerror}") from exc
    if len(body) > max_bytes:
        raise FeedError(FeedErrorKind.TOO_LARGE, f"feed file is over the {max_bytes} byte cap")
    return body


class FeedPoller:
    def __init__(self, fetcher: HttpFetcher, options: ProducerOptions) -> None:
        self.fetcher = fetcher
        self.options = options

    async def poll(self, feed: FeedConfig, validators: Validators | None = None) -> FeedOutcome:
        """One poll; never raises for a problem of the feed (it is in `outcome.error`)."""
        started = time.monotonic()
        fetched_at = datetime.now(timezone.utc)
        outcome = FeedOutcome(feed=feed, status="error")
        try:
            body, charset, content_type = await self._fetch(feed, validators, outcome)
            if outcome.status == "not_modified":
                return outcome
            outcome.bytes_read = len(body)
            parsed = parse_feed_document(feed, body, fetched_at, charset, content_type)
            outcome.items, outcome.encoding, outcome.status = parsed.items, parsed.encoding, "ok"
            outcome.warnings.extend(parsed.warnings)
        except FeedError as error:
            outcome.error, outcome.status = error, "error"
        except Exception as exc:  # a parser bug on one hostile feed must not stop the others
            outcome.error, outcome.status = FeedError(FeedErrorKind.MALFORMED, f"{exc.__class__.__name__}: {exc}"), "error"
        finally:
            outcome.elapsed_s = time.monotonic() - started
        return outcome

    async def _fetch(self, feed: FeedConfig, validators: Validators | None,
                     outcome: FeedOutcome) -> tuple[bytes, str | None, str | None]:
        parts = urlsplit(feed.url)
        if parts.scheme == "file":
            return await asyncio.to_thread(_read_file, Path(unquote(parts.path)), self.options.max_feed_bytes), None, None
        document = await self.fetcher.get(feed.url, max_bytes=self.options.max_feed_bytes, accept=FEED_ACCEPT,
                                          validators=validators)
        outcome.http_status = document.status
        if document.moved_permanently_to:
            outcome.warnings.append(f"moved: permanently redirected to {document.moved_permanently_to}; update the feeds file")
        if document.status == 304:
            outcome.status = "not_modified"
            # A 304 need not repeat the validators; keep the ones that earned it.
            outcome.validators = Validators(document.validators.etag or (validators.etag if validators else None),
                                            document.validators.last_modified
                                            or (validators.last_modified if validators else None))
            return b"", None, None
        outcome.validators = document.validators
        return document.body, document.charset, document.content_type
