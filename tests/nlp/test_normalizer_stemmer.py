"""Normaliser and stemmer agree with Lucene (and so with Elasticsearch's `arabic` analyzer)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rasid.nlp.normalizer import normalize, normalize_with_offsets, original_span
from rasid.nlp.stemmer import normalize_and_stem, stem

VECTORS = Path("/work/shared/data/lucene_arabic_vectors.json")


def lucene_vectors(kind: str) -> list[tuple[str, str]]:
    """Lucene's own unit-test pairs (TestArabicNormalizationFilter / TestArabicStemFilter)."""
    return [(a, b) for a, b in json.loads(VECTORS.read_text("utf-8"))[kind]]


@pytest.mark.parametrize(("raw", "expected"), lucene_vectors("normalize"))
def test_normalize_matches_lucene(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), lucene_vectors("stem"))
def test_stem_matches_lucene(raw: str, expected: str) -> None:
    assert stem(raw) == expected
    # ES normalises before stemming; the vectors hold either way.
    assert normalize_and_stem(raw) == normalize(expected)


def test_normalize_with_offsets_maps_back_to_the_written_word() -> None:
    text = "قال نلْسون مَبنا"
    normalized, offsets = normalize_with_offsets(text)
    assert normalized == normalize(text)
    start = normalized.index("نلسون")
    a, b = original_span(offsets, start, start + len("نلسون"), len(text))
    assert text[a:b] == "نلْسون"
    a, b = original_span(offsets, len(normalized) - 4, len(normalized), len(text))
    assert text[a:b] == "مَبنا"
