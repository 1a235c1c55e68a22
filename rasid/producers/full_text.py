"""The article's full text from its page: fetched politely, main text extracted by trafilatura.

Links come from feeds (strangers), so every hop goes through the address guard; requests to one
host are paced. A page that cannot be fetched or yields no text leaves the article as the feed
gave it: full text is an enrichment, never a reason to lose an article.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

import trafilatura

from rasid.producers.address_guard import AddressGuard
from rasid.producers.feed_encoding import decode_body
from rasid.producers.feed_errors import FeedError
from rasid.producers.host_pacing import HostPacer
from rasid.producers.http_fetch import PAGE_ACCEPT, HttpFetcher
from rasid.producers.producer_metrics import PAGE_FETCHES
from rasid.producers.text_hygiene import clean_whitespace

log = logging.getLogger("rasid.producer.fulltext")


def main_text(page_html: str) -> str:
    """The main text of an article page (no navigation, footer, script), paragraphs on their own lines."""
    extracted = trafilatura.extract(page_html, include_comments=False, include_tables=False, include_images=False,
                                    include_links=False, favor_precision=True, deduplicate=False)
    return clean_whitespace(extracted or "")


class FullTextReader:
    def __init__(self, fetcher: HttpFetcher, guard: AddressGuard, pacer: HostPacer, max_bytes: int) -> None:
        self.fetcher = fetcher
        self.guard = guard
        self.pacer = pacer
        self.max_bytes = max_bytes

    async def read(self, url: str) -> str | None:
        """The page's main text, or None (logged, counted) when it cannot be had."""
        host = (urlsplit(url).hostname or "").lower()
        try:
            async with self.pacer.turn(host):
                document = await self.fetcher.get(url, max_bytes=self.max_bytes, accept=PAGE_ACCEPT, guard=self.guard)
        except FeedError as error:
            PAGE_FETCHES.labels(outcome=error.kind.value).inc()
            log.warning("article page %s not fetched: %s", url, error)
            return None
        text = await asyncio.to_thread(main_text, decode_body(document.body, document.charset).text)
        PAGE_FETCHES.labels(outcome="ok" if text else "no_text").inc()
        return text or None
