"""The ILM policy for Rasid's indices, where the server has ILM (Elasticsearch does; noida-db does not).

Without rollover the policy only sets the hot-tier priority: it is the hook where operators add warm/cold
phases. Rollover is opt-in because a new backing index breaks `_id` deduplication: an article re-sent after a
rollover would be written again into the new index (see deploy/README.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

from elasticsearch import ApiError, Elasticsearch, NotFoundError

log = logging.getLogger("rasid.sink")

DEFAULT_POLICY = "rasid"
PolicyStatus = Literal["created", "updated", "unchanged"]


@dataclass(frozen=True)
class Rollover:
    """When ILM starts a new backing index behind the write alias; at least one limit is set."""

    max_primary_shard_size: str | None = "50gb"
    max_age: str | None = None

    def action(self) -> dict[str, Any]:
        limits = {"max_primary_shard_size": self.max_primary_shard_size, "max_age": self.max_age}
        return {k: v for k, v in limits.items() if v}


def ilm_supported(es: Elasticsearch) -> bool:
    """Does this server answer the ILM API? (A server without it answers 400/404/405 'no handler'.)"""
    try:
        es.ilm.get_lifecycle()
        return True
    except ApiError as exc:
        if exc.status_code in (400, 404, 405, 501):
            return False
        raise


def lifecycle_policy(rollover: Rollover | None = None) -> dict[str, Any]:
    hot: dict[str, Any] = {"set_priority": {"priority": 100}}
    if rollover is not None:
        hot["rollover"] = rollover.action()
    return {
        "_meta": {"managed_by": "rasid"},
        "phases": {"hot": {"min_age": "0ms", "actions": hot}},
    }


def install_policy(es: Elasticsearch, name: str, policy: dict[str, Any]) -> PolicyStatus:
    """Create or update the policy; an identical one is left alone (ILM versions every write)."""
    try:
        current = es.ilm.get_lifecycle(name=name)[name]["policy"]
    except NotFoundError:
        current = None
    if current is not None and current.get("phases") == policy["phases"]:
        return "unchanged"
    es.ilm.put_lifecycle(name=name, policy=policy)
    return "created" if current is None else "updated"
