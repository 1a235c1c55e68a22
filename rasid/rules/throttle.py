"""realert: per rule, per key, stay quiet for a while after an alert.

The state records which alert opened the quiet period, so a replay of that
very alert (after a crash) passes again instead of being swallowed.
"""

from __future__ import annotations

from rasid.rules.kinds.base import SEP, StateStore


class Realert:
    def __init__(self, state: StateStore) -> None:
        self.state = state
        self.suppressed = 0

    def allow(self, rule_id: str, group: str, alert_id: str, now: float, quiet_seconds: float) -> bool:
        if quiet_seconds <= 0:
            return True
        key = SEP.join((rule_id, "realert", group))
        last = self.state.get(key)
        if last is not None and last["alert_id"] != alert_id and now - last["at"] < quiet_seconds:
            self.suppressed += 1
            return False
        if last is None or last["alert_id"] != alert_id:
            self.state[key] = {"at": now, "alert_id": alert_id}
        return True
