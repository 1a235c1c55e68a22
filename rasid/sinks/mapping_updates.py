"""Adding a template's new fields to the indices already behind an alias (a changed field needs `rasid reindex`)."""

from __future__ import annotations

from elasticsearch import BadRequestError, Elasticsearch

from rasid.sinks.index_aliases import AliasState


def update_mappings(es: Elasticsearch, state: AliasState, mappings: dict) -> str:
    """Add new fields to the indices behind an alias in place; a changed field needs a reindex instead."""
    if not state.indices:
        return "no index yet"
    before = _field_paths(es, state.alias)
    try:
        es.indices.put_mapping(index=state.alias, **mappings)
    except BadRequestError as exc:
        return f"needs `rasid reindex`: {_reason(exc)}"
    added = _field_paths(es, state.alias) - before
    return f"extended with {', '.join(sorted(added))}" if added else "current"


def _field_paths(es: Elasticsearch, index: str) -> set[str]:
    """Every mapped field (and subfield) of the indices behind `index`, as dotted paths."""
    paths: set[str] = set()

    def walk(properties: dict, prefix: str) -> None:
        for name, body in properties.items():
            path = f"{prefix}{name}"
            paths.add(path)
            walk(body.get("properties", {}), f"{path}.")
            walk(body.get("fields", {}), f"{path}.")

    for body in es.indices.get_mapping(index=index).body.values():
        walk(body.get("mappings", {}).get("properties", {}), "")
    return paths


def _reason(exc: BadRequestError) -> str:
    info = exc.info if isinstance(exc.info, dict) else {}
    error = info.get("error", {})
    return str(error.get("reason", error)) if isinstance(error, dict) else str(error)
