"""Stable article ids: a hash of the canonical URL, so a re-polled article is the same document."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track the click, never select the article.
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "ocid", "at_medium", "at_campaign"})


def canonical_url(url: str) -> str:
    """Lower-case scheme/host, no fragment, no tracking parameters, no default port."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and not ((parts.scheme == "http" and parts.port == 80) or (parts.scheme == "https" and parts.port == 443)):
        host = f"{host}:{parts.port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMS
    ]
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", urlencode(sorted(query)), ""))


def article_id(canonical: str | None, guid: str | None = None) -> str:
    """sha256 of the canonical URL (or of the feed guid when an item has no link), 32 hex chars."""
    basis = canonical or (f"guid:{guid}" if guid else None)
    if not basis:
        raise ValueError("an article needs a link or a guid to have an id")
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]
