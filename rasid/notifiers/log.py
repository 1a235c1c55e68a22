"""The log notifier: one structured line per alert on the `rasid.alerts` logger."""

from __future__ import annotations

import json
import logging

from rasid.notifiers.base import Notifier
from rasid.observability.structured_logging import article_context
from rasid.records import Alert

alerts_log = logging.getLogger("rasid.alerts")


class LogNotifier(Notifier):
    name = "log"

    def send(self, alert: Alert) -> None:
        with article_context(alert.article_id, rule_id=alert.rule_id):
            alerts_log.warning("ALERT %s", json.dumps(alert.model_dump(mode="json"), ensure_ascii=False))
