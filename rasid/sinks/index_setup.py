"""`rasid es setup`: ILM policy (where supported), templates, versioned indices behind aliases, mapping updates."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from elasticsearch import BadRequestError, Elasticsearch

from rasid.settings import Settings
from rasid.sinks.index_aliases import AliasState, ensure_alias
from rasid.sinks.index_templates import (
    IndexOptions,
    TemplatesReport,
    alert_mappings,
    article_mappings,
    install_index_templates,
    threat_mappings,
)
from rasid.sinks.lifecycle import DEFAULT_POLICY, PolicyStatus, Rollover, ilm_supported, install_policy, lifecycle_policy

log = logging.getLogger("rasid.sink")


@dataclass
class SetupReport:
    templates: TemplatesReport
    aliases: list[AliasState]
    ilm: bool
    policy: str | None = None
    policy_status: PolicyStatus | None = None
    # Per alias: "current", "extended" (new fields added in place) or why `rasid reindex` is needed.
    mappings: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


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


def setup_indices(
    es: Elasticsearch,
    settings: Settings,
    shards: int = 1,
    replicas: int | None = None,
    policy: str = DEFAULT_POLICY,
    rollover: Rollover | None = None,
) -> SetupReport:
    """Idempotent: a second run changes nothing and says so."""
    notes: list[str] = []
    ilm = ilm_supported(es)
    policy_status: PolicyStatus | None = None
    if ilm:
        policy_status = install_policy(es, policy, lifecycle_policy(rollover))
    else:
        notes.append(f"{settings.elasticsearch_url} has no ILM API: no lifecycle policy; indices are kept until you delete them")
        if rollover is not None:
            notes.append("rollover needs ILM: ignored on this server (versioned indices behind aliases, no rollover)")
            rollover = None
    options = IndexOptions(shards=shards, replicas=replicas, lifecycle_policy=policy if ilm else None,
                           rollover=rollover is not None)
    templates = install_index_templates(es, settings, options)
    warning = templates.analysis.warning(settings.elasticsearch_url)
    if warning:
        notes.append(warning)
    aliases = [ensure_alias(es, alias, rollover=options.rollover) for alias in
               (settings.index_articles, settings.index_threats, settings.index_alerts)]
    analyzer, exact = templates.analysis.analyzer, templates.analysis.exact
    wanted = {
        settings.index_articles: article_mappings(analyzer, exact),
        settings.index_threats: threat_mappings(analyzer, exact),
        settings.index_alerts: alert_mappings(analyzer, exact),
    }
    mappings = {}
    for state in aliases:
        mappings[state.alias] = "created" if state.created_index else update_mappings(es, state, wanted[state.alias])
        if options.lifecycle_policy and state.indices and not state.legacy_index:
            # Indices created before the policy existed (e.g. by a sink that started first) join it too.
            es.indices.put_settings(index=state.alias, settings={"index": {"lifecycle": {"name": options.lifecycle_policy}}})
        if state.legacy_index:
            notes.append(f"{state.alias} is a concrete index from before aliases: run `rasid reindex` to move it behind an alias")
    return SetupReport(templates, aliases, ilm, policy if ilm else None, policy_status, mappings, notes)
