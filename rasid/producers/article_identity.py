"""Stable article ids: a hash of the canonical URL, so a re-polled, re-shared or AMP/mobile copy is the same document."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

# Query parameters that only track the click, never select the article.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "twclid", "ttclid",
    "mc_cid", "mc_eid", "ocid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "ref_src", "ref_url",
    "cmpid", "s_cid", "xtor", "spm", "__twitter_impression", "share", "shared", "fb_ref", "fb_source",
})
TRACKING_PREFIXES = ("utm_", "at_", "ns_", "pk_", "mtm_", "itm_")
# Parameters that only ask for the AMP rendering of the same article.
AMP_PARAMS = frozenset({"amp", "_amp", "outputtype", "usqp", "amp_js_v", "amp_gsa"})
# Host labels that name a mobile, AMP or www copy of the same site.
VARIANT_HOST_PREFIXES = ("www.", "m.", "mobile.", "amp.", "mob.", "wap.")
_AMP_SUFFIX = re.compile(r"\.amp(?=$|\.html?$)|/amp/?$", re.IGNORECASE)
# Characters that stay literal in a canonical path; everything else is percent-encoded (UTF-8).
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_RESERVED_ESCAPES = re.compile(r"%(2F|3F|23|25)", re.IGNORECASE)


def _fold_host(host: str) -> str:
    host = host.lower().rstrip(".")
    changed = True
    while changed:  # "www.m.example.com" folds twice
        changed = False
        for prefix in VARIANT_HOST_PREFIXES:
            if host.startswith(prefix) and host.count(".") >= 2:
                host = host[len(prefix):]
                changed = True
    return host


def _fold_path(path: str) -> str:
    # Decode then re-encode, so "/ar/المغني" and "/ar/%D8%A7%D9%84..." are one URL; escaped
    # "/", "?", "#" and "%" keep their meaning and stay escaped.
    kept = _RESERVED_ESCAPES.sub(lambda m: "\x00" + m.group(1).upper(), path)
    try:
        decoded = unquote(kept, errors="strict") if "%" in kept else kept
    except UnicodeDecodeError:  # escapes that are not UTF-8 (old Latin-1 links): leave them as sent
        return path
    encoded = quote(decoded, safe=_PATH_SAFE + "\x00").replace("\x00", "%")
    segments = encoded.split("/")
    # "/amp/news/1", "/news/1/amp", "/news/1.amp", "/news/1.amp.html" are AMP copies of "/news/1".
    segments = [s for i, s in enumerate(segments) if not (s.lower() == "amp" and 0 < i)]
    folded = "/".join(segments) or "/"
    folded = _AMP_SUFFIX.sub("", folded) or "/"
    return folded if folded.startswith("/") else "/" + folded


def _is_tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in TRACKING_PARAMS or lowered in AMP_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The identity of an article URL.

    Lower-case scheme and host; no fragment, default port, tracking or AMP parameters; the host's
    www./m./mobile./amp. prefix and the path's AMP markers folded; the path percent-encoded one way.
    """
    parts = urlsplit(url.strip())
    host = _fold_host(parts.hostname or "")
    if parts.port and not ((parts.scheme == "http" and parts.port == 80) or (parts.scheme == "https" and parts.port == 443)):
        host = f"{host}:{parts.port}"
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(key)]
    return urlunsplit((parts.scheme.lower(), host, _fold_path(parts.path or "/"), urlencode(sorted(query)), ""))


def article_id(canonical: str | None, guid: str | None = None) -> str:
    """sha256 of the canonical URL (or of the feed guid when an item has no link), 32 hex chars."""
    basis = canonical or (f"guid:{guid}" if guid else None)
    if not basis:
        raise ValueError("an article needs a link or a guid to have an id")
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]


def guid_key(source: str, guid: str) -> str:
    """The seen-state key of a feed guid; guids are only unique within one source."""
    return "g" + hashlib.sha256(f"{source}\x00{guid.strip()}".encode("utf-8")).hexdigest()[:31]
