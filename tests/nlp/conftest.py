"""Shared real data for the NLP tests (read-only files under /work/shared)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

SHARED = Path("/work/shared")
ARTICLES = SHARED / "data" / "news" / "ant-articles.jsonl"
NER_DIR = SHARED / "data" / "ner"
SEED_DIR = SHARED / "fixtures" / "seed"


@lru_cache(maxsize=1)
def _articles() -> dict[str, dict]:
    out: dict[str, dict] = {}
    with ARTICLES.open(encoding="utf-8") as f:
        for line in f:
            doc = json.loads(line)
            out[doc["id"]] = doc
    return out


@pytest.fixture(scope="session")
def ant_article():
    """Look up an ANT corpus article (ant-articles.jsonl) by id."""
    return lambda article_id: _articles()[article_id]


@pytest.fixture(scope="session")
def ant_sample() -> list[dict]:
    """A deterministic slice of real articles for invariant checks."""
    docs = list(_articles().values())
    return docs[::50]
