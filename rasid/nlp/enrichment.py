"""Turn an `Article` into an `EnrichedArticle`: entities and threats for every text field."""

from __future__ import annotations

from datetime import datetime, timezone

from rasid.nlp.ner import extract_entities_many
from rasid.nlp.threats import extract_threats
from rasid.nlp.threats.role_names import with_role_names
from rasid.nlp.tokenizer import tokenize_sentences
from rasid.records import TEXT_FIELDS, Article, EnrichedArticle, Entity, ThreatStatement

NLP_VERSION = "0.1.0"


def enrich(article: Article) -> EnrichedArticle:
    entities: list[Entity] = []
    threats: list[ThreatStatement] = []
    texts = [(article.text_of(field), field) for field in TEXT_FIELDS]
    # Each field is split into sentences and tokens once, for the tagger and the threat extractor both.
    tokenized = [tokenize_sentences(text) if text else [] for text, _ in texts]
    # One tagger call for the article's fields (each still its own document): cheaper than one a field.
    found = extract_entities_many(texts, tokenized)
    for (text, field), field_entities, field_sentences in zip(texts, found, tokenized, strict=True):
        if not text:
            continue
        entities.extend(field_entities)
        threats.extend(extract_threats(text, field, field_entities, tokenized=field_sentences, name_roles=False))
    # Roles are named with the whole article: a role a field names only by a title or a bare family name may be
    # resolved by another field ("الرئيس الأمريكي" in the title, "الرئيس الأمريكي دونالد ترامب" in the text).
    by_field = article.field_texts()
    threats = [with_role_names(threat, entities, article=by_field) for threat in threats]
    return EnrichedArticle(
        **article.model_dump(),
        entities=entities,
        threats=threats,
        nlp_version=NLP_VERSION,
        enriched_at=datetime.now(timezone.utc),
    )


def warm_up() -> None:
    """Load the entity and threat models now (lazily, the first article would wait about half a second)."""
    now = datetime.now(timezone.utc)
    enrich(Article(
        id="warm-up", url="about:warm-up", canonical_url="about:warm-up", feed_url="about:warm-up", source="rasid",
        title="وزير الخارجية يحذر من رد حازم", summary="",
        content="هدد وزير الخارجية الإيراني محمد جواد ظريف في طهران بالرد على أي هجوم.",
        published_at=now, fetched_at=now,
    ))
