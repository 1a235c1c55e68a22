"""Versioned indices behind aliases: `rasid-articles` → `rasid-articles-v1`, swapped atomically on reindex.

Rasid writes to and searches the alias, never a concrete index. A reindex builds `-v2` beside `-v1` and moves
the alias in one `_aliases` request, so readers and the sink never see a missing or half-built index.
With rollover on (see deploy/README.md), a version's first index is `<alias>-vN-000001` and ILM adds
`-000002`, … behind the same alias.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import BadRequestError, Elasticsearch, NotFoundError

from rasid.settings import Settings

log = logging.getLogger("rasid.sink")


@dataclass
class AliasState:
    """Where one alias points, and what `ensure_alias` did about it."""

    alias: str
    indices: list[str] = field(default_factory=list)
    write_index: str | None = None
    created_index: str | None = None
    # A concrete index already carries the alias's name (created before aliases existed): `rasid reindex` moves it.
    legacy_index: bool = False

    @property
    def version(self) -> int | None:
        versions = [v for v in (index_version(self.alias, name) for name in self.indices) if v is not None]
        return max(versions) if versions else None


def version_pattern(alias: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(alias)}-v(\d+)(?:-(\d{{6}}))?$")


def index_version(alias: str, index: str) -> int | None:
    match = version_pattern(alias).match(index)
    return int(match.group(1)) if match else None


def versioned_index(alias: str, version: int, rollover: bool = False) -> str:
    return f"{alias}-v{version}-000001" if rollover else f"{alias}-v{version}"


def existing_versions(es: Elasticsearch, alias: str) -> dict[int, list[str]]:
    """Every versioned index of `alias` on the server (attached to the alias or not), by version."""
    found = es.indices.get(index=f"{alias}-v*", expand_wildcards="all", allow_no_indices=True, ignore_unavailable=True)
    versions: dict[int, list[str]] = {}
    for name in found:
        version = index_version(alias, name)
        if version is not None:
            versions.setdefault(version, []).append(name)
    return versions


def next_version(es: Elasticsearch, alias: str) -> int:
    return max(existing_versions(es, alias), default=0) + 1


def is_concrete_index(es: Elasticsearch, name: str) -> bool:
    """True when `name` is an index itself (not an alias to one)."""
    try:
        found = es.indices.get(index=name, expand_wildcards="all")
    except NotFoundError:
        return False
    return name in found


def alias_state(es: Elasticsearch, alias: str) -> AliasState:
    if is_concrete_index(es, alias):
        return AliasState(alias, indices=[alias], write_index=alias, legacy_index=True)
    try:
        found = es.indices.get_alias(name=alias)
    except NotFoundError:
        return AliasState(alias)
    indices = sorted(found)
    flagged = [name for name, body in found.items() if body.get("aliases", {}).get(alias, {}).get("is_write_index")]
    write = flagged[0] if flagged else (indices[0] if len(indices) == 1 else None)
    return AliasState(alias, indices=indices, write_index=write)


def create_version(es: Elasticsearch, alias: str, version: int, rollover: bool = False,
                   attach: bool = False, settings: dict[str, Any] | None = None) -> str:
    """Create `<alias>-v<version>` (mappings from the template); with `attach`, as the alias's write index."""
    name = versioned_index(alias, version, rollover)
    body: dict[str, Any] = {}
    if attach:
        body["aliases"] = {alias: {"is_write_index": True}}
    if settings:
        body["settings"] = settings
    es.indices.create(index=name, **body)
    return name


def ensure_alias(es: Elasticsearch, alias: str, rollover: bool = False) -> AliasState:
    """Make `alias` point at a versioned write index, creating `-v1` on a fresh server; idempotent and race-safe."""
    state = alias_state(es, alias)
    if state.legacy_index:
        log.warning(
            "%s is a concrete index created before Rasid used aliases; it keeps working, and "
            "`rasid reindex` moves it behind an alias (%s-vN)", alias, alias,
        )
        return state
    if state.indices:
        return state
    versions = existing_versions(es, alias)
    if versions:
        # The versions are there but the alias was removed: point it back at the newest one.
        newest = sorted(versions[max(versions)])[-1]
        log.warning("alias %s was missing; pointing it at %s", alias, newest)
        es.indices.update_aliases(actions=[{"add": {"index": newest, "alias": alias, "is_write_index": True}}])
        state = alias_state(es, alias)
        return state
    try:
        created = create_version(es, alias, 1, rollover=rollover, attach=True)
    except BadRequestError as exc:
        # Another process (a second sink, the setup container) created it first: fine.
        if exc.error != "resource_already_exists_exception":
            raise
        return alias_state(es, alias)
    state = alias_state(es, alias)
    state.created_index = created
    return state


def alias_names(settings: Settings) -> list[str]:
    return [settings.index_articles, settings.index_threats, settings.index_alerts]


def ensure_aliases(es: Elasticsearch, settings: Settings, rollover: bool = False) -> list[AliasState]:
    return [ensure_alias(es, alias, rollover) for alias in alias_names(settings)]


def swap_actions(es: Elasticsearch, alias: str, new_index: str) -> list[dict[str, Any]]:
    """`_aliases` actions that make `new_index` the only index behind `alias` (a legacy index is removed)."""
    state = alias_state(es, alias)
    if state.legacy_index:
        # An alias cannot share a name with an index: drop the index in the same atomic request.
        actions: list[dict[str, Any]] = [{"remove_index": {"index": alias}}]
    else:
        actions = [{"remove": {"index": index, "alias": alias}} for index in state.indices if index != new_index]
    actions.append({"add": {"index": new_index, "alias": alias, "is_write_index": True}})
    return actions


def swap_aliases(es: Elasticsearch, targets: dict[str, str]) -> list[dict[str, Any]]:
    """Point every alias at its new index in ONE request: all move together, or none does."""
    actions = [action for alias, index in targets.items() for action in swap_actions(es, alias, index)]
    es.indices.update_aliases(actions=actions)
    return actions
