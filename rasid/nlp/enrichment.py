"""Turn an `Article` into an `EnrichedArticle`: entities and threats for every text field."""

from __future__ import annotations

from datetime import datetime, timezone

from rasid.nlp.ner import extract_entities_many
from rasid.nlp.threats import extract_threats
from rasid.records import TEXT_FIELDS, Article, EnrichedArticle, Entity, ThreatStatement

NLP_VERSION = "0.1.0"


def enrich(article: Article) -> EnrichedArticle:
    entities: list[Entity] = []
    threats: list[ThreatStatement] = []
    texts = [(article.text_of(field), field) for field in TEXT_FIELDS]
    # One tagger call for the article's fields (each still its own document): cheaper than one a field.
    for (text, field), field_entities in zip(texts, extract_entities_many(texts), strict=True):
        if not text:
            continue
        entities.extend(field_entities)
        threats.extend(extract_threats(text, field, field_entities))
    return EnrichedArticle(
        **article.model_dump(),
        entities=entities,
        threats=threats,
        nlp_version=NLP_VERSION,
        enriched_at=datetime.now(timezone.utc),
    )
