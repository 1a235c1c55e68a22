"""Why a feed could not be read, as a kind (for metrics and tables) and a message (for people)."""

from __future__ import annotations

from enum import Enum


class FeedErrorKind(str, Enum):
    TIMEOUT = "timeout"  # connect/read timeout or the whole fetch took too long (slow drip)
    CONNECTION = "connection"  # refused, reset, DNS, TLS
    HTTP_STATUS = "http_status"  # 4xx/5xx
    RATE_LIMITED = "rate_limited"  # 429/503 with Retry-After
    TOO_LARGE = "too_large"  # body (after decompression) over the cap: oversized feeds, gzip bombs
    TOO_MANY_REDIRECTS = "too_many_redirects"
    BLOCKED_ADDRESS = "blocked_address"  # resolves to loopback/private/link-local and that is not allowed
    UNSUPPORTED_ENCODING = "unsupported_encoding"  # a Content-Encoding we did not ask for, or corrupt
    HOSTILE_XML = "hostile_xml"  # entity declarations: billion laughs, XXE
    NOT_A_FEED = "not_a_feed"  # HTML page, JSON, plain text
    MALFORMED = "malformed"  # broken XML that could not be recovered
    EMPTY = "empty"  # empty body, or a valid feed with no items
    PUBLISH = "publish"  # Kafka did not acknowledge the feed's articles
    FILE = "file"  # a file:// feed that cannot be read


class FeedError(Exception):
    """This feed (or page) could not be read; the others carry on."""

    def __init__(self, kind: FeedErrorKind, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.retry_after_s = retry_after_s

    def __str__(self) -> str:
        return f"{self.kind.value}: {self.message}"
