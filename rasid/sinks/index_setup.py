"""`rasid es setup`: ILM policy (where supported), templates, versioned indices behind aliases, mapping updates."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from elasticsearch import Elasticsearch

from rasid.settings import Settings
from rasid.sinks.index_aliases import AliasState, ensure_aliases
from rasid.sinks.index_templates import IndexOptions, TemplatesReport, alias_mappings, install_index_templates
from rasid.sinks.lifecycle import DEFAULT_POLICY, PolicyStatus, Rollover, ilm_supported, install_policy, lifecycle_policy
from rasid.sinks.mapping_updates import update_mappings

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
    aliases = ensure_aliases(es, settings, rollover=options.rollover)
    wanted = alias_mappings(settings, templates.analysis)
    mappings = {}
    for state in aliases:
        mappings[state.alias] = "created" if state.created_index else update_mappings(es, state, wanted[state.alias])
        if options.lifecycle_policy and state.indices and not state.legacy_index:
            # Indices created before the policy existed (e.g. by a sink that started first) join it too.
            es.indices.put_settings(index=state.alias, settings={"index": {"lifecycle": {"name": options.lifecycle_policy}}})
        if state.legacy_index:
            notes.append(f"{state.alias} is a concrete index from before aliases: run `rasid reindex` to move it behind an alias")
    return SetupReport(templates, aliases, ilm, policy if ilm else None, policy_status, mappings, notes)
