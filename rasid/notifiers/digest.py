"""Digests (ElastAlert2 `aggregation`): a rule's alerts gathered and sent together every N minutes.

Pending alerts live in the same kind of store as rule state (a Faust table in
the stream), so a restart neither loses nor repeats a digest: its id comes
from the rule and the time the digest was opened.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import datetime, timezone
from typing import Any

from rasid.notifiers.base import Digest
from rasid.records import Alert, alert_id_for

SEP = "\x1f"
MAX_PENDING = 500


class DigestBuffer:
    def __init__(self, store: MutableMapping[str, Any]) -> None:
        self.store = store

    def _key(self, rule_id: str) -> str:
        return SEP.join(("digest", rule_id))

    def add(self, alert: Alert, now: float) -> None:
        key = self._key(alert.rule_id)
        pending = self.store.get(key) or {"opened": now, "alerts": []}
        if any(a["alert_id"] == alert.alert_id for a in pending["alerts"]):
            return  # a replay
        alerts = [*pending["alerts"], alert.model_dump(mode="json")][-MAX_PENDING:]
        self.store[key] = {"opened": pending["opened"], "alerts": alerts}

    def due(self, rule_periods: dict[str, tuple[str, float]], now: float) -> list[Digest]:
        """Digests whose period is over; `rule_periods` maps rule_id to (name, seconds)."""
        out: list[Digest] = []
        for rule_id, (name, seconds) in rule_periods.items():
            pending = self.store.get(self._key(rule_id))
            if not pending or now - pending["opened"] < seconds:
                continue
            opened = datetime.fromtimestamp(pending["opened"], timezone.utc)
            out.append(Digest(
                digest_id=alert_id_for(rule_id, f"digest{SEP}{opened.isoformat()}"), rule_id=rule_id,
                rule_name=name, opened_at=opened, closed_at=datetime.fromtimestamp(now, timezone.utc),
                alerts=[Alert.model_validate(a) for a in pending["alerts"]],
            ))
        return out

    def clear(self, rule_id: str) -> None:
        key = self._key(rule_id)
        if key in self.store:
            del self.store[key]
