"""An alert fired by a rule for an article (`news.alerts`)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from pydantic import Field

from rasid.records.schema import VersionedRecord


def alert_id_for(rule_id: str, key: str) -> str:
    """Stable id: the same rule firing for the same article (or key) is the same alert."""
    return hashlib.sha256(f"{rule_id}\x1f{key}".encode()).hexdigest()[:32]


class Alert(VersionedRecord):
    alert_id: str
    rule_id: str
    rule_name: str = ""
    article_id: str | None = None
    matched: dict[str, Any] = Field(default_factory=dict)
    severity: int = 3
    created_at: datetime
    title: str = ""
    url: str = ""
