"""new_term: the first time a value of query_key (by default, an entity) appears."""

from __future__ import annotations

from typing import ClassVar

from rasid.rules.conditions import ArticleContext
from rasid.rules.kinds.base import SEP, Firing, Rule, StateStore, article_firing, time_resolution
from rasid.rules.spec import NewTermRuleSpec


class NewTermRule(Rule):
    type_name: ClassVar[str] = "new_term"
    stateful: ClassVar[bool] = True
    spec: NewTermRuleSpec

    def evaluate(self, ctx: ArticleContext, state: StateStore) -> list[Firing]:
        evidence = self.condition_evidence(ctx)
        if evidence is None:
            return []
        article_id = ctx.article.id
        started_key = self.state_key("started")
        started = state.get(started_key)
        if started is None:
            started = ctx.now
            state[started_key] = started
        learning = ctx.now - started < self.spec.warmup.total_seconds()
        window = self.spec.terms_window_size.total_seconds()
        # `last_seen` is rewritten only once it is `resolution` old, so it may be that much early:
        # forget only after window + resolution, never before the window has really passed.
        resolution = time_resolution(window)
        forget_after = window + resolution
        out: list[Firing] = []
        for value in self.keys_of(ctx):
            if not value:
                continue
            state_key = self.state_key("term", value)
            seen = state.get(state_key)
            firing = article_firing(ctx, key=f"{value}{SEP}{article_id}", group=value,
                                    matched={**evidence, "key": value, "new_term": value})
            if seen is not None and article_id in (seen.get("first"), seen.get("last")):
                if seen.get("first") == article_id and seen.get("fired"):
                    out.append(firing)  # a replay of the article that made it new
                continue
            is_new = seen is None or ctx.now - seen["last_seen"] > forget_after
            if is_new:
                fired = not learning
                if fired:
                    out.append(firing)
                state[state_key] = {"last_seen": ctx.now, "first": article_id, "last": article_id, "fired": fired}
            elif ctx.now - seen["last_seen"] >= resolution:
                state[state_key] = {**seen, "last_seen": ctx.now, "last": article_id}
        return out
