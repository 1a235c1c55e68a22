"""Feed bytes → `Article` records: decoded, defused, parsed by feedparser, cleaned.

Hostile documents are stopped before feedparser sees them: a DOCTYPE that declares entities
(billion laughs, XXE) is refused, any other DOCTYPE is removed (so no external DTD can be named),
and the body is handed over as a stream; feedparser would open a *bytes path* as a local file.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import feedparser

from rasid.producers.article_dates import entry_published
from rasid.producers.article_identity import article_id, canonical_url, guid_key
from rasid.producers.feed_encoding import as_utf8_xml, decode_body
from rasid.producers.fast_feed import parse_simple_feed
from rasid.producers.feed_errors import FeedError, FeedErrorKind
from rasid.producers.feeds_config import FeedConfig
from rasid.producers.text_hygiene import clean_whitespace, plain_text
from rasid.records import Article

# Always Python's expat (entity-expansion limits, no external entities): feedparser would first try
# to import the libxml2 SAX driver, and fail again on every parse (a tenth of the parse time).
feedparser.api.PREFERRED_XML_PARSERS[:] = []

_FIRST_ELEMENT = re.compile(r"<[A-Za-z_]")
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(r"<!DOCTYPE[^\[>]*(\[.*?\]\s*)?>", re.IGNORECASE | re.DOTALL)
_HTML_PAGE = re.compile(r"<html[\s>]|<!DOCTYPE\s+html|<body[\s>]|<head[\s>]", re.IGNORECASE)


@dataclass
class FeedItem:
    """An article and the keys that make it a duplicate (its id, and its guid within the source)."""

    article: Article
    guid_key: str | None = None

    @property
    def seen_keys(self) -> list[str]:
        return [self.article.id] + ([self.guid_key] if self.guid_key else [])


@dataclass
class ParsedFeed:
    items: list[FeedItem] = field(default_factory=list)
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)
    title: str = ""


def defuse(text: str) -> str:
    """The document without its DOCTYPE; refused if the prolog declares entities."""
    first = _FIRST_ELEMENT.search(text)
    prolog = text[: first.start()] if first else text
    if _ENTITY_DECLARATION.search(prolog):
        raise FeedError(FeedErrorKind.HOSTILE_XML,
                        "the document declares XML entities (entity expansion / external entity attack); refused")
    return _DOCTYPE.sub("", prolog, count=1) + text[len(prolog):]


def parse_feed_document(feed: FeedConfig, body: bytes, fetched_at: datetime,
                        header_charset: str | None = None, content_type: str | None = None) -> ParsedFeed:
    """Parse a fetched feed body; raises `FeedError` when nothing usable is in it."""
    if not body.strip():
        raise FeedError(FeedErrorKind.EMPTY, "empty response body")
    decoded = decode_body(body, header_charset)
    text = defuse(decoded.text)
    document = as_utf8_xml(text)
    fast = parse_simple_feed(document)
    if fast is not None:  # well-formed RSS 2.0 / Atom: lxml, ten times faster
        title, entries = fast
        result = ParsedFeed(encoding=decoded.encoding, title=plain_text(title))
    else:
        parsed = feedparser.parse(io.BytesIO(document), sanitize_html=False, resolve_relative_uris=False)
        result = ParsedFeed(encoding=decoded.encoding, title=plain_text(parsed.feed.get("title", "")))
        entries = parsed.entries
    if decoded.warning:
        result.warnings.append(f"encoding: {decoded.warning}")
    if fast is not None:
        if not entries:
            result.warnings.append("empty: the feed has no items")
        result.items = items_of(feed, entries, fetched_at)
        return result
    if not parsed.entries:
        head = text[:4096]
        if not parsed.version and (_HTML_PAGE.search(head) or (content_type or "").startswith("text/html")):
            raise FeedError(FeedErrorKind.NOT_A_FEED, "not a feed: the server sent an HTML page")
        if parsed.bozo and not parsed.version:
            raise FeedError(FeedErrorKind.MALFORMED if head.lstrip().startswith("<") else FeedErrorKind.NOT_A_FEED,
                            f"not a valid feed: {parsed.bozo_exception}")
        if not parsed.version:
            raise FeedError(FeedErrorKind.NOT_A_FEED, "not an RSS or Atom feed")
        result.warnings.append("empty: the feed has no items")
        return result
    if parsed.bozo:
        result.warnings.append(f"malformed: parsed despite errors ({parsed.bozo_exception})")
    result.items = items_of(feed, parsed.entries, fetched_at)
    return result


def items_of(feed: FeedConfig, entries: list[Any], fetched_at: datetime) -> list[FeedItem]:
    # A guid shared by items with different links is not an identity (some feeds repeat one guid).
    links_by_guid: dict[str, set[str]] = {}
    for entry in entries:
        guid = (entry.get("id") or "").strip()
        if guid:
            links_by_guid.setdefault(guid, set()).add((entry.get("link") or "").strip())
    items = []
    for entry in entries:
        article = article_from_entry(feed, entry, fetched_at)
        if article is None:
            continue
        guid = (entry.get("id") or "").strip()
        unique_guid = guid and len(links_by_guid.get(guid, ())) == 1
        items.append(FeedItem(article, guid_key(feed.source, guid) if unique_guid else None))
    return items


def _content(entry: Any) -> str:
    parts = [plain_text(part.get("value", "")) for part in entry.get("content") or []]
    return "\n".join(part for part in parts if part)


def article_from_entry(feed: FeedConfig, entry: Any, fetched_at: datetime) -> Article | None:
    link = clean_whitespace(entry.get("link") or "")
    guid = (entry.get("id") or "").strip() or None
    if not link.startswith(("http://", "https://")):
        link = guid if guid and guid.startswith(("http://", "https://")) else ""
    if not link and not guid:
        return None
    canonical = canonical_url(link) if link else ""
    published = entry_published(entry, fetched_at)
    author = plain_text(entry.get("author", ""))
    return Article(
        id=article_id(canonical or None, guid),
        url=link or guid or "",
        canonical_url=canonical,
        feed_url=feed.url,
        source=feed.source,
        title=plain_text(entry.get("title", "")),
        summary=plain_text(entry.get("summary", "")),
        content=_content(entry),
        published_at=published or fetched_at,
        published_at_estimated=published is None,
        fetched_at=fetched_at,
        language=feed.language,
        authors=[author] if author else [],
        tags=[plain_text(t.get("term", "")) for t in entry.get("tags", []) if t.get("term")],
    )
