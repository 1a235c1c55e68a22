"""spike: the match rate in the last `timeframe` against the one before it.

Counts are kept in ten buckets per timeframe, so the state stays small however
busy the stream. A reference window with no match counts as one, so a burst
out of silence is a spike once it reaches `spike_height` (and threshold_cur).
"""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any, ClassVar

from rasid.rules.conditions import ArticleContext
from rasid.rules.duration import format_duration
from rasid.rules.kinds.base import SEP, Firing, Rule, StateStore, article_firing, remember
from rasid.rules.spec import SpikeRuleSpec

BUCKETS_PER_TIMEFRAME = 10


class SpikeRule(Rule):
    type_name: ClassVar[str] = "spike"
    stateful: ClassVar[bool] = True
    timed: ClassVar[bool] = True
    spec: SpikeRuleSpec

    @property
    def bucket_seconds(self) -> float:
        return self.spec.timeframe.total_seconds() / BUCKETS_PER_TIMEFRAME

    def counts(self, buckets: dict[str, int], now: float) -> tuple[int, int]:
        """(current, reference) counts at `now`."""
        size = self.bucket_seconds
        head = math.floor(now / size)
        cur = sum(n for b, n in buckets.items() if head - BUCKETS_PER_TIMEFRAME < int(b) <= head)
        ref = sum(n for b, n in buckets.items()
                  if head - 2 * BUCKETS_PER_TIMEFRAME < int(b) <= head - BUCKETS_PER_TIMEFRAME)
        return cur, ref

    def is_up(self, cur: int, ref: int) -> bool:
        spec = self.spec
        return (spec.spike_type in ("up", "both") and cur >= spec.threshold_cur and ref >= spec.threshold_ref
                and cur >= spec.spike_height * max(ref, 1))

    def is_down(self, cur: int, ref: int) -> bool:
        spec = self.spec
        return (spec.spike_type in ("down", "both") and ref >= max(spec.threshold_ref, 1)
                and cur >= spec.threshold_cur and cur * spec.spike_height <= ref)

    def matched(self, value: str, cur: int, ref: int, direction: str) -> dict[str, Any]:
        return {"key": value, "direction": direction, "current": cur, "reference": ref,
                "timeframe": format_duration(self.spec.timeframe), "spike_height": self.spec.spike_height}

    def evaluate(self, ctx: ArticleContext, state: StateStore) -> list[Firing]:
        evidence = self.condition_evidence(ctx)
        if evidence is None:
            return []
        article_id = ctx.article.id
        out: list[Firing] = []
        for value in self.keys_of(ctx):
            state_key = self.state_key("buckets", value)
            current = state.get(state_key)
            if current is None:
                self._index_key(state, value)
                current = {"buckets": {}, "recent": {}}
            recent = current["recent"]
            if article_id in recent:
                if recent[article_id]:
                    out.append(Firing(**recent[article_id]))
                continue
            size = self.bucket_seconds
            head = math.floor(ctx.now / size)
            buckets = {b: n for b, n in current["buckets"].items() if int(b) > head - 2 * BUCKETS_PER_TIMEFRAME}
            buckets[str(head)] = buckets.get(str(head), 0) + 1
            cur, ref = self.counts(buckets, ctx.now)
            outcome = None
            if self.is_up(cur, ref):
                firing = article_firing(ctx, key=f"{value}{SEP}{article_id}", group=value,
                                        matched={**evidence, **self.matched(value, cur, ref, "up")})
                out.append(firing)
                outcome = asdict(firing)
            state[state_key] = {"buckets": buckets, "recent": remember(recent, article_id, outcome)}
        return out

    def _index_key(self, state: StateStore, value: str) -> None:
        index_key = self.state_key("keys")
        keys = list(state.get(index_key) or [])
        if value not in keys:
            state[index_key] = [*keys, value]

    def tick(self, now: float, state: StateStore) -> list[Firing]:
        if self.spec.spike_type == "up":
            return []
        out: list[Firing] = []
        head = math.floor(now / self.bucket_seconds)
        for value in state.get(self.state_key("keys")) or []:
            current = state.get(self.state_key("buckets", value)) or {"buckets": {}}
            cur, ref = self.counts(current["buckets"], now)
            if self.is_down(cur, ref):
                # One alert per timeframe-aligned window, whenever the timer sees it.
                window = head // BUCKETS_PER_TIMEFRAME
                name = f"{self.spec.name}: {value or 'matches'} dropped"
                out.append(Firing(key=f"{value}{SEP}down{SEP}{window}", group=f"down{SEP}{value}",
                                  matched=self.matched(value, cur, ref, "down"), title=name))
        return out
