"""Fetch one feed and turn its items into `Article` records."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import feedparser
import httpx

from rasid.producers.article_identity import article_id, canonical_url
from rasid.producers.feeds_config import FeedConfig
from rasid.producers.text_hygiene import plain_text
from rasid.records import Article

MAX_FEED_BYTES = 10 * 1024 * 1024
USER_AGENT = "Rasid/0.1 (+https://github.com/rasid; Arabic news monitor)"


class FeedError(Exception):
    """This feed could not be read or is not a feed; the others carry on."""


@dataclass
class FeedResult:
    feed: FeedConfig
    articles: list[Article] = field(default_factory=list)
    error: str | None = None
    warning: str | None = None


def fetch_feed_bytes(feed: FeedConfig, client: httpx.Client) -> bytes:
    parsed = urlparse(feed.url)
    if parsed.scheme == "file":
        path = Path(unquote(parsed.path))
        try:
            size = path.stat().st_size
            if size > MAX_FEED_BYTES:
                raise FeedError(f"feed file is {size} bytes, over the {MAX_FEED_BYTES} byte cap")
            return path.read_bytes()
        except OSError as exc:
            raise FeedError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        response = client.get(feed.url)
    except httpx.HTTPError as exc:
        raise FeedError(f"request failed: {exc.__class__.__name__}: {exc}") from exc
    if response.status_code >= 400:
        raise FeedError(f"HTTP {response.status_code}")
    if len(response.content) > MAX_FEED_BYTES:
        raise FeedError(f"response is {len(response.content)} bytes, over the {MAX_FEED_BYTES} byte cap")
    return response.content


def parse_feed(feed: FeedConfig, body: bytes, fetched_at: datetime) -> FeedResult:
    parsed = feedparser.parse(body)
    if not parsed.entries:
        if parsed.bozo:
            raise FeedError(f"not a valid feed: {parsed.bozo_exception}")
        if not parsed.version:
            raise FeedError("not an RSS or Atom feed")
    result = FeedResult(feed=feed)
    if parsed.bozo:
        result.warning = f"feed is malformed but was parsed: {parsed.bozo_exception}"
    for entry in parsed.entries:
        article = article_from_entry(feed, entry, fetched_at)
        if article is not None:
            result.articles.append(article)
    return result


def read_feed(feed: FeedConfig, client: httpx.Client) -> FeedResult:
    """Fetch and parse; any failure is returned as `error`, never raised."""
    fetched_at = datetime.now(timezone.utc)
    try:
        return parse_feed(feed, fetch_feed_bytes(feed, client), fetched_at)
    except FeedError as exc:
        return FeedResult(feed=feed, error=str(exc))


def _published(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc)
    return None


def article_from_entry(feed: FeedConfig, entry: Any, fetched_at: datetime) -> Article | None:
    link = (entry.get("link") or "").strip()
    guid = (entry.get("id") or "").strip() or None
    if not link and not guid:
        return None
    canonical = canonical_url(link) if link else ""
    published = _published(entry)
    content = ""
    if entry.get("content"):
        content = plain_text(entry["content"][0].get("value", ""))
    return Article(
        id=article_id(canonical or None, guid),
        url=link or guid or "",
        canonical_url=canonical,
        feed_url=feed.url,
        source=feed.source,
        title=plain_text(entry.get("title", "")),
        summary=plain_text(entry.get("summary", "")),
        content=content,
        published_at=published or fetched_at,
        published_at_estimated=published is None,
        fetched_at=fetched_at,
        language=feed.language,
        authors=[a for a in [plain_text(entry.get("author", ""))] if a],
        tags=[t.get("term", "") for t in entry.get("tags", []) if t.get("term")],
    )
