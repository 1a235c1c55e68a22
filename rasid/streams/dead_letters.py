"""Report what a stage could not handle: a clear log line plus a record on the DLQ topic."""

from __future__ import annotations

import logging

from rasid.observability.stage_metrics import dead_letter_kind, record_dead_letter
from rasid.records import DeadLetter
from rasid.settings import Settings
from rasid.streams.publisher import RecordPublisher

log = logging.getLogger("rasid.dlq")


class DeadLetterQueue:
    def __init__(self, settings: Settings, stage: str, publisher: RecordPublisher | None = None) -> None:
        self.topic = settings.topic_dlq
        self.stage = stage
        self._publisher = publisher or RecordPublisher(settings, client_id=f"rasid-{stage}-dlq")

    def reject(self, reason: str, payload: bytes | str | None, **where: object) -> DeadLetter:
        letter = DeadLetter.of(self.stage, reason, payload, **where)
        log.error("%s rejected a record (%s): %s", self.stage, _where(letter), reason)
        record_dead_letter(self.stage, dead_letter_kind(reason))
        self._publisher.send_all(self.topic, [(letter.key, letter)])
        return letter

    def close(self) -> None:
        self._publisher.close()


def _where(letter: DeadLetter) -> str:
    if letter.topic is None:
        return f"key={letter.key}"
    return f"{letter.topic}[{letter.partition}]@{letter.offset} key={letter.key}"
