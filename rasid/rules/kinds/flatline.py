"""flatline: a feed (or source) publishes fewer than `threshold` articles within
`timeframe`: an operator alert, found by the timer rather than by an article."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import ClassVar

from rasid.rules.conditions import ArticleContext
from rasid.rules.duration import format_duration
from rasid.rules.kinds.base import SEP, Firing, Rule, StateStore, time_resolution
from rasid.rules.spec import FlatlineRuleSpec


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat()


class FlatlineRule(Rule):
    type_name: ClassVar[str] = "flatline"
    stateful: ClassVar[bool] = True
    timed: ClassVar[bool] = True
    spec: FlatlineRuleSpec

    def keys_of(self, ctx: ArticleContext) -> list[str]:
        article = ctx.article
        return [article.feed_url if self.spec.query_key == "feed_url" else article.source]

    def evaluate(self, ctx: ArticleContext, state: StateStore) -> list[Firing]:
        if self.condition_evidence(ctx) is None:
            return []
        for value in self.keys_of(ctx):
            state_key = self.state_key("feed", value)
            seen = state.get(state_key)
            if seen is None:
                index_key = self.state_key("feeds")
                state[index_key] = sorted({*(state.get(index_key) or []), value})
                seen = {"times": [], "first_seen": ctx.now}
            times = seen["times"]
            if len(times) == self.spec.threshold and ctx.now - min(times) < self._resolution():
                continue  # all remembered times are recent enough: each is at most `resolution` early
            times = sorted([*times, ctx.now])[-self.spec.threshold :]
            state[state_key] = {"times": times, "first_seen": seen["first_seen"]}
        return []

    def _resolution(self) -> float:
        return time_resolution(self.spec.timeframe.total_seconds())

    def watched(self, state: StateStore) -> list[str]:
        """Feeds seen so far, and those the rule names (`sources`) even if never seen."""
        return sorted({*(state.get(self.state_key("feeds")) or []), *(self.spec.sources or [])})

    def tick(self, now: float, state: StateStore) -> list[Firing]:
        started_key = self.state_key("started")
        started = state.get(started_key)
        if started is None:
            state[started_key] = started = now
        window = self.spec.timeframe.total_seconds()
        realert = max(self.spec.realert.total_seconds(), 1.0)
        out: list[Firing] = []
        for value in self.watched(state):
            seen = state.get(self.state_key("feed", value)) or {"times": [], "first_seen": started}
            if now - seen["first_seen"] < window:
                continue  # not watched for a whole window yet
            # The remembered times may be up to `resolution` early: count over that much more, so the
            # alert is never early (a feed that published within the window is never called quiet).
            recent = [t for t in seen["times"] if t > now - window - self._resolution()]
            if len(recent) >= self.spec.threshold:
                continue
            last_seen = max(seen["times"]) if seen["times"] else None
            quiet_since = last_seen if last_seen is not None else seen["first_seen"]
            # One alert per quiet spell, and a reminder every `realert` while it lasts.
            reminder = int(max(0.0, now - quiet_since - window) // realert)
            out.append(Firing(
                key=f"{value}{SEP}{_iso(quiet_since)}{SEP}{reminder}", group=value,
                matched={"key": value, "count": len(recent), "threshold": self.spec.threshold,
                         "timeframe": format_duration(self.spec.timeframe),
                         "last_seen": _iso(last_seen) if last_seen is not None else None},
                title=f"{value}: {len(recent)} articles in {format_duration(self.spec.timeframe)} "
                      f"(fewer than {self.spec.threshold})",
                url=value if value.startswith(("http://", "https://")) else "",
            ))
        return out
