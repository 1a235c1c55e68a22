"""The `rasid-alerts` index as a notifier: one document per alert, `_id` = alert_id (idempotent)."""

from __future__ import annotations

from typing import Any

from rasid.notifiers.base import Notifier, NotifierError
from rasid.notifiers.secrets import scrub
from rasid.records import Alert


class AlertsIndexNotifier(Notifier):
    name = "index"

    def __init__(self, es: Any, index: str) -> None:
        self._es = es
        self.index = index

    def send(self, alert: Alert) -> None:
        from elasticsearch import ApiError, ConflictError, TransportError

        try:
            # create, not index: the first copy of an alert keeps its created_at.
            self._es.create(index=self.index, id=alert.alert_id, document=alert.model_dump(mode="json"))
        except ConflictError:
            return  # already indexed: a replay
        except (ApiError, TransportError) as exc:
            raise NotifierError(f"index {self.index}: {type(exc).__name__}: {scrub(str(exc))[:200]}",
                                retryable=True) from None
