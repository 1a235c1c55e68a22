"""How an `Alert` looks in the `rasid-alerts` index."""

from __future__ import annotations

from typing import Any

from rasid.records import Alert


def alert_document(alert: Alert) -> dict[str, Any]:
    return alert.model_dump(mode="json")
