"""The article as it travels on `news.raw`, and its enriched form on `news.enriched`."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from rasid.records.entity import Entity
from rasid.records.schema import VersionedRecord
from rasid.records.threat import ThreatStatement

TEXT_FIELDS: tuple[str, ...] = ("title", "summary", "content")


class Article(VersionedRecord):
    """One news article, as polled from a feed (`news.raw`)."""

    id: str
    url: str
    canonical_url: str
    feed_url: str
    source: str
    title: str = ""
    summary: str = ""
    content: str = ""
    published_at: datetime
    # True when the feed gave no usable date and `published_at` is `fetched_at`.
    published_at_estimated: bool = False
    fetched_at: datetime
    language: str = "ar"
    authors: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)

    def text_of(self, field: str) -> str:
        """The original text of one of the analysed fields (title, summary, content)."""
        if field not in TEXT_FIELDS:
            raise ValueError(f"{field!r} is not an analysed text field")
        return str(getattr(self, field))

    def field_texts(self) -> dict[str, str]:
        """Each analysed field that has text, by name."""
        return {field: text for field in TEXT_FIELDS if (text := self.text_of(field))}


class EnrichedArticle(Article):
    """An article with what the NLP found in it (`news.enriched`)."""

    entities: list[Entity] = Field(default_factory=list)
    threats: list[ThreatStatement] = Field(default_factory=list)
    nlp_version: str
    enriched_at: datetime
