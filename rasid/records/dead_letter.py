"""A record a stage could not handle, kept on `news.dlq` with the reason."""

from __future__ import annotations

from datetime import datetime, timezone

from pydantic import Field

from rasid.records.schema import VersionedRecord

# A DLQ record must stay small enough for any broker's default message limit.
MAX_PAYLOAD_CHARS = 200_000


def _now() -> datetime:
    return datetime.now(timezone.utc)


class DeadLetter(VersionedRecord):
    stage: str
    reason: str
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    key: str | None = None
    payload: str = ""
    at: datetime = Field(default_factory=_now)

    @classmethod
    def of(cls, stage: str, reason: str, payload: bytes | str | None, **where: object) -> "DeadLetter":
        """Build a DLQ record from raw bytes that may not even be UTF-8."""
        if isinstance(payload, bytes):
            text = payload.decode("utf-8", errors="replace")
        else:
            text = payload or ""
        if len(text) > MAX_PAYLOAD_CHARS:
            text = text[:MAX_PAYLOAD_CHARS] + f"… [truncated, {len(text)} chars]"
        return cls(stage=stage, reason=reason, payload=text, **where)  # type: ignore[arg-type]
