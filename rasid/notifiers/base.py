"""The interface every notifier shares."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime

from rasid.records import Alert


class NotifierError(Exception):
    """A notifier could not deliver; the message is safe to log (no secrets)."""

    def __init__(self, message: str, retryable: bool = False) -> None:
        self.retryable = retryable
        super().__init__(message)


@dataclass(frozen=True)
class Digest:
    """Alerts of one rule gathered over an aggregation period, sent as one notification."""

    digest_id: str
    rule_id: str
    rule_name: str
    opened_at: datetime
    closed_at: datetime
    alerts: list[Alert] = field(default_factory=list)

    def as_alert(self) -> Alert:
        """The digest in alert form, for notifiers that only speak alerts."""
        lines = [f"- {a.title} {a.url}".strip() for a in self.alerts[:50]]
        return Alert(
            alert_id=self.digest_id, rule_id=self.rule_id, rule_name=self.rule_name,
            matched={"type": "digest", "count": len(self.alerts), "alert_ids": [a.alert_id for a in self.alerts],
                     "lines": lines},
            severity=max((a.severity for a in self.alerts), default=3), created_at=self.closed_at,
            title=f"{len(self.alerts)} alerts from «{self.rule_name}» since {self.opened_at:%Y-%m-%d %H:%M}Z",
        )


class Notifier(ABC):
    """Delivers alerts somewhere. `name` identifies it in logs, metrics and the sent-ledger."""

    name: str

    @abstractmethod
    def send(self, alert: Alert) -> None:
        """Deliver one alert or raise NotifierError; must be idempotent by `alert.alert_id`."""

    def send_digest(self, digest: Digest) -> None:
        self.send(digest.as_alert())

    def close(self) -> None:
        """Release connections."""
