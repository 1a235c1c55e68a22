"""Real articles of the ANT corpus sample (../shared/data/news/ant-articles.jsonl), by id."""

from __future__ import annotations

import json
from functools import lru_cache

from tests.producers.feed_site import SHARED_NEWS


@lru_cache(maxsize=1)
def _by_id() -> dict[str, dict]:
    with SHARED_NEWS.open(encoding="utf-8") as handle:
        return {record["id"]: record for record in map(json.loads, handle)}


def ant(article_id: str) -> dict:
    return _by_id()[article_id]


_BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\ufeff"))


def as_stored(text: str) -> str:
    """What the producer promises to keep of a text: NFC, no bidi controls, single spaces."""
    import unicodedata

    return unicodedata.normalize("NFC", " ".join(text.translate(_BIDI).split()))


def stored_paragraphs(text: str) -> list[str]:
    return [as_stored(p) for p in text.split("\n") if as_stored(p)]
