"""frequency: at least `num_events` matching articles within `timeframe` (per query_key)."""

from __future__ import annotations

from dataclasses import asdict
from typing import ClassVar

from rasid.rules.conditions import ArticleContext
from rasid.rules.duration import format_duration
from rasid.rules.kinds.base import SEP, Firing, Rule, StateStore, article_firing, remember
from rasid.rules.spec import FrequencyRuleSpec


class FrequencyRule(Rule):
    type_name: ClassVar[str] = "frequency"
    stateful: ClassVar[bool] = True
    spec: FrequencyRuleSpec

    def evaluate(self, ctx: ArticleContext, state: StateStore) -> list[Firing]:
        evidence = self.condition_evidence(ctx)
        if evidence is None:
            return []
        article_id = ctx.article.id
        window = self.spec.timeframe.total_seconds()
        out: list[Firing] = []
        for value in self.keys_of(ctx):
            state_key = self.state_key("events", value)
            current = state.get(state_key) or {"events": [], "recent": {}}
            recent = current["recent"]
            if article_id in recent:  # a replay after a crash: same answer, no double count
                if recent[article_id]:
                    out.append(Firing(**recent[article_id]))
                continue
            events = [e for e in current["events"] if e[0] > ctx.now - window]
            events.append([ctx.now, article_id])
            outcome = None
            if len(events) >= self.spec.num_events:
                matched = {**evidence, "key": value, "count": len(events),
                           "timeframe": format_duration(self.spec.timeframe),
                           "article_ids": [e[1] for e in events[-20:]]}
                firing = article_firing(ctx, key=f"{value}{SEP}{article_id}", group=value, matched=matched)
                out.append(firing)
                outcome = asdict(firing)
                events = []  # as ElastAlert2: count afresh after an alert
            state[state_key] = {"events": events, "recent": remember(recent, article_id, outcome)}
        return out
