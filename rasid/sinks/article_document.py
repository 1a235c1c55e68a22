"""How an `EnrichedArticle` looks in the `rasid-articles` and `rasid-threats` indices."""

from __future__ import annotations

import json
from typing import Any

from rasid.nlp.analyzer import analyze_terms
from rasid.records import TEXT_FIELDS, EnrichedArticle, Entity, ThreatStatement

ENTITY_KEYS = {"PER": "per", "ORG": "org", "LOC": "loc", "MISC": "misc"}


def article_document(article: EnrichedArticle) -> dict[str, Any]:
    doc = article.model_dump(mode="json")
    buckets: dict[str, list[str]] = {key: [] for key in ENTITY_KEYS.values()}
    for entity in article.entities:
        name = entity.normalized or entity.text
        bucket = buckets[ENTITY_KEYS[entity.label]]
        if name not in bucket:
            bucket.append(name)
    # Mentions (with offsets) and threat statements are kept, never indexed, as one JSON string: as
    # object arrays they made every search and refresh on noida-db 4-6x dearer (it reads them for each
    # document), and Elasticsearch did nothing with them either (enabled: false). Mentions are stored
    # by offsets alone (their text is in the field, which every reader of this string has): written whole
    # they were a third of the document.
    doc.pop("entities")
    doc["enrichment"] = json.dumps({"mentions": [_stored_mention(e) for e in article.entities],
                                    "threats": doc.pop("threats")}, ensure_ascii=False, separators=(",", ":"))
    doc["entities"] = buckets
    doc["entity_count"] = len(article.entities)
    doc["threat_count"] = len(article.threats)
    doc["max_severity"] = max((t.severity for t in article.threats), default=0)
    # Terms as Lucene's Arabic analyzer makes them, so search works even where the server's analysis is weaker.
    doc["search_terms"] = " ".join(term for field in TEXT_FIELDS for term in analyze_terms(article.text_of(field)))
    return doc


# Where an article document keeps its mentions and threat statements: `enrichment` now, the other two
# in documents written before (object arrays). Searches leave them out of the hits they return.
STORED_ENRICHMENT_FIELDS = ("enrichment", "entity_mentions", "threats")


def _stored_mention(entity: Entity) -> list[Any]:
    """[field number, start, end, label], and the normalised form when it is not the text itself."""
    field: int | str = TEXT_FIELDS.index(entity.field) if entity.field in TEXT_FIELDS else entity.field
    stored: list[Any] = [field, entity.start, entity.end, entity.label]
    if entity.normalized != entity.text:
        stored.append(entity.normalized)
    return stored


def _mention_of(stored: list[Any], source: dict[str, Any]) -> dict[str, Any]:
    field, start, end, label, *normalized = stored
    name = TEXT_FIELDS[field] if isinstance(field, int) else field
    text = str(source.get(name) or "")[start:end]
    return {"text": text, "label": label, "start": start, "end": end, "field": name,
            "normalized": normalized[0] if normalized else text}


def stored_enrichment(source: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(entity mentions, threat statements) of an article document, as written now or before (mentions
    whole in the JSON string, or both as object arrays)."""
    if isinstance(source.get("enrichment"), str):
        stored = json.loads(source["enrichment"])
        if "mentions" in stored:
            mentions = [_mention_of(m, source) for m in stored["mentions"] or []]
        else:
            mentions = list(stored.get("entity_mentions") or [])
        return mentions, list(stored.get("threats") or [])
    mentions, threats = source.get("entity_mentions"), source.get("threats")
    return (mentions if isinstance(mentions, list) else []), (threats if isinstance(threats, list) else [])


def threat_documents(article: EnrichedArticle) -> list[tuple[str, dict[str, Any]]]:
    """One (id, document) per threat statement; ids are stable for a given enrichment."""
    out = []
    for number, threat in enumerate(article.threats):
        if (threat.actor and not threat.actor_names) or (threat.target and not threat.target_names):
            threat = _named(threat, article)
        doc = threat.model_dump(mode="json")
        for part in ("trigger", "actor", "target", "action", "condition", "reported_by"):
            span = doc.pop(part)
            doc[part] = span["text"] if span else None
            doc[f"{part}_span"] = span
        doc.update(
            article_id=article.id,
            source=article.source,
            url=article.url,
            title=article.title,
            published_at=article.published_at.isoformat(),
            enriched_at=article.enriched_at.isoformat(),
        )
        out.append((f"{article.id}-{number}", doc))
    return out


def _named(threat: ThreatStatement, article: EnrichedArticle) -> ThreatStatement:
    """A threat enriched before roles had names (a replayed old record): named from the article's entities now."""
    from rasid.nlp.threats.role_names import with_role_names  # only old records need the NLP package here

    return with_role_names(threat.model_copy(), article.entities, article=article.field_texts())


def external_version(article: EnrichedArticle) -> int:
    """A newer enrichment wins; a replay of an older one never overwrites it."""
    return int(article.enriched_at.timestamp() * 1_000_000)
