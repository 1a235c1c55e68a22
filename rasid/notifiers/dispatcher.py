"""Send each alert to its notifiers once, even across restarts, without one notifier blocking another.

The ledger (a dict, or a changelog-backed Faust table in the stream) records
per alert and notifier: `sending` before the call, `sent` after it. An alert
already `sent` is skipped on replay. One left `sending` by a crash is sent
again with the same idempotency key (`Idempotency-Key` header, e-mail
Message-ID), because nobody can know whether the receiver got it: the receiver
drops the duplicate. Failures are logged (secrets scrubbed), counted, and
written as dead letters; they never stop the other notifiers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, MutableMapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from rasid.notifiers.base import Digest, Notifier, NotifierError
from rasid.notifiers.metrics import NOTIFICATIONS
from rasid.notifiers.secrets import scrub
from rasid.records import Alert, DeadLetter

log = logging.getLogger("rasid.notifiers")

SEP = "\x1f"
STAGE = "notify"


@dataclass
class DispatchOutcome:
    alert_id: str
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    resent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


@dataclass
class Plan:
    alert_id: str
    call: Callable[[Notifier], None]
    payload: str
    outcome: DispatchOutcome
    steps: list[tuple[Notifier, str, bool]] = field(default_factory=list)  # notifier, ledger key, resend?


class AlertDispatcher:
    def __init__(self, targets: Callable[[str], Sequence[Notifier]], *,
                 ledger: MutableMapping[str, Any] | None = None, always: Sequence[Notifier] = (),
                 dead_letter: Callable[[DeadLetter], None] | None = None, max_workers: int = 8) -> None:
        self.targets = targets
        self.ledger: MutableMapping[str, Any] = ledger if ledger is not None else {}
        self.always = list(always)
        self.dead_letter = dead_letter
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="notify")

    def _marker(self, alert_id: str, notifier: Notifier) -> str:
        return SEP.join(("sent", alert_id, notifier.name))

    def dispatch(self, alert: Alert) -> DispatchOutcome:
        """Send `alert` to the rule's notifiers (and the always-on ones) that have not had it yet."""
        plan = self.plan(alert)
        return self.record(plan, self.deliver(plan))

    def dispatch_digest(self, digest: Digest) -> DispatchOutcome:
        plan = self._plan(digest.digest_id, list(self.targets(digest.rule_id)),
                          lambda n: n.send_digest(digest), digest.as_alert().model_dump_json())
        return self.record(plan, self.deliver(plan))

    # The three steps apart, for an event loop: `plan` and `record` write the ledger (on the
    # loop, where a Faust table may be written); `deliver` only does I/O (in a thread).
    def plan(self, alert: Alert) -> Plan:
        return self._plan(alert.alert_id, [*self.always, *self.targets(alert.rule_id)],
                          lambda n: n.send(alert), alert.model_dump_json())

    def _plan(self, alert_id: str, notifiers: list[Notifier], call: Callable[[Notifier], None],
              payload: str) -> Plan:
        plan = Plan(alert_id, call, payload, DispatchOutcome(alert_id))
        for notifier in notifiers:
            marker = self._marker(alert_id, notifier)
            state = self.ledger.get(marker)
            if state is not None and state.get("state") == "sent":
                plan.outcome.skipped.append(notifier.name)
                NOTIFICATIONS.labels(notifier.name, "skipped").inc()
                continue
            again = state is not None and state.get("state") == "sending"
            if again:
                log.warning("alert %s: resending to %s after an interrupted attempt (same idempotency key)",
                            alert_id, notifier.name)
            attempts = (state or {}).get("attempts", 0) + 1
            self.ledger[marker] = {"state": "sending", "at": time.time(), "attempts": attempts}
            plan.steps.append((notifier, marker, again))
        return plan

    def deliver(self, plan: Plan) -> list[BaseException | None]:
        """Call every planned notifier in parallel; one's failure or slowness does not stop another."""
        futures = [self._pool.submit(plan.call, notifier) for notifier, _, _ in plan.steps]
        results: list[BaseException | None] = []
        for future in futures:
            try:
                future.result()
                results.append(None)
            except Exception as exc:  # noqa: BLE001 - reported in `record`, never raised
                results.append(exc)
        return results

    def record(self, plan: Plan, results: list[BaseException | None]) -> DispatchOutcome:
        outcome = plan.outcome
        for (notifier, marker, again), error in zip(plan.steps, results):
            if error is not None:
                self._failed(plan.alert_id, notifier, marker, error, plan.payload, outcome)
                continue
            self.ledger[marker] = {"state": "sent", "at": time.time()}
            (outcome.resent if again else outcome.sent).append(notifier.name)
            NOTIFICATIONS.labels(notifier.name, "sent").inc()
        return outcome

    def _failed(self, alert_id: str, notifier: Notifier, marker: str, exc: BaseException, payload: str,
                outcome: DispatchOutcome) -> None:
        reason = str(exc) if isinstance(exc, NotifierError) else f"{type(exc).__name__}: {exc}"
        reason = scrub(reason)
        outcome.failed[notifier.name] = reason
        self.ledger[marker] = {"state": "failed", "at": time.time(), "reason": reason}
        NOTIFICATIONS.labels(notifier.name, "failed").inc()
        log.error("alert %s: notifier %s failed: %s", alert_id, notifier.name, reason)
        if self.dead_letter is not None:
            try:
                self.dead_letter(DeadLetter.of(STAGE, f"{notifier.name}: {reason}", payload, key=alert_id))
            except Exception:  # noqa: BLE001
                log.exception("alert %s: could not write the dead letter", alert_id)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
