"""The `news.alerts` topic as a notifier: a thin edge over the Kafka publisher the pipeline owns."""

from __future__ import annotations

from collections.abc import Callable

from rasid.notifiers.base import Notifier
from rasid.records import Alert

# (key, alert) -> None; raises on failure. The stream passes its producer, tests a list's append.
PublishAlert = Callable[[str, Alert], None]


class AlertsTopicNotifier(Notifier):
    name = "topic"

    def __init__(self, publish: PublishAlert) -> None:
        self._publish = publish

    @classmethod
    def from_settings(cls, settings: object) -> "AlertsTopicNotifier":
        from rasid.streams.publisher import RecordPublisher

        publisher = RecordPublisher(settings, client_id="rasid-alerts")  # type: ignore[arg-type]
        topic = settings.topic_alerts  # type: ignore[attr-defined]
        return cls(lambda key, alert: publisher.send_all(topic, [(key, alert)]) and None)

    def send(self, alert: Alert) -> None:
        # Keyed by alert_id: a re-sent alert lands in the same partition, after its first copy.
        self._publish(alert.alert_id, alert)
