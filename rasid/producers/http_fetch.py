"""One polite, bounded HTTP GET: conditional, size-capped, redirect-limited, time-limited.

Redirects are followed here rather than by httpx, so every hop can be checked by the address
guard and the limit gives a clear error. Retry-After (seconds or an HTTP date) comes back on
429/503 errors so the schedule can honour it.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import httpx

from rasid.producers.address_guard import AddressGuard
from rasid.producers.bounded_body import ACCEPTED_ENCODINGS, BoundedBody
from rasid.producers.feed_errors import FeedError, FeedErrorKind
from rasid.producers.producer_options import ProducerOptions

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True)
class Validators:
    """What the server said identifies this version of the document (for conditional GET)."""

    etag: str | None = None
    last_modified: str | None = None

    def request_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass
class FetchedDocument:
    url: str  # after redirects
    status: int  # 200 (body read) or 304 (not modified, no body)
    body: bytes
    validators: Validators
    content_type: str = ""
    charset: str | None = None
    elapsed_s: float = 0.0
    moved_permanently_to: str | None = None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait, from `Retry-After: 120` or `Retry-After: <HTTP date>`; None if absent/invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def new_client(options: ProducerOptions) -> httpx.AsyncClient:
    timeout = httpx.Timeout(connect=options.connect_timeout_s, read=options.read_timeout_s,
                            write=options.read_timeout_s, pool=options.total_timeout_s)
    limits = httpx.Limits(max_connections=options.concurrency * 2, max_keepalive_connections=options.concurrency)
    return httpx.AsyncClient(headers={"User-Agent": options.user_agent, "Accept-Encoding": ACCEPTED_ENCODINGS},
                             timeout=timeout, limits=limits, follow_redirects=False, trust_env=False)


class HttpFetcher:
    def __init__(self, client: httpx.AsyncClient, options: ProducerOptions) -> None:
        self.client = client
        self.options = options

    async def get(self, url: str, *, max_bytes: int, accept: str = FEED_ACCEPT, validators: Validators | None = None,
                  guard: AddressGuard | None = None) -> FetchedDocument:
        started = time.monotonic()
        try:
            async with asyncio.timeout(self.options.total_timeout_s):
                document = await self._follow(url, max_bytes, accept, validators or Validators(), guard)
        except TimeoutError as exc:
            raise FeedError(FeedErrorKind.TIMEOUT,
                            f"no complete response within {self.options.total_timeout_s:g}s") from exc
        except httpx.TimeoutException as exc:
            raise FeedError(FeedErrorKind.TIMEOUT, f"{exc.__class__.__name__} after {time.monotonic() - started:.1f}s") from exc
        except (httpx.HTTPError, OSError) as exc:
            raise FeedError(FeedErrorKind.CONNECTION, f"{exc.__class__.__name__}: {exc}") from exc
        document.elapsed_s = time.monotonic() - started
        return document

    async def _follow(self, url: str, max_bytes: int, accept: str, validators: Validators,
                      guard: AddressGuard | None) -> FetchedDocument:
        moved_to = None
        for _hop in range(self.options.max_redirects + 1):
            if guard is not None:
                await guard.check(url)
            headers = {"Accept": accept, **validators.request_headers()}
            async with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code in _REDIRECTS and "location" in response.headers:
                    target = urljoin(url, response.headers["location"])
                    if response.status_code in (301, 308) and moved_to is None:
                        moved_to = target
                    url = target
                    continue
                document = await self._read(url, response, max_bytes)
                document.moved_permanently_to = moved_to
                return document
        raise FeedError(FeedErrorKind.TOO_MANY_REDIRECTS, f"more than {self.options.max_redirects} redirects")

    async def _read(self, url: str, response: httpx.Response, max_bytes: int) -> FetchedDocument:
        status = response.status_code
        validators = Validators(response.headers.get("etag"), response.headers.get("last-modified"))
        if status == 304:
            return FetchedDocument(url, 304, b"", validators)
        if status in (429, 503):
            wait = parse_retry_after(response.headers.get("retry-after"))
            raise FeedError(FeedErrorKind.RATE_LIMITED if wait is not None else FeedErrorKind.HTTP_STATUS,
                            f"HTTP {status}" + (f", Retry-After {wait:.0f}s" if wait is not None else ""), wait)
        if status >= 400 or status < 200 or status in (204, 205):
            raise FeedError(FeedErrorKind.HTTP_STATUS, f"HTTP {status}")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise FeedError(FeedErrorKind.TOO_LARGE, f"Content-Length {declared} is over the {max_bytes} byte cap")
        body = BoundedBody(response.headers.get("content-encoding"), max_bytes)
        async for chunk in response.aiter_raw(65536):
            body.feed(chunk)
        content_type = response.headers.get("content-type", "")
        charset = response.charset_encoding if "charset=" in content_type.lower() else None
        return FetchedDocument(url, status, body.finish(), validators, content_type.split(";")[0].strip().lower(),
                               charset)
