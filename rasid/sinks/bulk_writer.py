"""One `_bulk` call that survives a busy or absent server: per-item outcomes, retries with backoff and jitter.

Transient trouble (HTTP 429 and 5xx, for the whole request or single items; connection errors and
timeouts) is retried with exponential backoff and full jitter, resending only the operations that have
no final answer yet. Everything else is a final answer per operation: written, a version conflict, or
refused with the server's reason. A request the server finds too large (413) is split in halves.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import ApiError, Elasticsearch
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_delay, stop_never, wait_random_exponential

log = logging.getLogger("rasid.sink")

Result = TypeVar("Result")

# The server was busy or failing, not the document: worth sending again.
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
TOO_LARGE = 413


@dataclass(frozen=True)
class BulkOperation:
    """One bulk action (`index`, `create`, `delete`) with its metadata and, except for delete, its source."""

    action: str
    meta: dict[str, Any]
    source: dict[str, Any] | None = None

    def lines(self) -> list[dict[str, Any]]:
        return [{self.action: self.meta}] if self.source is None else [{self.action: self.meta}, self.source]


@dataclass(frozen=True)
class ItemOutcome:
    """The server's final answer for one operation."""

    status: int
    result: str | None = None  # "created", "updated", "deleted", "not_found"
    reason: str | None = None

    @property
    def written(self) -> bool:
        return 200 <= self.status < 300

    @property
    def conflict(self) -> bool:
        return self.status == 409


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter: sleep a random time in [0, min(max_s, initial_s * 2**n)]."""

    initial_s: float = 0.5
    max_s: float = 30.0
    give_up_after_s: float | None = None  # None: keep trying until the server answers


class TransientBulkFailure(Exception):
    """Some operations got no final answer (server busy, failing or unreachable); they are sent again."""


def error_reason(error: Any) -> str:
    """The server's reason for an item error, with its type and root cause."""
    if not isinstance(error, dict):
        return str(error)
    text = f"{error.get('type', 'error')}: {error.get('reason', '')}".strip()
    cause = error.get("caused_by")
    if isinstance(cause, dict) and cause.get("reason"):
        text += f" (caused by {cause.get('type', 'error')}: {cause['reason']})"
    return text


class BulkWriter:
    def __init__(
        self,
        es: Elasticsearch,
        backoff: Backoff | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.es = es
        self.backoff = backoff or Backoff()
        self.sleep = sleep
        self.retries = 0

    def write(self, operations: Sequence[BulkOperation], backoff: Backoff | None = None) -> list[ItemOutcome]:
        """Send every operation until each has a final answer; outcomes are in the order of `operations`."""
        outcomes: list[ItemOutcome | None] = [None] * len(operations)
        if not operations:
            return []
        for attempt in self._retrying(backoff or self.backoff):
            with attempt:
                pending = [i for i, outcome in enumerate(outcomes) if outcome is None]
                self._send(operations, pending, outcomes)
                if any(outcome is None for outcome in outcomes):
                    left = sum(outcome is None for outcome in outcomes)
                    raise TransientBulkFailure(f"{left} of {len(operations)} operations not yet accepted")
        return [outcome for outcome in outcomes if outcome is not None]

    def call(self, request: Callable[[], Result], backoff: Backoff | None = None) -> Result:
        """Any other request (refresh, delete-by-query) with the same retry policy."""
        for attempt in self._retrying(backoff or self.backoff):
            with attempt:
                return request()
        raise AssertionError("unreachable: tenacity re-raises the last error")

    def _retrying(self, policy: Backoff) -> Retrying:
        return Retrying(
            retry=retry_if_exception(transient),
            wait=wait_random_exponential(multiplier=policy.initial_s, max=policy.max_s),
            stop=stop_never if policy.give_up_after_s is None else stop_after_delay(policy.give_up_after_s),
            sleep=self.sleep,
            before_sleep=self._log_retry,
            reraise=True,
        )

    def _log_retry(self, state: RetryCallState) -> None:
        self.retries += 1
        exc = state.outcome.exception() if state.outcome else None
        log.warning("bulk request failed (%s); retrying in %.1fs", exc, state.next_action.sleep if state.next_action else 0)

    def _send(self, operations: Sequence[BulkOperation], pending: list[int], outcomes: list[ItemOutcome | None]) -> None:
        body: list[dict[str, Any]] = []
        for i in pending:
            body.extend(operations[i].lines())
        try:
            response = self.es.bulk(operations=body)
        except ApiError as exc:
            if exc.meta.status in RETRYABLE_STATUSES:
                raise TransientBulkFailure(f"HTTP {exc.meta.status} for the whole request: {exc.message}") from exc
            if exc.meta.status == TOO_LARGE:
                self._split(operations, pending, outcomes, exc)
                return
            raise
        for i, item in zip(pending, response["items"], strict=True):
            outcomes[i] = _outcome(next(iter(item.values())))

    def _split(self, operations: Sequence[BulkOperation], pending: list[int], outcomes: list[ItemOutcome | None],
               exc: ApiError) -> None:
        if len(pending) == 1:
            outcomes[pending[0]] = ItemOutcome(TOO_LARGE, reason=f"document too large for the server: {exc.message}")
            return
        half = len(pending) // 2
        log.info("bulk request of %d operations too large (413); splitting", len(pending))
        for part in (pending[:half], pending[half:]):
            self._send(operations, part, outcomes)


def _outcome(item: dict[str, Any]) -> ItemOutcome | None:
    """None when the item should be sent again."""
    status = int(item.get("status", 0))
    if status in RETRYABLE_STATUSES:
        return None
    if "error" in item:
        return ItemOutcome(status, reason=error_reason(item["error"]))
    return ItemOutcome(status, result=item.get("result"))


def transient(exc: BaseException) -> bool:
    """Would the same request succeed later? (busy or failing server, or no connection)"""
    if isinstance(exc, (TransientBulkFailure, TransportConnectionError, ConnectionTimeout)):
        return True
    return isinstance(exc, ApiError) and exc.meta.status in RETRYABLE_STATUSES
