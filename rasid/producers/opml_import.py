"""OPML subscription lists → feeds YAML entries, merged into an existing feeds file."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import yaml

from rasid.producers.feeds_config import FeedConfig, FeedConfigError

_ENTITY_OR_DOCTYPE = re.compile(rb"<!(ENTITY|DOCTYPE)", re.IGNORECASE)
_SOURCE_CHARS = re.compile(r"[^a-z0-9]+")


def source_name(url: str) -> str:
    """A short source id from the feed's host: https://feeds.bbci.co.uk/arabic/rss.xml → "bbci"."""
    labels = [label for label in (urlsplit(url).hostname or "feed").lower().split(".")
              if label not in {"www", "feeds", "feed", "rss", "m", "arabic", "ar"}]
    generic = {"com", "net", "org", "co", "uk", "tr", "de", "fr", "info", "tv", "news"}
    meaningful = [label for label in labels if label not in generic] or labels or ["feed"]
    return _SOURCE_CHARS.sub("-", meaningful[0]).strip("-") or "feed"


def read_opml(path: Path) -> list[FeedConfig]:
    """Every `<outline xmlUrl=…>` of an OPML file (nested folders too), as feed configs."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FeedConfigError(f"{path}: cannot read OPML file: {exc.strerror}") from exc
    if _ENTITY_OR_DOCTYPE.search(data):
        raise FeedConfigError(f"{path}: OPML with a DOCTYPE or entity declarations is refused")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise FeedConfigError(f"{path}: not valid OPML/XML: {exc}") from exc
    feeds: list[FeedConfig] = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url:
            continue
        name = (outline.get("title") or outline.get("text") or "").strip()
        language = (outline.get("language") or "ar").strip() or "ar"
        try:
            feeds.append(FeedConfig(url=url, source=source_name(url), name=name, language=language,
                                    site=(outline.get("htmlUrl") or "").strip()))
        except ValueError as exc:
            raise FeedConfigError(f"{path}: outline {name or url!r}: {exc}") from exc
    return feeds


def merge_into_yaml(feeds: list[FeedConfig], target: Path) -> tuple[int, int]:
    """Add feeds not yet in `target` (by URL); keep existing entries as they are. Returns (added, kept)."""
    document: dict = {"feeds": []}
    if target.exists():
        loaded = yaml.safe_load(target.read_text(encoding="utf-8")) or {}
        if not isinstance(loaded, dict) or not isinstance(loaded.get("feeds", []), list):
            raise FeedConfigError(f"{target}: expected a mapping with a 'feeds:' list")
        document = {**loaded, "feeds": loaded.get("feeds") or []}
    known = {entry.get("url") for entry in document["feeds"] if isinstance(entry, dict)}
    added = 0
    for feed in feeds:
        if feed.url in known:
            continue
        entry = feed.model_dump(exclude_defaults=True)
        entry.setdefault("source", feed.source)
        document["feeds"].append(entry)
        known.add(feed.url)
        added += 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return added, len(document["feeds"]) - added
