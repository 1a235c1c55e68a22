"""The feeds YAML: which feeds to poll, validated with readable errors."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator


class FeedConfigError(ValueError):
    """The feeds file is missing or invalid; the message says where and why."""


class FeedConfig(BaseModel):
    url: str
    source: str
    name: str = ""
    language: str = "ar"
    interval_s: int = Field(300, ge=10, description="seconds between polls")
    enabled: bool = True
    full_text: bool = Field(False, description="fetch each new article's page and extract its main text")
    # Descriptive metadata (the curated default list fills these; nothing depends on them).
    country: str = ""
    category: str = ""
    site: str = ""

    @field_validator("url")
    @classmethod
    def _supported_scheme(cls, value: str) -> str:
        scheme = urlparse(value).scheme
        if scheme not in {"http", "https", "file"}:
            raise ValueError(f"url must be http(s):// or file://, got {value!r}")
        return value


class FeedsFile(BaseModel):
    feeds: list[FeedConfig]

    @field_validator("feeds")
    @classmethod
    def _unique_urls(cls, feeds: list[FeedConfig]) -> list[FeedConfig]:
        seen: set[str] = set()
        for feed in feeds:
            if feed.url in seen:
                raise ValueError(f"feed {feed.url} is listed twice")
            seen.add(feed.url)
        return feeds


def _resolve_relative(entry: object, base: Path) -> object:
    # A bare path in the YAML means a local file next to it (the bundled samples use this).
    if isinstance(entry, dict) and isinstance(entry.get("url"), str) and "://" not in entry["url"]:
        entry = {**entry, "url": (base / entry["url"]).resolve().as_uri()}
    return entry


def load_feeds(path: Path) -> list[FeedConfig]:
    """Read and validate a feeds YAML; relative paths resolve against the file's folder."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FeedConfigError(f"{path}: cannot read feeds file: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise FeedConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict) or "feeds" not in raw:
        raise FeedConfigError(f"{path}: expected a mapping with a 'feeds:' list")
    if isinstance(raw["feeds"], list):
        raw["feeds"] = [_resolve_relative(entry, path.parent) for entry in raw["feeds"]]
    try:
        feeds = FeedsFile.model_validate(raw).feeds
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise FeedConfigError(f"{path}: {problems}") from exc
    return [feed for feed in feeds if feed.enabled]
